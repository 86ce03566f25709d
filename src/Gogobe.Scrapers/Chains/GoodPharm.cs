using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class GoodPharm() : BinaProjectsScraper(new Chain("Good Pharm", "7290058197699"))
{
    protected override string Subdomain => "goodpharm";
}
