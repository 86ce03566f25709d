using System.Globalization;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Shufersal's paged HTML listing (prices.shufersal.co.il): <c>FileObject/UpdateCategory?catID=0&amp;storeId=0&amp;page=p</c>
/// (catID 0 is every kind), rows in <c>#gridContainer table tbody tr</c>, a WebGrid pager in the footer, direct signed
/// blob links that expire. The listing shows what is current, so it does not select by day.
/// </summary>
public abstract class ShufersalHtmlScraper(Chain chain) : PagedHtmlScraper(chain, ShufersalSite)
{
    private static readonly PagedHtmlSite ShufersalSite = new(
        PortalFamilies.ShufersalHtml, new Uri("https://prices.shufersal.co.il/"), ["0"],
        RowSelector: "#gridContainer table tbody tr", PagerSelector: "#gridContainer table tfoot a", PageParameter: "page");

    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"FileObject/UpdateCategory?catID={category}&storeId=0&page={page}");
}
