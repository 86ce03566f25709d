namespace Gogobe.Core.Supervision;

/// <summary>
/// Durable runs and tasks (implemented on PostgreSQL by Gogobe.Storage). Every state change is one atomic, guarded
/// statement or transaction: it happens only if the row is still in the expected state, so two processes never both
/// lease, finish or requeue the same task.
/// </summary>
public interface IJobStore
{
    /// <summary>Stores a run and its tasks, all QUEUED. Throws <see cref="RunAlreadyActiveException"/> while another run is active.</summary>
    Task<RunRecord> SubmitRunAsync(RunSubmission submission, CancellationToken cancellationToken);

    Task<RunRecord?> GetRunAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>The queued or running run, if any.</summary>
    Task<RunRecord?> ActiveRunAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<RunRecord>> ListRunsAsync(JobState? state, int limit, CancellationToken cancellationToken);

    Task<TaskRecord?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken);

    /// <summary>The tasks of one run (all runs when null), newest runs first, optionally in one state.</summary>
    Task<IReadOnlyList<TaskRecord>> ListTasksAsync(Guid? runId, JobState? state, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest QUEUED task of one of <paramref name="chainIds"/> (<c>FOR UPDATE SKIP LOCKED</c>: concurrent
    /// workers never take the same task), makes it RUNNING for <paramref name="workerId"/>; null when none is waiting.
    /// </summary>
    Task<TaskLease?> LeaseAsync(string workerId, IReadOnlyCollection<string> chainIds, CancellationToken cancellationToken);

    /// <summary>Proves <paramref name="workerId"/> still works on the task, with its progress; says whether to go on.</summary>
    Task<HeartbeatReply> HeartbeatAsync(Guid taskId, string workerId, int progress, string phase, CancellationToken cancellationToken);

    /// <summary>Reads, without writing, whether the task is still the worker's and whether an abort is pending.</summary>
    Task<HeartbeatReply> CheckAsync(Guid taskId, string workerId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a task from <paramref name="expected"/> to <paramref name="target"/> if it is still in <paramref name="expected"/>
    /// (false otherwise); throws <see cref="IllegalTransitionException"/> for a move the state machine forbids. When the
    /// task ends, its run ends in the same transaction if it was the last.
    /// </summary>
    Task<bool> TransitionTaskAsync(Guid taskId, JobState expected, JobState target, TransitionDetails details, CancellationToken cancellationToken);

    /// <summary>
    /// Marks RUNNING tasks whose heartbeat is older than <paramref name="staleAfter"/> ORPHANED, then requeues every
    /// ORPHANED task (attempt + 1), or fails it when its attempts are spent, or aborts it when an abort is pending.
    /// Safe to run in every process at once. Returns the tasks orphaned by this call.
    /// </summary>
    Task<int> RescueOrphansAsync(TimeSpan staleAfter, CancellationToken cancellationToken);

    /// <summary>Requests the abort of a run (all its tasks) or of one task, by id. Queued tasks end ABORTED at once.</summary>
    Task<AbortTarget> RequestAbortAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Requests the abort of the task of <paramref name="chainId"/> in run <paramref name="runId"/>.</summary>
    Task<AbortTarget> RequestChainAbortAsync(Guid runId, string chainId, CancellationToken cancellationToken);

    /// <summary>Records that a worker loop is alive (for <c>gogobe status</c>).</summary>
    Task WorkerHeartbeatAsync(string workerId, string host, int pid, CancellationToken cancellationToken);

    /// <summary>Worker loops seen within <paramref name="within"/>, freshest first.</summary>
    Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(TimeSpan within, CancellationToken cancellationToken);
}
