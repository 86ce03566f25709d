namespace Gogobe.Scrapers.Families;

/// <summary>
/// What a chain's own paged HTML price site is made of: where it lives, the categories its listing is split into
/// (one listing per category), which table rows hold files, where the pager's links are and which query parameter
/// numbers the pages. <see cref="PagedHtmlScraper"/> does the rest.
/// </summary>
/// <param name="Family">The portal engine name (<c>PortalFamilies</c>), which the simulator serves in the same shape.</param>
/// <param name="Address">The site's real base address.</param>
/// <param name="Categories">The values of the site's category parameter to list, in order (all the site publishes).</param>
/// <param name="RowSelector">CSS selector of the listing rows that hold a file (header rows excluded).</param>
/// <param name="PagerSelector">CSS selector of the pager's links.</param>
/// <param name="PageParameter">The query parameter that numbers listing pages (1-based).</param>
public sealed record PagedHtmlSite(
    string Family, Uri Address, IReadOnlyList<string> Categories, string RowSelector, string PagerSelector, string PageParameter)
{
    /// <summary>
    /// The site lists files per day (the listing path takes a date). Such a site can say "nothing yet today" (an earlier
    /// day has files), which is a notice, not an error. False: the listing shows what is current (Shufersal).
    /// </summary>
    public bool SelectsDay { get; init; }

    /// <summary>Each row's link answers a small JSON <c>{"href": "..."}</c> naming the file's address (Super-Pharm): two steps.</summary>
    public bool LinkReturnsJson { get; init; }
}
