using System.Net;
using Gogobe.Core.Scraping;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Gogobe.Simulator.Faults;
using Gogobe.Simulator.Portals;

namespace Gogobe.Simulator;

/// <summary>
/// A loopback web server that stands in for every real portal at once: a real host becomes a path prefix
/// (<c>http://127.0.0.1:port/url.publishedprices.co.il/login</c>), see <see cref="MapPortal"/>. Files are generated
/// by <see cref="World"/> straight into the response.
/// </summary>
public sealed class PortalSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestCounter _counter;

    private PortalSimulator(WebApplication app, SimulatedWorld world, Uri baseAddress, RequestCounter counter, HttpFaults faults)
    {
        _app = app;
        Faults = faults;
        World = world;
        BaseAddress = baseAddress;
        _counter = counter;
    }

    /// <summary><c>http://127.0.0.1:port/</c></summary>
    public Uri BaseAddress { get; }

    public SimulatedWorld World { get; }

    /// <summary>Failures on demand (status, slowness, stalled bodies, dropped connections) for any path; see <see cref="HttpFault"/>.</summary>
    public HttpFaults Faults { get; }

    /// <summary>HTTP requests served so far.</summary>
    public long RequestCount => _counter.Count;

    /// <summary>Starts the server on a free loopback port. ASP.NET's own logging stays off; the simulator logs a few lines to <paramref name="loggerFactory"/>.</summary>
    public static async Task<PortalSimulator> StartAsync(SimulatorOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var world = new SimulatedWorld(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PortalSimulator>();

        // The empty builder reads no appsettings/environment, so a host's Kestrel settings cannot leak in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(PortalSimulator).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        var counter = new RequestCounter();
        app.Use((context, next) =>
        {
            counter.Increment();
            return next(context);
        });
        var faults = new HttpFaults();
        app.Use(faults.InvokeAsync);
        app.UseRouting();

        var links = new BlobLinks(options);
        foreach (var group in options.Chains.GroupBy(c => (c.Portal.Family, Host: SimulatedHost(c.Portal.Address))))
        {
            MapFamily(app, world, links, logger, group.Key.Family, group.Key.Host, [.. group]);
        }

        links.Map(app, world, logger);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var port = new Uri(address).Port;
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        links.BaseAddress = baseAddress;
        SimulatorLog.Started(logger, baseAddress, options.Chains.Count, options.Seed, options.Day);
        return new PortalSimulator(app, world, baseAddress, counter, faults);
    }

    /// <summary>Serves the chains of one (family, host) in that family's shape; SimulatorOptions.Validate has refused unknown families.</summary>
    private static void MapFamily(
        WebApplication app, SimulatedWorld world, BlobLinks links, ILogger logger, string family, string host, IReadOnlyList<SimulatedChain> chains)
    {
        switch (family)
        {
            case PortalFamilies.Cerberus:
                new CerberusPortal(world, host, chains, logger).Map(app);
                break;
            case PortalFamilies.ShufersalHtml:
                new ShufersalPortal(world, host, chains[0], links).Map(app);
                break;
            case PortalFamilies.BinaProjects:
                new BinaPortal(world, host, chains[0], logger).Map(app);
                break;
            case PortalFamilies.LaibCatalog:
                new LaibPortal(world, host, chains, logger).Map(app);
                break;
            case PortalFamilies.PublishPrice:
                new PublishPricePortal(world, host, chains[0], logger).Map(app);
                break;
            case PortalFamilies.HaziHinamHtml or PortalFamilies.SuperPharmHtml or PortalFamilies.CityMarketHtml:
                new DailyPagedPortal(world, chains[0], logger).Map(app);
                break;
            default:
                new SimplePagePortal(world, chains[0], logger).Map(app);
                break;
        }
    }

    /// <summary>The simulator's stand-in for a real portal address: <c>https://host/path</c> → <c>http://127.0.0.1:port/host/path</c>.</summary>
    public Uri MapPortal(Uri realPortalAddress) => MapPortal(BaseAddress, realPortalAddress);

    /// <summary>
    /// <see cref="MapPortal(Uri)"/> for a simulator known only by its base address (a worker in another process than the
    /// simulator's, which reads the address from the run's stored settings).
    /// </summary>
    public static Uri MapPortal(Uri baseAddress, Uri realPortalAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(realPortalAddress);
        return new Uri(baseAddress, SimulatedHost(realPortalAddress) + realPortalAddress.PathAndQuery);
    }

    /// <summary>
    /// The host a portal is served under. The simulator speaks HTTP only: an FTP(S) portal (Cerberus's real transport)
    /// is served in its web flavour, on the Cerberus web host, so the Cerberus scraper takes its web path in demo runs.
    /// </summary>
    private static string SimulatedHost(Uri realPortalAddress) =>
        realPortalAddress.Scheme is "ftp" or "ftps" ? CerberusWebHost : realPortalAddress.Host;

    /// <summary>The Cerberus web flavour's real host, where FTPS Cerberus chains are served.</summary>
    public const string CerberusWebHost = "url.publishedprices.co.il";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class RequestCounter
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}
