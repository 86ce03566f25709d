namespace Gogobe.Core.Scraping;

/// <summary>
/// Where a chain publishes and with which engine. <see cref="Family"/> names the portal engine
/// (see <see cref="PortalFamilies"/>); <see cref="Settings"/> holds the few family parameters a chain
/// states (user, password, ...). The simulator reads this to serve the same chain in the same shape.
/// </summary>
public sealed record PortalInfo(string Family, Uri Address, IReadOnlyDictionary<string, string> Settings)
{
    public PortalInfo(string family, Uri address)
        : this(family, address, new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }

    public string? Setting(string name) => Settings.TryGetValue(name, out var value) ? value : null;
}

/// <summary>The portal engine names shared by scrapers and the simulator.</summary>
public static class PortalFamilies
{
    /// <summary>
    /// Cerberus "published prices": FTP with explicit TLS (an <c>ftps://</c> address, the default) or the web flavour (an
    /// <c>http(s)://</c> address: login form + CSRF, POST /file/json/dir, GET /file/d/name). One family; the address
    /// scheme picks the transport.
    /// </summary>
    public const string Cerberus = "cerberus";

    /// <summary>Shufersal's ASP.NET WebGrid: /FileObject/UpdateCategory?catID=&amp;storeId=&amp;page=.</summary>
    public const string ShufersalHtml = "shufersal-html";

    /// <summary>Hazi Hinam's paged table.table-striped: /Prices?t=&lt;1 price,2 promo,3 stores&gt;&amp;f=&amp;d=YYYY-MM-DD&amp;p=.</summary>
    public const string HaziHinamHtml = "hazi-hinam-html";

    /// <summary>
    /// Super-Pharm's MVC grid (table.gzTable): ?Category-equals=&amp;Date-equals=dd/MM/yyyy&amp;page=; a link answers the
    /// file or JSON {"href"}.
    /// </summary>
    public const string SuperPharmHtml = "super-pharm-html";

    /// <summary>
    /// City Market shops' paged table.table-striped: ?t=&lt;1,2,3&gt;&amp;f=&amp;s=&lt;store&gt;&amp;d=YYYY-MM-DD&amp;p=;
    /// opaque downloadFile links.
    /// </summary>
    public const string CityMarketHtml = "citymarket-html";

    /// <summary>A page of direct links per day, ?Date=YYYY-MM-DD (Netiv HaHesed).</summary>
    public const string SimpleHtml = "simple-html";

    /// <summary>One HTML page of links per day, <c>YYYY-MM-DD.html</c>; a missing day answers 400 (Wolt Market).</summary>
    public const string DailyHtml = "daily-html";

    /// <summary>A JSON array of <c>{"name", "url"}</c> (Meshnat Yosef 1).</summary>
    public const string JsonList = "json-list";

    /// <summary>Bina Projects (&lt;prefix&gt;.binaprojects.com): MainIO_Hok.aspx JSON listing by date, two-step Download.aspx → SPath.</summary>
    public const string BinaProjects = "bina-projects";

    /// <summary>Laib catalog JSON API (laibcatalog.co.il/webapi): getbranches, getfiles (the whole catalog), webapi/&lt;chainId&gt;/&lt;name&gt;.</summary>
    public const string LaibCatalog = "laib-catalog";

    /// <summary>PublishPrice (prices.&lt;name&gt;.co.il): a JS literal file list in a script, past days under ?p=./YYYYMMDD.</summary>
    public const string PublishPrice = "publish-price";
}
