using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class SalachDabach() : CerberusScraper(new Chain("Salach Dabach", "7290526500006"), user: "SalachD", password: "12345");
