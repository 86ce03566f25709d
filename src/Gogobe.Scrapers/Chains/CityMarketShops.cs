using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>
/// www.citymarket-shops.co.il (SHAPES.md §7): t = 1 prices, 2 promotions, 3 stores; f (0 incremental, 1 full) and s
/// (store) left empty list all; one day per listing. <c>table.table-striped</c>: the name (no extension) in cell 3,
/// the size in KB in 6, the link <c>/downloadFile/&lt;uuid&gt;</c> in 7 (only <c>Content-Disposition</c> names the
/// file, so the name cell is the name); the <c>li.pagination-item</c> pager.
/// </summary>
public sealed class CityMarketShops() : PagedHtmlScraper(
    new Chain("City Market shops", "7290000000003"),
    new PagedHtmlSite(PortalFamilies.CityMarketHtml, new Uri("https://www.citymarket-shops.co.il/"), ["1", "2", "3"],
        new ListingTable("table.table-striped", NameCell: 3, LinkCell: 7) { SizeCell = 6, SizeUnit = "KB" },
        new ListingPager("li.pagination-item a[href]", "p")) { SelectsDay = true })
{
    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"?t={category}&f=&s=&d={day:yyyy-MM-dd}&p={page}");
}
