using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class KeshetTeamim() : CerberusScraper(new Chain("Keshet Teamim", "7290785400000"), user: "Keshet");
