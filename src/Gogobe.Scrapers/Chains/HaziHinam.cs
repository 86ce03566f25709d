using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>shop.hazi-hinam.co.il/Prices: t = 1 prices, 2 promotions, 3 stores; one day per listing.</summary>
public sealed class HaziHinam() : PagedHtmlScraper(
    new Chain("Hazi Hinam", "7290700100008"),
    new PagedHtmlSite(PortalFamilies.HaziHinamHtml, new Uri("https://shop.hazi-hinam.co.il/"), ["1", "2", "3"],
        RowSelector: "table.prices-table tbody tr", PagerSelector: "ul.pagination a", PageParameter: "p") { SelectsDay = true })
{
    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"Prices?t={category}&d={day:yyyy-MM-dd}&p={page}");
}
