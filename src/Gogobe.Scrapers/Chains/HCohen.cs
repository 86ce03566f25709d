using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class HCohen() : LaibCatalogScraper(new Chain("H. Cohen", "7290455000004"));
