using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class DorAlon() : CerberusScraper(new Chain("Dor Alon", "7290492000005"), user: "doralon");
