using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class Quik() : PublishPriceScraper(new Chain("Quik", "7291029710008"))
{
    protected override string SiteName => "quik";
}
