using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class CityMarketKiryatGat() : BinaProjectsScraper(new Chain("City Market Kiryat Gat", "7290058288526") { OtherIds = ["7290058266241", "7290058288090"] })
{
    protected override string Subdomain => "citymarketkiryatgat";
}
