using System.Net;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.Simulator.Tests;

/// <summary>What the family tests share: a scraper context on a clock, downloads, and reading a file with the product reader.</summary>
internal static class FamilyTesting
{
    public static HttpClient NewClient() => new(new SocketsHttpHandler { CookieContainer = new CookieContainer() });

    public static ScrapeContext Context(PortalSimulator simulator, SupermarketScraper scraper, HttpClient http, TimeProvider clock) =>
        new(http, simulator.MapPortal(scraper.Portal.Address), clock, NullLogger.Instance);

    public static async Task<byte[]> DownloadAsync(SupermarketScraper scraper, PublishedFile file, ScrapeContext context)
    {
        await using var stream = await scraper.OpenAsync(file, context, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The price rows of a downloaded file as Gogobe's reader reads them (any container, encoding, layout).</summary>
    public static List<PriceRow> ReadPrices(byte[] bytes)
    {
        using var file = PriceFileReader.Open(new MemoryStream(bytes));
        return [.. PriceFileReader.ReadPrices(file, new ReadStats(), CancellationToken.None)];
    }

    /// <summary>Store id of a listed name (both name schemes).</summary>
    public static int StoreOf(string name) =>
        PriceFileName.TryParse(name, out var parsed) ? parsed.StoreId : throw new InvalidOperationException($"unparsable name {name}");

    public static FileKind KindOf(string name) =>
        PriceFileName.TryParse(name, out var parsed) ? parsed.Kind : throw new InvalidOperationException($"unparsable name {name}");
}
