using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class RamiLevy() : CerberusScraper(new Chain("Rami Levy", "7290058140886"), user: "RamiLevi");
