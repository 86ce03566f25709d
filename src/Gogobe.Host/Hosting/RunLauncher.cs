using System.Collections.Concurrent;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Host.Configuration;
using Gogobe.Host.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Hosting;

/// <summary>Where a run started by this process is.</summary>
internal enum RunState
{
    Running,
    Finished,
    Cancelled,
    Failed,
}

/// <summary>A run this process started: its state as it changes (read by the API while the run writes it).</summary>
internal sealed class LaunchedRun(Guid id, DateTimeOffset startedAt)
{
    private volatile Outcome _outcome = new(RunState.Running, null, null, null);

    public Guid Id { get; } = id;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public RunState State => _outcome.State;

    public DateTimeOffset? FinishedAt => _outcome.FinishedAt;

    /// <summary>Whether every chain and file succeeded; null until the run finished.</summary>
    public bool? Succeeded => _outcome.Succeeded;

    /// <summary>Why the run failed as a whole (a single file's failure is in its log row instead).</summary>
    public string? Error => _outcome.Error;

    public void End(RunState state, DateTimeOffset at, bool? succeeded = null, string? error = null) =>
        _outcome = new Outcome(state, at, succeeded, error);

    private sealed record Outcome(RunState State, DateTimeOffset? FinishedAt, bool? Succeeded, string? Error);
}

/// <summary>What <see cref="RunLauncher.TryStart"/> did: started <see cref="Run"/>, or found <see cref="Active"/> still running.</summary>
internal sealed record RunStart(LaunchedRun? Run, LaunchedRun? Active);

/// <summary>
/// Runs the orchestra inside <c>gogobe serve</c>, one run at a time, in the background: the API answers at once with the
/// run's id and the run goes on. Stopping the host cancels the active run and waits for it to wind down, so no file is
/// left half-written by a killed process.
/// </summary>
internal sealed partial class RunLauncher(
    AppDatabase database,
    ScraperRegistry registry,
    IOptions<RunsOptions> runs,
    IOptions<DemoOptions> demo,
    IOptions<PortalHttpOptions> http,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<RunLauncher>();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, LaunchedRun> _runs = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _chainAborts = new(StringComparer.Ordinal);
    private (LaunchedRun Run, CancellationTokenSource Cancel, Task Task)? _active;

    /// <summary>Starts a run unless one is running.</summary>
    public RunStart TryStart()
    {
        lock (_gate)
        {
            if (_active is { } active && active.Run.State == RunState.Running)
            {
                return new RunStart(null, active.Run);
            }

            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            var run = new LaunchedRun(Guid.CreateVersion7(time.GetUtcNow()), time.GetUtcNow());
            _runs[run.Id] = run;
            _active?.Cancel.Dispose();
            DisposeChainAborts();
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _active = (run, cancel, Task.Run(() => ExecuteAsync(run, cancel.Token), CancellationToken.None));
            return new RunStart(run, null);
        }
    }

    /// <summary>A run this process started, or null.</summary>
    public LaunchedRun? Find(Guid runId) => _runs.GetValueOrDefault(runId);

    /// <summary>Asks the active run to stop; false when <paramref name="runId"/> is not the running run.</summary>
    public bool TryCancel(Guid runId)
    {
        lock (_gate)
        {
            if (_active is not { } active || active.Run.Id != runId || active.Run.State != RunState.Running)
            {
                return false;
            }

            active.Cancel.Cancel();
            return true;
        }
    }

    /// <summary>Aborts one chain of the running run <paramref name="runId"/>; the others go on. False when that run is not running.</summary>
    public bool TryAbortChain(Guid runId, string chainId)
    {
        lock (_gate)
        {
            if (_active is not { } active || active.Run.Id != runId || active.Run.State != RunState.Running)
            {
                return false;
            }

            // The chain may not have started yet: its token is created here and found cancelled when it starts.
            _chainAborts.GetOrAdd(chainId, _ => new CancellationTokenSource()).Cancel();
            return true;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? running;
        lock (_gate)
        {
            _stopping.Cancel();
            running = _active?.Task;
        }

        if (running is not null)
        {
            // The run ends itself on cancellation; the host's shutdown timeout bounds the wait.
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _active?.Cancel.Dispose();
        _stopping.Dispose();
        DisposeChainAborts();
    }

    private void DisposeChainAborts()
    {
        foreach (var abort in _chainAborts.Values)
        {
            abort.Dispose();
        }

        _chainAborts.Clear();
    }

    private async Task ExecuteAsync(LaunchedRun run, CancellationToken cancellationToken)
    {
        var settings = runs.Value;
        var scale = demo.Value;
        LogRunStarting(run.Id, settings.Demo);
        try
        {
            var runSettings = new RunSettings(
                Force: false,
                Parallelism: settings.Parallelism,
                BatchSize: 5_000,
                MaxRejectedShare: 0.2,
                Proxy: null,
                Demo: settings.Demo ? new DemoScale(scale.Chains, scale.StoresPerChain, scale.ItemsPerStore, scale.Seed) : null,
                RunId: run.Id,
                PerHostConcurrency: settings.PerHostConcurrency,
                Http: http.Value);
            RunReport report;
            var prepared = await RunFactory.PrepareAsync(registry.Scrapers, runSettings, time, loggerFactory, cancellationToken).ConfigureAwait(false);
            await using (prepared.ConfigureAwait(false))
            {
                report = await RunFactory.CreateOrchestrator(database, time, loggerFactory)
                    .RunAsync(prepared.Scrapers, WithChainAbort(prepared.Options), new FileOutcomeLogger(loggerFactory), cancellationToken).ConfigureAwait(false);
            }

            // Finished only once the simulator is gone too: the next run may start the moment the state says so.
            run.End(RunState.Finished, time.GetUtcNow(), report.Succeeded);
            LogRunFinished(run.Id, report.FilesCompleted, report.FilesFailed, report.FilesSkipped);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.End(RunState.Cancelled, time.GetUtcNow());
            LogRunCancelled(run.Id);
        }
        catch (Exception ex)
        {
            // A background run must record any failure as its state: nobody else would see it.
            run.End(RunState.Failed, time.GetUtcNow(), succeeded: false, error: ex.Message);
            LogRunFailed(ex, run.Id);
        }
    }

    private RunOptions WithChainAbort(RunOptions options) => new()
    {
        RunId = options.RunId,
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        BatchSize = options.BatchSize,
        MaxRejectedShare = options.MaxRejectedShare,
        Force = options.Force,
        PortalAddress = options.PortalAddress,
        HttpClientFactory = options.HttpClientFactory,
        CertificatePins = options.CertificatePins,
        ChainAbort = chain => _chainAborts.GetOrAdd(chain.Id, _ => new CancellationTokenSource()).Token,
    };

    [LoggerMessage(LogLevel.Information, "Run {RunId} starting (demo: {Demo})")]
    private partial void LogRunStarting(Guid runId, bool demo);

    [LoggerMessage(LogLevel.Information, "Run {RunId} finished: {Completed} files completed, {Failed} failed, {Skipped} skipped")]
    private partial void LogRunFinished(Guid runId, int completed, int failed, int skipped);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} cancelled")]
    private partial void LogRunCancelled(Guid runId);

    [LoggerMessage(LogLevel.Error, "Run {RunId} failed")]
    private partial void LogRunFailed(Exception exception, Guid runId);
}
