using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Microsoft.Extensions.Logging;

namespace Gogobe.Core.Supervision;

/// <summary>How a worker loop ends by itself (besides cancellation).</summary>
/// <param name="MaxTasks">Stop after this many tasks (null: never).</param>
/// <param name="IdleExit">Stop after finding no work for this long (null: never).</param>
public sealed record WorkerLimits(int? MaxTasks = null, TimeSpan? IdleExit = null);

/// <summary>
/// One worker loop: rescues orphans, leases a task, runs its chain through the <see cref="Orchestrator"/>, heartbeats
/// while it runs, and writes how it ended. Any number of loops, in any number of processes, share one database.
/// Cancelling the loop's token is a graceful stop: the running chain is cancelled (its open file rolls back) and its
/// task goes back to QUEUED for another worker.
/// </summary>
public sealed partial class JobWorker
{
    private readonly IJobStore _store;
    private readonly Orchestrator _orchestrator;
    private readonly Dictionary<string, SupermarketScraper> _scrapers;
    private readonly Func<JobSettings, CancellationToken, ValueTask<RunOptions>> _options;
    private readonly SupervisorOptions _supervisor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IRunObserver? _observer;

    /// <param name="observer">Also told of every chain's progress (console progress); null for none.</param>
    /// <param name="optionsFactory">Builds the run options of a task from its run's stored settings.</param>
    public JobWorker(
        string workerId,
        IJobStore store,
        Orchestrator orchestrator,
        IReadOnlyList<SupermarketScraper> scrapers,
        Func<JobSettings, CancellationToken, ValueTask<RunOptions>> optionsFactory,
        SupervisorOptions supervisor,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IRunObserver? observer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(scrapers);
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        supervisor.Validate();
        WorkerId = workerId;
        _store = store;
        _orchestrator = orchestrator;
        _scrapers = scrapers.ToDictionary(s => s.Chain.Id, StringComparer.Ordinal);
        _options = optionsFactory;
        _supervisor = supervisor;
        _time = time;
        _logger = loggerFactory.CreateLogger<JobWorker>();
        _observer = observer;
    }

    public string WorkerId { get; }

    /// <summary>Tasks this loop has run to an end (any end).</summary>
    public int TasksRun { get; private set; }

    /// <summary>A worker id unique across machines and processes: host, pid and the loop's number.</summary>
    public static string NewWorkerId(int loop) => $"{Environment.MachineName}:{Environment.ProcessId}:{loop}";

