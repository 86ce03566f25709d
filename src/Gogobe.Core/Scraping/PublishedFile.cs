namespace Gogobe.Core.Scraping;

/// <summary>
/// One file as a portal lists it: its published name and where to fetch it from (an absolute URL,
/// or whatever locator the family's <see cref="SupermarketScraper.OpenAsync"/> understands).
/// </summary>
/// <param name="Size">Bytes, when the listing says (some only round it: "12.42 KB").</param>
/// <param name="PublishedAt">When the listing says the file was published, Israel local time; null when it does not say.</param>
public sealed record PublishedFile(string Name, Uri Location, long? Size = null, DateTime? PublishedAt = null);
