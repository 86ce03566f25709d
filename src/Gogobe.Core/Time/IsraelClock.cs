namespace Gogobe.Core;

/// <summary>
/// The daily pass and the portals count days in Israel local time, whatever the host's zone is.
/// </summary>
public static class IsraelClock
{
    public static TimeZoneInfo Zone { get; } = FindZone();

    public static DateTimeOffset Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone);
    }

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(Now(time).DateTime);

    /// <summary>The UTC instants at which the given Israel date starts and ends.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) DayBounds(DateOnly day)
    {
        var start = day.ToDateTime(TimeOnly.MinValue);
        var end = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return (new DateTimeOffset(start, Zone.GetUtcOffset(start)).ToUniversalTime(),
                new DateTimeOffset(end, Zone.GetUtcOffset(end)).ToUniversalTime());
    }

    private static TimeZoneInfo FindZone()
    {
        // IANA id on Linux/macOS, and on Windows with ICU; the Windows id as a fallback.
        foreach (var id in new[] { "Asia/Jerusalem", "Israel Standard Time" })
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return zone;
            }
        }

        throw new InvalidOperationException("The Israel time zone (Asia/Jerusalem) is not installed on this machine; install tzdata.");
    }
}
