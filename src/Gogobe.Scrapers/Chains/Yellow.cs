using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>Yellow, the Paz convenience stores.</summary>
public sealed class Yellow() : CerberusScraper(new Chain("Yellow", "7290644700005"), user: "Paz_bo", password: "paz468");
