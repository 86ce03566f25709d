using System.Globalization;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Shufersal's price site (prices.shufersal.co.il, SHAPES.md §5): <c>FileObject/UpdateCategory?catID=0&amp;storeId=0&amp;page=p</c>
/// (catID 0 is every kind) answers an ASP.NET WebGrid, <c>table.webgrid</c> (inside <c>div#gridContainer</c> on the page),
/// eight cells a row: the signed blob link, the time (<c>M/d/yyyy h:mm:ss tt</c>), the size, <c>GZ</c>, the category, the
/// branch, the name without its extension, a number. The footer pager shows numbers plus <c>&gt;</c> and <c>&gt;&gt;</c>;
/// the last page is the highest <c>page=</c> it names, and a page past the end still answers rows. The listing shows
/// what is current, so it does not select by day; its signed links expire and are re-listed.
/// </summary>
public abstract class ShufersalHtmlScraper(Chain chain) : PagedHtmlScraper(chain, ShufersalSite)
{
    private static readonly PagedHtmlSite ShufersalSite = new(
        PortalFamilies.ShufersalHtml, new Uri("https://prices.shufersal.co.il/"), ["0"],
        new ListingTable("table.webgrid", NameCell: 7, LinkCell: 1) { TimeCell = 2, TimeFormats = ["M/d/yyyy h:mm:ss tt"], SizeCell = 3 },
        new ListingPager("table.webgrid tfoot a[href]", "page"));

    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"FileObject/UpdateCategory?catID={category}&storeId=0&page={page}");
}
