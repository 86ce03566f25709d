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

/// <summary>
/// A run ready to be queued: the scrapers and, in demo runs, the simulator they talk to. The HTTP stack and run options
/// are the workers' (<see cref="JobRunOptions"/>), built from the run's stored settings wherever the task is leased.
/// </summary>
internal sealed class PreparedRun(IReadOnlyList<SupermarketScraper> scrapers, DemoPortal? demo) : IAsyncDisposable
{
    public IReadOnlyList<SupermarketScraper> Scrapers { get; } = scrapers;

    /// <summary>The simulator, when the run is a demo.</summary>
    public DemoPortal? Demo { get; } = demo;

    public ValueTask DisposeAsync() => Demo?.DisposeAsync() ?? ValueTask.CompletedTask;
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
        return new PreparedRun(demo?.Scrapers ?? scrapers, demo);
    }

    public static Orchestrator CreateOrchestrator(AppDatabase database, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new Orchestrator(database.FileLog, database.PriceSink, time, loggerFactory);
    }
}
