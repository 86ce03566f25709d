using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class ZolVeBegadol() : BinaProjectsScraper(new Chain("Zol VeBegadol", "7290058173198"))
{
    protected override string Subdomain => "zolvebegadol";
}
