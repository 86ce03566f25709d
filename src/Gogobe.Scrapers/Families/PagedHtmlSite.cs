namespace Gogobe.Scrapers.Families;

/// <summary>
/// What a chain's own paged HTML price site is made of: where it lives, the categories its listing is split into
/// (one listing per category), the table and its cells, and the pager. <see cref="PagedHtmlScraper"/> does the rest.
/// </summary>
/// <param name="Family">The portal engine name (<c>PortalFamilies</c>), which the simulator serves in the same shape.</param>
/// <param name="Address">The site's real base address.</param>
/// <param name="Categories">The values of the site's category parameter to list, in order (all the site publishes).</param>
/// <param name="Table">The listing table and which of its cells hold what.</param>
/// <param name="Pager">The pager's elements and how they number the pages.</param>
public sealed record PagedHtmlSite(string Family, Uri Address, IReadOnlyList<string> Categories, ListingTable Table, ListingPager Pager)
{
    /// <summary>
    /// The site lists files per day (the listing path takes a date). Such a site can say "nothing yet today" (an earlier
    /// day has files), which is a notice, not an error. False: the listing shows what is current (Shufersal).
    /// </summary>
    public bool SelectsDay { get; init; }

    /// <summary>
    /// A row's link may answer a small JSON <c>{"href": "..."}</c> naming the file's address instead of the file
    /// (Super-Pharm: sources disagree); the answer's content decides, never an assumption.
    /// </summary>
    public bool LinkMayAnswerJson { get; init; }
}

/// <summary>
/// A listing table: the CSS selector of the table (its <c>tbody</c> rows are the files) and the 1-based cells that hold
/// the file name, the link, and where the site has them, the time and the size.
/// </summary>
/// <param name="Selector">CSS selector of the table (<c>table.webgrid</c>).</param>
/// <param name="NameCell">The cell with the file name (often without its extension).</param>
/// <param name="LinkCell">The cell whose <c>a[href]</c> downloads the file.</param>
public sealed record ListingTable(string Selector, int NameCell, int LinkCell)
{
    /// <summary>The cell with the published time, if any, read in one of <see cref="TimeFormats"/>.</summary>
    public int? TimeCell { get; init; }

    public IReadOnlyList<string> TimeFormats { get; init; } = [];

    /// <summary>The cell with the size ("12.42 KB", or a bare number in <see cref="SizeUnit"/>), if any.</summary>
    public int? SizeCell { get; init; }

    public string SizeUnit { get; init; } = "B";
}

/// <summary>
/// A pager: the CSS selector of its elements (links or buttons) and how each names its page: its <c>data-page</c>
/// attribute, else the <paramref name="PageParameter"/> in its <c>href</c>'s query. The last page is the highest number
/// any pager seen so far names, so a pager showing a window of pages, a "last" link, or buttons all work, and a site that
/// answers rows for a page past its end is never asked for one.
/// </summary>
public sealed record ListingPager(string Selector, string PageParameter);
