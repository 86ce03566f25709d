using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.Scrapers.Chains;

/// <summary>Meshnat Yosef 1: a JSON list of {name, url} on a workers.dev host; no promotion files.</summary>
public sealed class MeshnatYosef1() : SimplePageScraper(
    new Chain("Meshnat Yosef 1", "5144744100002"), PortalFamilies.JsonList, new Uri("https://list-files.w5871031-kt.workers.dev/"), SimpleListFormat.JsonList)
{
    protected override string ListingPath(DateOnly day) => "";
}
