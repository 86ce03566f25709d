using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>Super Yuda (Paz group): two GS1 ids, files in the /Yuda folder of its Cerberus user.</summary>
public sealed class SuperYuda() : CerberusScraper(
    new Chain("Super Yuda", "7290058198450") { OtherIds = ["7290058177776"] }, user: "yuda_ho", password: "Yud@147", folder: "/Yuda");
