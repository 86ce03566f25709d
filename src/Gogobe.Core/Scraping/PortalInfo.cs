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
    /// Cerberus "published prices": FTP with explicit TLS (an <c>ftps://</c> address, the real transport since the web
    /// login got a reCAPTCHA) or the web flavour (an <c>http(s)://</c> address: login form + CSRF, POST /file/json/dir,
    /// GET /file/d/name). One family; the address scheme picks the transport.
    /// </summary>
    public const string Cerberus = "cerberus";

    /// <summary>The same family as <see cref="Cerberus"/> (its old name, kept so older references still compile).</summary>
    public const string CerberusWeb = Cerberus;

    /// <summary>Shufersal-style paged HTML table: /FileObject/UpdateCategory?catID=&amp;storeId=&amp;page=.</summary>
    public const string ShufersalHtml = "shufersal-html";
}
