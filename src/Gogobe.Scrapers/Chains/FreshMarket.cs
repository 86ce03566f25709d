using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>Fresh Market (Paz group).</summary>
public sealed class FreshMarket() : CerberusScraper(new Chain("Fresh Market", "7290876100000"), user: "freshmarket");
