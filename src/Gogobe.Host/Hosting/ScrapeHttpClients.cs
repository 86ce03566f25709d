using System.Net;
using System.Reflection;
using Gogobe.Core.Scraping;

namespace Gogobe.Host.Hosting;

/// <summary>
/// One HTTP client per chain run: its own cookie jar (portal sessions), a real User-Agent, no automatic
/// decompression (files are gzip by content, and the reader detects containers by their bytes).
/// </summary>
internal static class ScrapeHttpClients
{
    private static readonly string UserAgent =
        $"Gogobe/{typeof(ScrapeHttpClients).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0"} (+price-transparency ingestion)";

    public static HttpClient Create(Chain chain, Uri? proxy = null, int maxConnectionsPerHost = 4)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var handler = new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = maxConnectionsPerHost,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            Proxy = proxy is null ? null : new WebProxy(proxy),
            UseProxy = proxy is not null,
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }
}
