using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class Maayan2000() : BinaProjectsScraper(new Chain("Maayan 2000", "7290058159628"))
{
    protected override string Subdomain => "maayan2000";
}
