using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class MeshnatYosef2() : BinaProjectsScraper(new Chain("Meshnat Yosef 2", "5144744100001") { OtherIds = ["7290058289400"] })
{
    protected override string Subdomain => "ktshivuk";
}
