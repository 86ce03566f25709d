using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>
/// Wolt Market: a page of links per day, <c>v1/YYYY-MM-DD.html</c>, each <c>&lt;li&gt;&lt;a href="download/YYYY-MM-DD/file"&gt;</c>;
/// a day without a page answers 400. The days' index (<c>v1/index.html</c>) stopped being updated, so it is not read.
/// </summary>
public sealed class WoltMarket() : SimplePageScraper(
    new Chain("Wolt Market", "7290058249350"), PortalFamilies.DailyHtml, new Uri("https://wm-gateway.wolt.com/isr-prices/public/v1/"),
    SimpleListFormat.HtmlLinks, selectsDay: true)
{
    protected override string ListingPath(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".html";
}
