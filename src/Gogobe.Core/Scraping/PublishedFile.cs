namespace Gogobe.Core.Scraping;

/// <summary>
/// One file as a portal lists it: its published name and where to fetch it from (an absolute URL,
/// or whatever locator the family's <see cref="SupermarketScraper.OpenAsync"/> understands).
/// </summary>
public sealed record PublishedFile(string Name, Uri Location, long? Size = null);
