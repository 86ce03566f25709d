using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class KingStore() : BinaProjectsScraper(new Chain("King Store", "7290058108879"))
{
    protected override string Subdomain => "kingstore";
}
