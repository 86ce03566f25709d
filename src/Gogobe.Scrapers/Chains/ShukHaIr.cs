using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class ShukHaIr() : BinaProjectsScraper(new Chain("Shuk HaIr", "7290058148776"))
{
    protected override string Subdomain => "shuk-hayir";
}
