using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

public sealed class SuperCofix() : CerberusScraper(new Chain("Super Cofix", "7291056200008"), user: "SuperCofixApp");
