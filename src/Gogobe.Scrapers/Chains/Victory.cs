using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class Victory() : LaibCatalogScraper(new Chain("Victory", "7290696200003") { OtherIds = ["7290058103393"] });
