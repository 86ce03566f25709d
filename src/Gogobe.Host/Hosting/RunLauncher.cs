using System.Collections.Concurrent;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Host.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Gogobe.Host.Api;

namespace Gogobe.Host.Hosting;

/// <summary>What <see cref="RunLauncher.TryStartAsync"/> did: queued run <see cref="RunId"/>, or found <see cref="ActiveRunId"/> still active.</summary>
internal sealed record RunStart(Guid? RunId, Guid? ActiveRunId);

/// <summary>
/// Submits runs for <c>gogobe serve</c> (API and schedule) into the job tables; serve's <see cref="WorkerService"/> (and
/// any other worker on the database) runs their tasks. One active run at a time, whichever process submitted it (the
/// database refuses a second). A demo run's simulator lives here until its run has ended.
/// </summary>
internal sealed partial class RunLauncher(
    AppDatabase database,
    ScraperRegistry registry,
    IOptions<RunsOptions> runs,
    IOptions<DemoOptions> demo,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private static readonly TimeSpan WatchEvery = TimeSpan.FromSeconds(1);
    private readonly ILogger _logger = loggerFactory.CreateLogger<RunLauncher>();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, Task> _demoRuns = new();

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
            var portal = runSettings.Demo is { } demoScale
                ? await DemoPortal.StartAsync(request.Chains ?? registry.Scrapers, demoScale, time, loggerFactory, cancellationToken).ConfigureAwait(false)
                : null;
            try
            {
                var submission = RunSubmitter.Create(
                    runId, portal?.Scrapers ?? request.Chains ?? registry.Scrapers, runSettings, portal?.BaseAddress, new SupervisorOptions(), RunSubmitter.Origin("serve"));
                await database.Jobs.SubmitRunAsync(submission, cancellationToken).ConfigureAwait(false);
            }
            catch (RunAlreadyActiveException ex)
            {
                // Another process submitted one between our check and our insert.
                if (portal is not null)
                {
                    await portal.DisposeAsync().ConfigureAwait(false);
                }

                return new RunStart(null, ex.ActiveRunId);
            }
            catch
            {
                if (portal is not null)
                {
                    await portal.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }

            LogRunQueued(runId, settings.Demo);
            if (portal is not null)
            {
                _demoRuns[runId] = Task.Run(() => KeepPortalAsync(runId, portal), CancellationToken.None);
            }

            return new RunStart(runId, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // The demo portals go with this process, so their runs cannot finish elsewhere: abort them rather than leave
        // their tasks to fail against a dead address.
        foreach (var runId in _demoRuns.Keys)
        {
            await database.Jobs.RequestAbortAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(_demoRuns.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _gate.Dispose();
    }

    /// <summary>Keeps a demo run's simulator up until the run has ended (or this process stops).</summary>
    private async Task KeepPortalAsync(Guid runId, DemoPortal portal)
    {
        await using (portal.ConfigureAwait(false))
        {
            try
            {
                while (!_stopping.IsCancellationRequested)
                {
                    var run = await database.Jobs.GetRunAsync(runId, _stopping.Token).ConfigureAwait(false);
                    if (run is null || run.State.IsTerminal())
                    {
                        LogRunEnded(runId, run?.State.ToDb() ?? "gone");
                        break;
                    }

                    await Task.Delay(WatchEvery, time, _stopping.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopping: StopAsync aborted the run.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWatchFailed(ex, runId);
            }
            finally
            {
                _demoRuns.TryRemove(runId, out _);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId} queued (demo: {Demo})")]
    private partial void LogRunQueued(Guid runId, bool demo);

    [LoggerMessage(LogLevel.Information, "Run {RunId} ended {State}; its demo portal stops")]
    private partial void LogRunEnded(Guid runId, string state);

    [LoggerMessage(LogLevel.Error, "Watching demo run {RunId} failed; its portal stops")]
    private partial void LogWatchFailed(Exception exception, Guid runId);
}
