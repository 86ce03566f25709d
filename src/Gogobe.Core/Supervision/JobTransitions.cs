namespace Gogobe.Core.Supervision;

/// <summary>
/// The legal state changes. The store refuses anything else before touching the database, and guards every change it
/// makes with the expected current state, so a change that raced with another is refused too.
/// </summary>
public static class JobTransitions
{
    private static readonly HashSet<(JobState From, JobState To)> TaskMoves =
    [
        // Leased by a worker; aborted before any worker took it.
        (JobState.Queued, JobState.Running),
        (JobState.Queued, JobState.Aborted),

        // The worker's verdicts; QUEUED again when the chain threw and has attempts left, or its worker stopped gracefully.
        (JobState.Running, JobState.Succeeded),
        (JobState.Running, JobState.Failed),
        (JobState.Running, JobState.Aborted),
        (JobState.Running, JobState.Queued),

        // Heartbeat lost, then rescue: requeue (attempt + 1), fail once attempts are spent, or honour a pending abort.
        (JobState.Running, JobState.Orphaned),
        (JobState.Orphaned, JobState.Queued),
        (JobState.Orphaned, JobState.Failed),
        (JobState.Orphaned, JobState.Aborted),
    ];

    private static readonly HashSet<(JobState From, JobState To)> RunMoves =
    [
        (JobState.Queued, JobState.Running),
        // A run finishes when its last task does (from QUEUED when every task was aborted before it started).
        (JobState.Queued, JobState.Succeeded),
        (JobState.Queued, JobState.Failed),
        (JobState.Queued, JobState.Aborted),
        (JobState.Running, JobState.Succeeded),
        (JobState.Running, JobState.Failed),
        (JobState.Running, JobState.Aborted),
    ];

    public static bool IsLegalForTask(JobState from, JobState to) => TaskMoves.Contains((from, to));

    public static bool IsLegalForRun(JobState from, JobState to) => RunMoves.Contains((from, to));

    /// <summary>Throws <see cref="IllegalTransitionException"/> unless a task may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void EnsureLegalForTask(JobState from, JobState to)
    {
        if (!IsLegalForTask(from, to))
        {
            throw new IllegalTransitionException("task", from, to);
        }
    }

    /// <summary>Throws <see cref="IllegalTransitionException"/> unless a run may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void EnsureLegalForRun(JobState from, JobState to)
    {
        if (!IsLegalForRun(from, to))
        {
            throw new IllegalTransitionException("run", from, to);
        }
    }
}

/// <summary>A state change the state machine does not allow (a bug in the caller, never a race: races return false).</summary>
public sealed class IllegalTransitionException : InvalidOperationException
{
    public IllegalTransitionException()
    {
    }

    public IllegalTransitionException(string message)
        : base(message)
    {
    }

    public IllegalTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IllegalTransitionException(string kind, JobState from, JobState to)
        : base($"A {kind} cannot go from {from.ToDb()} to {to.ToDb()}.")
    {
    }
}
