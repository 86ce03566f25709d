using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>
/// shop.hazi-hinam.co.il/Prices (SHAPES.md §7): t = 1 prices, 2 promotions, 3 stores, one day per listing;
/// <c>table.table-striped</c> with the name (no extension) in cell 3, the size in KB in 5, the link in 6; the
/// <c>li.pagination-item</c> pager's links drop the date, so pages are asked for by number, never by following them.
/// </summary>
public sealed class HaziHinam() : PagedHtmlScraper(
    new Chain("Hazi Hinam", "7290700100008"),
    new PagedHtmlSite(PortalFamilies.HaziHinamHtml, new Uri("https://shop.hazi-hinam.co.il/"), ["1", "2", "3"],
        new ListingTable("table.table-striped", NameCell: 3, LinkCell: 6) { SizeCell = 5, SizeUnit = "KB" },
        new ListingPager("li.pagination-item a[href]", "p")) { SelectsDay = true })
{
    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"Prices?t={category}&f=null&d={day:yyyy-MM-dd}&p={page}");
}
