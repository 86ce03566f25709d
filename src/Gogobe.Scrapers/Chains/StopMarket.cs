using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class StopMarket() : CerberusScraper(new Chain("Stop Market", "7290639000004"), user: "Stop_Market");
