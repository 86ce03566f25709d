using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class MahsaniAShuk() : LaibCatalogScraper(new Chain("Mahsani A-Shuk", "7290661400001") { OtherIds = ["7290633800006"] });
