namespace Gogobe.Core.Supervision;

/// <summary>Timings and limits of the supervisor. Defaults are the production values; tests shorten them.</summary>
public sealed class SupervisorOptions
{
    /// <summary>How often a running task writes its heartbeat (and progress).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a running task checks for an abort between heartbeats (an abort ends it within about this plus the rollback).</summary>
    public TimeSpan AbortCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A RUNNING task whose heartbeat is older than this is ORPHANED (its worker died or hung).</summary>
    public TimeSpan OrphanAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle worker looks for queued work and runs orphan rescue.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a task may run before it is FAILED with reason <c>timeout</c>.</summary>
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Attempts per task (a throwing chain or an orphan is retried until these are spent).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>After cancelling a chain, how long to wait for it to unwind before the task is ended without it.</summary>
    public TimeSpan UnwindGrace { get; init; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(HeartbeatInterval), HeartbeatInterval), (nameof(AbortCheckInterval), AbortCheckInterval),
                     (nameof(OrphanAfter), OrphanAfter), (nameof(PollInterval), PollInterval), (nameof(TaskTimeout), TaskTimeout),
                     (nameof(UnwindGrace), UnwindGrace),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        if (OrphanAfter <= HeartbeatInterval)
        {
            // Otherwise a healthy task would be orphaned between two of its own heartbeats.
            throw new ArgumentOutOfRangeException(nameof(OrphanAfter), OrphanAfter, "OrphanAfter must be longer than HeartbeatInterval.");
        }
    }
}
