namespace Gogobe.Core.Supervision;

/// <summary>Where a run or a task is. Stored as the upper-case name (<c>QUEUED</c>, ...).</summary>
public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Aborted,

    /// <summary>Its worker stopped heartbeating; rescue requeues it (or fails it once its attempts are spent).</summary>
    Orphaned,
}

/// <summary>The database spelling of <see cref="JobState"/> and which states are final.</summary>
public static class JobStates
{
    public static string ToDb(this JobState state) => state switch
    {
        JobState.Queued => "QUEUED",
        JobState.Running => "RUNNING",
        JobState.Succeeded => "SUCCEEDED",
        JobState.Failed => "FAILED",
        JobState.Aborted => "ABORTED",
        JobState.Orphaned => "ORPHANED",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown job state."),
    };

    /// <summary>Parses <c>QUEUED</c>, <c>queued</c>, <c>Queued</c>, ...; throws <see cref="ArgumentException"/> naming the valid states otherwise.</summary>
    public static JobState Parse(string value) =>
        Enum.TryParse<JobState>(value, ignoreCase: true, out var state) && Enum.IsDefined(state)
            ? state
            : throw new ArgumentException(
                $"'{value}' is not a job state; use one of {string.Join(", ", Enum.GetValues<JobState>().Select(s => s.ToDb()))}.", nameof(value));

    /// <summary>Succeeded, failed and aborted are final: nothing leaves them.</summary>
    public static bool IsTerminal(this JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Aborted;
}
