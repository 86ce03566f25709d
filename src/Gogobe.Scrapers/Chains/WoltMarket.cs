using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>Wolt Market: one page of links per day, <c>v1/YYYY-MM-DD.html</c>, the days linked from <c>v1/index.html</c>.</summary>
public sealed class WoltMarket() : SimplePageScraper(
    new Chain("Wolt Market", "7290058249350"), PortalFamilies.DailyHtml, new Uri("https://wm-gateway.wolt.com/isr-prices/public/v1/"),
    SimpleListFormat.HtmlLinks, dayIndexPath: "index.html")
{
    protected override string ListingPath(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".html";
}
