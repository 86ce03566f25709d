using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class Politzer() : CerberusScraper(new Chain("Politzer", "7291059100008"), user: "politzer");
