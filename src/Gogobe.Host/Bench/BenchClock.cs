namespace Gogobe.Host.Bench;

/// <summary>
/// The system clock, moved forward on request: the third scenario is the next day, and date-selecting portals
/// (Bina, PublishPrice, the paged sites) list the day the run's clock says, as they would the next morning.
/// </summary>
internal sealed class BenchClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>The time before any advance: when the benchmark really ran.</summary>
    public DateTimeOffset RealUtcNow => inner.GetUtcNow();

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
