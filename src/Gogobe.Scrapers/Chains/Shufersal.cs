using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class Shufersal() : ShufersalHtmlScraper(new Chain("Shufersal", "7290027600007"));