    /// <summary>Works until <paramref name="cancellationToken"/> is cancelled or <paramref name="limits"/> say stop.</summary>
    public async Task RunAsync(WorkerLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var idleSince = _time.GetUtcNow();
        DateTimeOffset? registered = null;
        LogWorkerStarted(WorkerId, _scrapers.Count);
        while (!cancellationToken.IsCancellationRequested && (limits.MaxTasks is not { } max || TasksRun < max))
        {
            TaskLease? lease;
            try
            {
                // The loop's own "I am alive" row (for `gogobe status`), at most once per heartbeat interval while idle.
                if (registered is not { } at || _time.GetUtcNow() - at >= _supervisor.HeartbeatInterval)
                {
                    await _store.WorkerHeartbeatAsync(WorkerId, Environment.MachineName, Environment.ProcessId, cancellationToken).ConfigureAwait(false);
                    registered = _time.GetUtcNow();
                }

                // Rescue runs in every live worker: no process is special, so none is a single point of failure.
                var orphaned = await _store.RescueOrphansAsync(_supervisor.OrphanAfter, cancellationToken).ConfigureAwait(false);
                if (orphaned > 0)
                {
                    LogOrphansRescued(WorkerId, orphaned);
                }

                lease = await _store.LeaseAsync(WorkerId, _scrapers.Keys, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly away; the loop must outlive that, not die with it.
                LogStoreUnavailable(ex, WorkerId);
                lease = null;
            }

            if (lease is null)
            {
                if (limits.IdleExit is { } idle && _time.GetUtcNow() - idleSince >= idle)
                {
                    break;
                }

                try
                {
                    await Task.Delay(_supervisor.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            await ExecuteAsync(lease, cancellationToken).ConfigureAwait(false);
            TasksRun++;
            idleSince = _time.GetUtcNow();
        }

        LogWorkerStopped(WorkerId, TasksRun);
    }

    /// <summary>Runs one leased task to its end and records that end. Never throws for the chain's own failures.</summary>
    private async Task ExecuteAsync(TaskLease lease, CancellationToken stopping)
    {
        var task = lease.Task;
        var scraper = _scrapers[task.ChainId];
        LogTaskLeased(WorkerId, task.Id, task.ChainName, task.Attempt, task.MaxAttempts);
        using var abort = new CancellationTokenSource();
        using var timeout = new CancellationTokenSource(task.Timeout, _time);
        using var lost = new CancellationTokenSource();
        // Abort, timeout and a lost lease all stop only this chain (ChainAbort): its file rolls back and the chain reports.
        using var chainStop = CancellationTokenSource.CreateLinkedTokenSource(abort.Token, timeout.Token, lost.Token);
        using var watchStop = new CancellationTokenSource();
        var progress = new TaskProgress(_observer);
        var watch = WatchAsync(task, progress, abort, lost, watchStop.Token);

        ChainReport? report = null;
        Exception? thrown = null;
        var chain = RunChainAsync(scraper, lease, progress, chainStop.Token, stopping);
        try
        {
            report = await WaitUnwoundAsync(chain, chainStop.Token, stopping).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            thrown = ex;
        }
        finally
        {
            await watchStop.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }

        var (to, details) = Verdict(task, report, thrown, abort.IsCancellationRequested, timeout.IsCancellationRequested,
            lost.IsCancellationRequested, stopping.IsCancellationRequested);
        if (to is not { } state)
        {
            LogLeaseLost(WorkerId, task.Id, task.ChainName);
            return;
        }

        // Written even while stopping: the task's end must be recorded, or it would wait for orphan rescue.
        bool written;
        try
        {
            written = await _store.TransitionTaskAsync(task.Id, JobState.Running, state, details, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is away: the loop lives on, and the task (no longer heartbeating) is rescued as an orphan.
            LogEndNotWritten(ex, WorkerId, task.Id, task.ChainName, state.ToDb());
            return;
        }

        if (written)
        {
            LogTaskEnded(WorkerId, task.Id, task.ChainName, state.ToDb(), details.Reason);
        }
        else
        {
            LogLeaseLost(WorkerId, task.Id, task.ChainName);
        }
    }

    private Task<ChainReport> RunChainAsync(
        SupermarketScraper scraper, TaskLease lease, TaskProgress progress, CancellationToken chainStop, CancellationToken stopping) =>
        // Its own thread pool work item, so a scraper that blocks synchronously cannot hold the worker loop.
        Task.Run(async () =>
        {
            var options = (await _options(lease.Settings, stopping).ConfigureAwait(false)) with { ChainAbort = _ => chainStop };
            return await _orchestrator.RunChainAsync(scraper, options, progress, lease.Task.RunId, stopping).ConfigureAwait(false);
        }, CancellationToken.None);

    /// <summary>
    /// The chain's report; when the chain was told to stop but does not unwind within the grace period (a scraper deaf to
    /// its token), gives up on it so the task still ends on time. The abandoned work's failure is observed and logged.
    /// </summary>
    private async Task<ChainReport?> WaitUnwoundAsync(Task<ChainReport> chain, CancellationToken chainStop, CancellationToken stopping)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(chainStop, stopping);
        var stopped = Task.Delay(Timeout.InfiniteTimeSpan, _time, either.Token);
        if (await Task.WhenAny(chain, stopped).ConfigureAwait(false) == chain)
        {
            // Ends the pending delay, so nothing waits on a token that will never fire.
            await either.CancelAsync().ConfigureAwait(false);
            return await chain.ConfigureAwait(false);
        }

        var grace = Task.Delay(_supervisor.UnwindGrace, _time, CancellationToken.None);
        if (await Task.WhenAny(chain, grace).ConfigureAwait(false) == chain)
        {
            return await chain.ConfigureAwait(false);
        }

        _ = chain.ContinueWith(t => LogAbandonedChainEnded(t.Exception, WorkerId), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return null;
    }

    /// <summary>Heartbeats every <see cref="SupervisorOptions.HeartbeatInterval"/> and checks for an abort every <see cref="SupervisorOptions.AbortCheckInterval"/>.</summary>
    private async Task WatchAsync(TaskRecord task, TaskProgress progress, CancellationTokenSource abort, CancellationTokenSource lost, CancellationToken stop)
    {
        var tick = _supervisor.AbortCheckInterval < _supervisor.HeartbeatInterval ? _supervisor.AbortCheckInterval : _supervisor.HeartbeatInterval;
        var lastBeat = _time.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, _time, stop).ConfigureAwait(false);
                HeartbeatReply reply;
                if (_time.GetUtcNow() - lastBeat >= _supervisor.HeartbeatInterval - (tick / 2))
                {
                    var (percent, phase) = progress.Current;
                    reply = await _store.HeartbeatAsync(task.Id, WorkerId, percent, phase, stop).ConfigureAwait(false);
                    lastBeat = _time.GetUtcNow();
                }
                else
                {
                    reply = await _store.CheckAsync(task.Id, WorkerId, stop).ConfigureAwait(false);
                }

                if (reply == HeartbeatReply.AbortRequested && !abort.IsCancellationRequested)
                {
                    LogAbortNoticed(WorkerId, task.Id, task.ChainName);
                    await abort.CancelAsync().ConfigureAwait(false);
                }
                else if (reply == HeartbeatReply.LeaseLost)
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missed heartbeat is survivable (rescue waits OrphanAfter); the next tick tries again.
                LogHeartbeatFailed(ex, WorkerId, task.Id);
            }
        }
    }

    /// <summary>How the task ended: the state to write and why, or null when the lease was lost (someone else owns it now).</summary>
    private static (JobState? To, TransitionDetails Details) Verdict(
        TaskRecord task, ChainReport? report, Exception? thrown, bool aborted, bool timedOut, bool lost, bool stopping)
    {
        var result = report is null ? null : TaskResultSummary.From(report).ToJson();
        if (lost)
        {
            return (null, new TransitionDetails());
        }

        if (aborted)
        {
            return (JobState.Aborted, new TransitionDetails("aborted", result, task.WorkerId));
        }

        if (timedOut)
        {
            return (JobState.Failed, new TransitionDetails("timeout", result, task.WorkerId));
        }

        if (stopping && (thrown is OperationCanceledException || report is null))
        {
            // A graceful stop is not the chain's fault: back to the queue, same attempt, for the next worker.
            return (JobState.Queued, new TransitionDetails("worker stopped; requeued", null, task.WorkerId));
        }

        var error = thrown is not null ? FailureReasons.Describe(thrown) : report?.Error;
        if (error is null)
        {
            return (JobState.Succeeded, new TransitionDetails(report!.Notice, result, task.WorkerId));
        }

        return task.Attempt < task.MaxAttempts
            ? (JobState.Queued, new TransitionDetails($"attempt {task.Attempt} failed: {error}", result, task.WorkerId, NextAttempt: true))
            : (JobState.Failed, new TransitionDetails($"failed after {task.Attempt} attempts: {error}", result, task.WorkerId));
    }

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} started ({Chains} chains known)")]
    private partial void LogWorkerStarted(string workerId, int chains);

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} stopped after {Tasks} tasks")]
    private partial void LogWorkerStopped(string workerId, int tasks);

