using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>app.netiv-hesed.com: one HTML page of links (the old raw-IP page is dead; the site is down on Shabbat).</summary>
public sealed class NetivHaHesed() : SimplePageScraper(
    new Chain("Netiv HaHesed", "7290058160839"), PortalFamilies.SimpleHtml, new Uri("https://app.netiv-hesed.com/"), SimpleListFormat.HtmlLinks)
{
    protected override string ListingPath(DateOnly day) => "";
}
