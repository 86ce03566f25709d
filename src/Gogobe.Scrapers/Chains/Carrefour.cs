using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class Carrefour() : PublishPriceScraper(new Chain("Carrefour", "7290055700007"))
{
    protected override string SiteName => "carrefour";
}
