using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class SuperBareket() : BinaProjectsScraper(new Chain("Super Bareket", "7290875100001"))
{
    protected override string Subdomain => "superbareket";
}
