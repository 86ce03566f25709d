namespace Gogobe.Core.Scraping;

/// <summary>
/// Thrown by a listing that finds no files for today while earlier days have them: portals publish through the day,
/// so an early-morning run finding nothing yet is expected, not a failure. The orchestrator reports the chain with
/// this message as a notice (not an error) and logs the listing as skipped. A listing that finds nothing at all, on
/// any day, must throw an ordinary exception instead: that is the portal moving or breaking.
/// </summary>
public sealed class NoFilesYetException : Exception
{
    public NoFilesYetException()
    {
    }

    public NoFilesYetException(string message)
        : base(message)
    {
    }

    public NoFilesYetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NoFilesYetException(Chain chain, DateOnly day, DateOnly? latestPublished)
        : base(Describe(chain, day, latestPublished))
    {
    }

    private static string Describe(Chain chain, DateOnly day, DateOnly? latest) =>
        $"{chain}: no files published yet for {day:yyyy-MM-dd}"
        + (latest is { } d ? $" (the latest are from {d:yyyy-MM-dd}); the portal publishes later in the day" : "; the portal publishes later in the day");
}
