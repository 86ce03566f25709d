using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>
/// prices.super-pharm.co.il (SHAPES.md §6): an MVC grid, <c>table.gzTable</c>, per category and day (dd/MM/yyyy): the
/// name in cell 2, the date in 3, the branch in 5, the link in 6; the pager is <c>.mvc-grid-pager</c> buttons with
/// <c>data-page</c> (before 2025-07 <c>.page_link</c> links). The link answers the file or JSON <c>{"href"}</c>.
/// </summary>
public sealed class SuperPharm() : PagedHtmlScraper(
    new Chain("Super-Pharm", "7290172900007"),
    new PagedHtmlSite(PortalFamilies.SuperPharmHtml, new Uri("http://prices.super-pharm.co.il/"), ["Stores", "PriceFull", "Price", "PromoFull"],
        new ListingTable("table.gzTable", NameCell: 2, LinkCell: 6)
        {
            TimeCell = 3, TimeFormats = ["dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"],
        },
        new ListingPager(".mvc-grid-pager button[data-page], .page_link a[href]", "page")) { SelectsDay = true, LinkMayAnswerJson = true })
{
    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"?Category-equals={category}&Date-equals={day:dd'/'MM'/'yyyy}&page={page}");
}