    [LoggerMessage(LogLevel.Warning, "Worker {WorkerId} rescued {Count} orphaned tasks")]
    private partial void LogOrphansRescued(string workerId, int count);

    [LoggerMessage(LogLevel.Warning, "Worker {WorkerId}: the job store is unavailable; retrying")]
    private partial void LogStoreUnavailable(Exception exception, string workerId);

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} leased task {TaskId} ({Chain}, attempt {Attempt}/{MaxAttempts})")]
    private partial void LogTaskLeased(string workerId, Guid taskId, string chain, int attempt, int maxAttempts);

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId}: task {TaskId} ({Chain}) ended {State}: {Reason}")]
    private partial void LogTaskEnded(string workerId, Guid taskId, string chain, string state, string? reason);

    [LoggerMessage(LogLevel.Warning, "Worker {WorkerId}: task {TaskId} ({Chain}) is no longer ours (orphaned and rescued); its end is not written")]
    private partial void LogLeaseLost(string workerId, Guid taskId, string chain);

    [LoggerMessage(LogLevel.Error, "Worker {WorkerId}: the end of task {TaskId} ({Chain}, {State}) could not be written; it will be rescued as an orphan")]
    private partial void LogEndNotWritten(Exception exception, string workerId, Guid taskId, string chain, string state);

    [LoggerMessage(LogLevel.Warning, "Worker {WorkerId}: abort requested for task {TaskId} ({Chain})")]
    private partial void LogAbortNoticed(string workerId, Guid taskId, string chain);

    [LoggerMessage(LogLevel.Warning, "Worker {WorkerId}: heartbeat of task {TaskId} failed")]
    private partial void LogHeartbeatFailed(Exception exception, string workerId, Guid taskId);

    [LoggerMessage(LogLevel.Warning, "Worker {WorkerId}: an abandoned chain ended with an error")]
    private partial void LogAbandonedChainEnded(Exception? exception, string workerId);
}
