using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class SuperSapir() : BinaProjectsScraper(new Chain("Super Sapir", "7290058156016"))
{
    protected override string Subdomain => "supersapir";
}
