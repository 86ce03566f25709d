namespace Gogobe.Simulator.Tests;

/// <summary>A clock a test sets and moves by hand: the scraper's "today in Israel" and the simulator's link expiry.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    /// <summary>Noon in Israel (10:00 UTC in winter) on <see cref="TestFiles.Day"/>, the day the test worlds publish.</summary>
    public static ManualClock OnTestDay() => new(new DateTimeOffset(TestFiles.Day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
