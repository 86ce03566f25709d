using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>
/// app.netiv-hesed.com (since 2026-08; the old raw-IP page answers 500): a page per day, <c>?Date=YYYY-MM-DD</c>, links
/// <c>/Prices/Download?fileName=…</c>; today's page is empty until the morning's files, and the site is down on Shabbat.
/// </summary>
public sealed class NetivHaHesed() : SimplePageScraper(
    new Chain("Netiv HaHesed", "7290058160839"), PortalFamilies.SimpleHtml, new Uri("https://app.netiv-hesed.com/"), SimpleListFormat.HtmlLinks, selectsDay: true)
{
    protected override string ListingPath(DateOnly day) => "?Date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
