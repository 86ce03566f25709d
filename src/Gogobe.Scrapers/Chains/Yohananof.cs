using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class Yohananof() : CerberusScraper(new Chain("Yohananof", "7290803800003"), user: "yohananof");
