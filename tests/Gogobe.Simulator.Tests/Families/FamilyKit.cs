using System.Net;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.Simulator.Tests.Families;

/// <summary>A clock fixed at noon (Israel) of one day: the day a scraper calls "today".</summary>
internal sealed class DayClock(DateOnly day) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
}

/// <summary>What the family tests share: a simulator serving one family's default chains, a scraper context on a chosen day, downloads.</summary>
internal static class FamilyKit
{
    public static async Task<PortalSimulator> StartAsync(string family, int stores = 3, int items = 60)
    {
        var options = TestFiles.AllKinds(items: items, stores: stores);
        options.Chains = [.. SimulatorOptions.DefaultChains.Where(c => c.Portal.Family == family)];
        return await PortalSimulator.StartAsync(options, null, CancellationToken.None);
    }

    public static HttpClient NewClient() => new(new SocketsHttpHandler { CookieContainer = new CookieContainer() });

    public static ScrapeContext Context(PortalSimulator simulator, SupermarketScraper scraper, HttpClient http, DateOnly today) =>
        new(http, simulator.MapPortal(scraper.Portal.Address), new DayClock(today), NullLogger.Instance);

    public static async Task<List<PublishedFile>> ListAsync(SupermarketScraper scraper, ScrapeContext context) =>
        await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();

    /// <summary>Every id's store numbers, in order: what the simulator publishes for the chain on <paramref name="day"/>.</summary>
    public static IEnumerable<string> Expected(SimulatedWorld world, Chain chain, DateOnly day) => world.FileNamesOn(chain.Id, day).Order(StringComparer.Ordinal);

    public static IEnumerable<string> Names(IEnumerable<PublishedFile> files) => files.Select(f => f.Name).Order(StringComparer.Ordinal);

    /// <summary>Downloads a listed price file and reads it with the product reader: (product key, price) in file order.</summary>
    public static async Task<List<(string Key, decimal Price)>> ReadPricesAsync(SupermarketScraper scraper, PublishedFile file, ScrapeContext context)
    {
        var stream = await scraper.OpenAsync(file, context, CancellationToken.None);
        using var copy = new MemoryStream();
        await using (stream)
        {
            await stream.CopyToAsync(copy);
        }

        copy.Position = 0;
        using var decoded = PriceFileReader.Open(copy);
        return [.. PriceFileReader.ReadPrices(decoded, new ReadStats(), CancellationToken.None).Select(r => (r.ProductKey, r.ItemPrice))];
    }

    public static List<(string Key, decimal Price)> ExpectedRows(SimulatedWorld world, Chain chain, string fileName) =>
        [.. world.ExpectedPriceRows(chain.Id, fileName).Select(r => (r.ProductKey, r.ItemPrice))];

    public static PublishedFile PriceFull(IEnumerable<PublishedFile> files, int store) =>
        files.Single(f => PriceFileName.TryParse(f.Name, out var n) && n is { Kind: FileKind.PriceFull, IsPlaceholder: false } && n.StoreId == store);
}
