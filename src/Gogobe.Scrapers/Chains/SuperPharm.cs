using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>prices.super-pharm.co.il: one listing per category and day (dd/mm/yyyy); each link answers {"href"} first.</summary>
public sealed class SuperPharm() : PagedHtmlScraper(
    new Chain("Super-Pharm", "7290172900007"),
    new PagedHtmlSite(PortalFamilies.SuperPharmHtml, new Uri("http://prices.super-pharm.co.il/"), ["Stores", "PriceFull", "Price", "PromoFull"],
        RowSelector: "table.mytable tbody tr", PagerSelector: ".page_link a", PageParameter: "page") { SelectsDay = true, LinkReturnsJson = true })
{
    protected override string ListingPath(string category, DateOnly day, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"?Category-equals={category}&Date-equals={day:dd'/'MM'/'yyyy}&page={page}");
}
