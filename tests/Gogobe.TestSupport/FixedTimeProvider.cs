namespace Gogobe.TestSupport;

/// <summary>A clock tests set and move by hand (for "today" in Israel, timestamps in the log).</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void SetUtcNow(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}
