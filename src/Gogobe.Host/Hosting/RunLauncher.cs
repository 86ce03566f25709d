using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Host.Api;
using Gogobe.Host.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Hosting;

/// <summary>What <see cref="RunLauncher.TryStartAsync"/> did: queued run <see cref="RunId"/>, or found <see cref="ActiveRunId"/> still active.</summary>
internal sealed record RunStart(Guid? RunId, Guid? ActiveRunId);

/// <summary>
/// Submits runs for <c>gogobe serve</c> (API and schedule) into the job tables; serve's <see cref="WorkerService"/> (and
/// any other worker on the database) runs their tasks. One active run at a time, whichever process submitted it (the
/// database refuses a second). A demo run stores its world; each process that takes one of its tasks serves the portals.
/// </summary>
internal sealed partial class RunLauncher(
    AppDatabase database,
    ScraperRegistry registry,
    IOptions<RunsOptions> runs,
    IOptions<DemoOptions> demo,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<RunLauncher>();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Queues a run of every chain unless one is active in the database (the schedule's run).</summary>
    public Task<RunStart> TryStartAsync(CancellationToken cancellationToken) => TryStartAsync(new RunRequest(null, Force: false), cancellationToken);

    /// <summary>Queues a run of the request's chains (every chain when it names none) unless one is active in the database.</summary>
    public async Task<RunStart> TryStartAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        // One submission at a time from this process: the demo simulator is started only for a run that will be queued.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await database.Jobs.ActiveRunAsync(cancellationToken).ConfigureAwait(false) is { } active)
            {
                return new RunStart(null, active.Id);
            }

            var settings = runs.Value;
            var scale = demo.Value;
            var runId = Guid.CreateVersion7(time.GetUtcNow());
            var runSettings = new RunSettings(
                Force: request.Force, Parallelism: settings.Parallelism, BatchSize: 5_000, MaxRejectedShare: 0.2, Proxy: null,
                Demo: settings.Demo ? new DemoScale(scale.Chains, scale.StoresPerChain, scale.ItemsPerStore, scale.Seed) : null,
                RunId: runId, PerHostConcurrency: settings.PerHostConcurrency);
            var chains = request.Chains ?? registry.Scrapers;
            // A demo run stores its world, not a simulator: whichever process takes a task serves the portals itself.
            if (runSettings.Demo is { } demoScale && demoScale.Chains > 0)
            {
                chains = [.. chains.Take(demoScale.Chains)];
            }

            var world = runSettings.Demo is { } d ? DemoPortal.WorldOf(d, time) : null;
            try
            {
                await database.Jobs.SubmitRunAsync(
                    RunSubmitter.Create(runId, chains, runSettings, world, new SupervisorOptions(), RunSubmitter.Origin("serve")), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (RunAlreadyActiveException ex)
            {
                // Another process submitted one between our check and our insert.
                return new RunStart(null, ex.ActiveRunId);
            }

            LogRunQueued(runId, settings.Demo);
            return new RunStart(runId, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await _stopping.CancelAsync().ConfigureAwait(false);

    public void Dispose()
    {
        _stopping.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId} queued (demo: {Demo})")]
    private partial void LogRunQueued(Guid runId, bool demo);

}
