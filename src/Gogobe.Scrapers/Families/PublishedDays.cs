using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Date selection shared by the families whose portals answer per day (or name the day in each file): take today's
/// files (Israel date); when today has none, look back a few days to tell "not published yet" (an early-morning run,
/// <see cref="NoFilesYetException"/>) from "nothing at all" (the portal moved or broke, an ordinary error).
/// </summary>
internal static class PublishedDays
{
    /// <summary>How far back an empty "today" looks for earlier files: covers a weekend on which a portal publishes nothing.</summary>
    public const int LookBackDays = 3;

    public static async Task<IReadOnlyList<PublishedFile>> TodayAsync(
        Chain chain,
        DateOnly today,
        string where,
        Func<DateOnly, CancellationToken, Task<IReadOnlyList<PublishedFile>>> listDay,
        CancellationToken cancellationToken)
    {
        var files = await listDay(today, cancellationToken).ConfigureAwait(false);
        if (files.Count > 0)
        {
            return files;
        }

        for (var back = 1; back <= LookBackDays; back++)
        {
            var day = today.AddDays(-back);
            if ((await listDay(day, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                throw new NoFilesYetException(chain, today, day);
            }
        }

        throw new InvalidOperationException(
            $"{chain}: {where} lists no files for {today:yyyy-MM-dd} nor for the {LookBackDays} days before; the portal may have moved or changed.");
    }
}
