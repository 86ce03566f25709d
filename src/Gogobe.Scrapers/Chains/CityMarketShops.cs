using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>www.citymarket-shops.co.il: t = 1 prices, 2 promotions, 3 stores; s empty = every store; one day per listing.</summary>
public sealed class CityMarketShops() : PagedHtmlScraper(
    new Chain("City Market shops", "7290000000003"),
    new PagedHtmlSite(PortalFamilies.CityMarketHtml, new Uri("https://www.citymarket-shops.co.il/"), ["1", "2", "3"],
        RowSelector: "#files-table tbody tr", PagerSelector: "nav.pager a", PageParameter: "p") { SelectsDay = true })
{
    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"?t={category}&s=&d={day:yyyy-MM-dd}&p={page}");
}
