using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Ftp;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Cerberus "published prices", shared by many chains: the user name tells the chain; the root (or the chain's
/// folder) keeps every historical snapshot. The transport follows the portal address: <c>ftps://</c> is FTP with
/// explicit TLS (what the live-tested scrapers read), <c>http(s)://</c> is the web flavour (login
/// form + CSRF, JSON directory, <c>file/d/name</c>), which the simulator serves for the demo. A chain class states
/// only its user, password and folder.
/// </summary>
public abstract partial class CerberusScraper : SupermarketScraper
{
    /// <summary>The real Cerberus FTPS server.</summary>
    public static readonly Uri FtpsAddress = new("ftps://url.retail.publishedprices.co.il/");

    protected CerberusScraper(Chain chain, string user, string password = "", string folder = "/")
        : base(chain)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        User = user;
        Password = password;
        Folder = folder.StartsWith('/') ? folder : "/" + folder;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["user"] = user, ["password"] = password };
        if (Folder != "/")
        {
            settings["folder"] = Folder;
        }

        Portal = new PortalInfo(PortalFamilies.Cerberus, FtpsAddress, settings);
    }

    public override PortalInfo Portal { get; }

    protected string User { get; }

    protected string Password { get; }

    /// <summary>The folder the chain's files are in, "/" for the user's root (Super Yuda: "/Yuda").</summary>
    protected string Folder { get; }

    public override IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return FtpsClient.IsFtpAddress(context.PortalAddress) ? ListFtpsAsync(context, cancellationToken) : ListWebAsync(context, cancellationToken);
    }

    public override Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);
        return FtpsClient.IsFtpAddress(file.Location)
            ? OpenFtpsAsync(file, context, cancellationToken)
            : PortalHttp.OpenStreamAsync(context.Http, Chain, file, cancellationToken);
    }
}
