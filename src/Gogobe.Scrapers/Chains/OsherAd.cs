using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class OsherAd() : CerberusScraper(new Chain("Osher Ad", "7290103152017"), user: "osherad");
