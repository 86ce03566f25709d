namespace Gogobe.Host.Hosting;

/// <summary>
/// The delay before restarting a crashed worker: the first delay, doubled per crash in a row, capped; back to the
/// first once a worker has run long enough to count as stable. A worker crashing at start then costs a restart a
/// minute, not a busy loop, and one crash after hours of work is retried at once.
/// </summary>
internal sealed class RestartBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _maximum;
    private readonly TimeSpan _stableAfter;
    private TimeSpan _next;

    public RestartBackoff(TimeSpan initial, TimeSpan maximum, TimeSpan stableAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        (_initial, _maximum, _stableAfter, _next) = (initial, maximum, stableAfter, initial);
    }

    /// <summary>The delay after a worker that ran for <paramref name="ran"/> exited.</summary>
    public TimeSpan After(TimeSpan ran)
    {
        if (ran >= _stableAfter)
        {
            _next = _initial;
        }

        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_maximum.Ticks, _next.Ticks * 2));
        return delay;
    }
}
