using Microsoft.Extensions.Logging;

namespace Gogobe.Core.Scraping;

/// <summary>
/// What the orchestrator hands a scraper for one run: an HTTP client (cookies are per scraper run),
/// the portal address to use (the real one, or the simulator standing in for it), the clock and a logger.
/// </summary>
public sealed class ScrapeContext(HttpClient http, Uri portalAddress, TimeProvider time, ILogger logger)
{
    public HttpClient Http { get; } = http;

    /// <summary>Base address of the portal for this run; always ends with '/'.</summary>
    public Uri PortalAddress { get; } = portalAddress;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    /// <summary>
    /// SHA-256 thumbprint (hex) of a TLS certificate to trust for this portal even when it does not validate (a
    /// self-signed test server); null trusts only certificates that validate normally. Never "accept any".
    /// </summary>
    public string? CertificatePin { get; init; }

    /// <summary>Today's date in Israel, the date the portals and the daily pass speak in.</summary>
    public DateOnly IsraelToday => IsraelClock.Today(Time);

    /// <summary>Resolves a portal-relative path ("FileObject/UpdateCategory?...") against <see cref="PortalAddress"/>.</summary>
    public Uri Resolve(string relative) => new(PortalAddress, relative);
}
