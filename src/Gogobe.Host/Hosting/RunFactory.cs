using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Host.Configuration;
using Gogobe.Host.Http;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Hosting;

/// <summary>What a run is asked to do, whoever starts it (<c>gogobe run</c> or <c>POST /api/runs</c>).</summary>
/// <param name="Demo">The simulated fleet to run against; null for the real portals.</param>
/// <param name="Proxy">HTTP proxy for the real portals; ignored in demo runs (the simulator is on loopback).</param>
/// <param name="PerHostConcurrency">Connections at once to one portal host (portals throttle and ban the greedy).</param>
/// <param name="Http">Timeouts, retries, circuit breaker, politeness (<c>Gogobe:Http</c>); the defaults when null.</param>
internal sealed record RunSettings(
    bool Force, int Parallelism, int BatchSize, double MaxRejectedShare, Uri? Proxy, DemoScale? Demo, Guid? RunId = null, int PerHostConcurrency = 4,
    PortalHttpOptions? Http = null);

/// <summary>A run ready to go: the scrapers, their options and, in demo runs, the simulator they talk to.</summary>
internal sealed class PreparedRun(IReadOnlyList<SupermarketScraper> scrapers, RunOptions options, DemoPortal? demo, PortalHttpClients http) : IAsyncDisposable
{
    public IReadOnlyList<SupermarketScraper> Scrapers { get; } = scrapers;

    public RunOptions Options { get; } = options;

    /// <summary>The simulator, when the run is a demo.</summary>
    public DemoPortal? Demo { get; } = demo;

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return Demo?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}

/// <summary>Builds runs the same way for every verb, so a demo run from the API is the demo run of the CLI.</summary>
internal static class RunFactory
{
    public static async Task<PreparedRun> PrepareAsync(
        IReadOnlyList<SupermarketScraper> scrapers, RunSettings settings, TimeProvider time, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var demo = settings.Demo is { } scale
            ? await DemoPortal.StartAsync(scrapers, scale, time, loggerFactory, cancellationToken).ConfigureAwait(false)
            : null;
        var httpOptions = settings.Http ?? new PortalHttpOptions();
        // --proxy wins over Gogobe:Http:Proxy; the simulator is on loopback, never behind the proxy.
        var proxy = demo is not null ? null
            : settings.Proxy ?? (string.IsNullOrWhiteSpace(httpOptions.Proxy) ? null : new Uri(httpOptions.Proxy));
        // The simulator's one address stands for every portal host: per-host limits there would serialise the whole
        // fleet behind it. Each chain still talks to it one request at a time, as it would to its own portal.
        var http = demo is null
            ? PortalHttpClients.Create(httpOptions, proxy, settings.PerHostConcurrency, loggerFactory)
            : PortalHttpClients.Create(httpOptions.ForSimulator(), proxy: null, Math.Max(settings.PerHostConcurrency, settings.Parallelism), loggerFactory);
        var options = new RunOptions
        {
            RunId = settings.RunId,
            Force = settings.Force,
            MaxDegreeOfParallelism = settings.Parallelism,
            BatchSize = settings.BatchSize,
            MaxRejectedShare = settings.MaxRejectedShare,
            PortalAddress = demo is null ? null : demo.MapPortal,
            HttpClientFactory = http.CreateClient,
        };
        return new PreparedRun(demo?.Scrapers ?? scrapers, options, demo, http);
    }

    public static Orchestrator CreateOrchestrator(AppDatabase database, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new Orchestrator(database.FileLog, database.PriceSink, time, loggerFactory);
    }
}
