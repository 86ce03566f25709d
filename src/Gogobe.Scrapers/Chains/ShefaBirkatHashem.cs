using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class ShefaBirkatHashem() : BinaProjectsScraper(new Chain("Shefa Birkat HaShem", "7290058134977"))
{
    protected override string Subdomain => "shefabirkathashem";
}
