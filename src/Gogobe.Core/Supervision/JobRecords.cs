using System.Text.Json;

namespace Gogobe.Core.Supervision;

/// <summary>
/// What a run was asked to do, stored with it (jsonb), so a worker in any process rebuilds the same run options.
/// <paramref name="Demo"/> describes the simulated world when the run is a demo: the simulator is deterministic from it,
/// so every process that takes one of the run's tasks serves the same portals itself, and no task depends on the
/// process that submitted the run. <paramref name="Chains"/> lists the chain ids, in order (the demo world's chains).
/// </summary>
public sealed record JobSettings(
    bool Force,
    int BatchSize,
    double MaxRejectedShare,
    Uri? Proxy,
    DemoWorld? Demo,
    IReadOnlyList<string> Chains,
    int PerHostConcurrency = 4)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static JobSettings FromJson(string json) =>
        JsonSerializer.Deserialize<JobSettings>(json, Json) ?? throw new InvalidOperationException("Empty run settings.");
}

/// <summary>A demo run's simulated world: with the run's chains, everything the portal simulator needs to serve the same files.</summary>
public sealed record DemoWorld(int StoresPerChain, int ItemsPerStore, int Seed, DateOnly Day);

/// <summary>A chain to run as one task of a new run.</summary>
public sealed record TaskSpec(string ChainId, string ChainName);

/// <summary>A new run: its settings, one task per chain, and the limits its tasks get.</summary>
public sealed record RunSubmission(
    Guid RunId, JobSettings Settings, IReadOnlyList<TaskSpec> Tasks, int MaxAttempts, TimeSpan TaskTimeout, string SubmittedBy);

/// <summary>A run as stored.</summary>
public sealed record RunRecord(
    Guid Id,
    JobState State,
    string? Reason,
    JobSettings Settings,
    bool AbortRequested,
    string SubmittedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>A task (one chain of a run) as stored. <see cref="Result"/> is the JSON result summary once it ended.</summary>
public sealed record TaskRecord(
    Guid Id,
    Guid RunId,
    string ChainId,
    string ChainName,
    JobState State,
    string? Reason,
    int Attempt,
    int MaxAttempts,
    int Progress,
    string? Phase,
    string? Result,
    string? WorkerId,
    DateTimeOffset? HeartbeatAt,
    bool AbortRequested,
    TimeSpan Timeout,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>A task a worker just leased, with its run's settings.</summary>
public sealed record TaskLease(TaskRecord Task, JobSettings Settings);

/// <summary>What a running task's heartbeat learned.</summary>
public enum HeartbeatReply
{
    /// <summary>Still ours; go on.</summary>
    Continue,

    /// <summary>Still ours, but an abort was requested: stop and roll back.</summary>
    AbortRequested,

    /// <summary>No longer ours (orphaned and rescued, or finished elsewhere): stop without writing its end.</summary>
    LeaseLost,
}

/// <summary>How a guarded state change is made.</summary>
/// <param name="Reason">Why (kept on the row; null leaves the previous reason).</param>
/// <param name="Result">The JSON result summary (null leaves it).</param>
/// <param name="WorkerId">When set, the task must still be held by this worker (a worker never ends a task it lost).</param>
/// <param name="NextAttempt">Count one more attempt (requeue after a failure or an orphan).</param>
public sealed record TransitionDetails(string? Reason = null, string? Result = null, string? WorkerId = null, bool NextAttempt = false);

/// <summary>A worker loop seen by the database, with the age of its last heartbeat.</summary>
public sealed record WorkerRecord(string Id, string Host, int Pid, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, TimeSpan HeartbeatAge);

/// <summary>What an abort request reached.</summary>
public enum AbortTarget
{
    NotFound,
    Run,
    Task,

    /// <summary>The run or task exists but already ended.</summary>
    AlreadyFinished,
}

/// <summary>Thrown when a run is submitted while another is queued or running (one active run at a time, across processes).</summary>
public sealed class RunAlreadyActiveException : InvalidOperationException
{
    public RunAlreadyActiveException()
    {
    }

    public RunAlreadyActiveException(string message)
        : base(message)
    {
    }

    public RunAlreadyActiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunAlreadyActiveException(Guid activeRunId)
        : base($"Run {activeRunId} is still active.") => ActiveRunId = activeRunId;

    public Guid ActiveRunId { get; }
}
