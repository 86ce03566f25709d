using System.Globalization;
using System.Net;
using System.Text;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using Gogobe.Scrapers.Families;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.Simulator.Tests;

/// <summary>Every kind through the real portals, the default profiles' coverage, extra files, incremental contents.</summary>
public sealed class AllKindsTests
{
    private const string Shufersal = "7290027600007";
    private const string RamiLevy = "7290058140886";

    [Fact]
    public void DefaultFor_SixDefaultChains_CoverEveryContainerEncodingAndShape()
    {
        var profiles = SimulatorOptions.DefaultChains.Select(c => ChainProfile.DefaultFor(c.Chain.Id)).ToList();

        Assert.Equal(Enum.GetValues<XmlEncodingStyle>().Order(), profiles.Select(p => p.Encoding).Distinct().Order());
        Assert.Equal(Enum.GetValues<XmlShape>().Order(), profiles.Select(p => p.Shape).Distinct().Order());
        Assert.Equal(Enum.GetValues<FileContainer>().Order(), profiles.Select(p => p.Container).Distinct().Order());
        Assert.True(profiles.Select(p => p.StoresShape).Distinct().Count() >= 3);
        Assert.Contains(profiles, p => p.NewNameScheme);
        Assert.Contains(profiles, p => p.NoExtension);
        Assert.Contains(profiles, p => p.Flaws);
        Assert.Contains(profiles, p => p.Placeholders);
        Assert.Equal(ChainProfile.DefaultFor("7290000000991"), ChainProfile.DefaultFor("7290000000991"));
    }

    [Fact]
    public void FileNames_DefaultKinds_EveryKindForEveryStoreAndPlaceholders()
    {
        var world = new SimulatedWorld(TestFiles.AllKinds(items: 50, stores: 3));

        foreach (var chain in world.Chains)
        {
            var names = world.FileNames(chain.Chain.Id).Select(n => (Name: n, Parsed: Parse(n))).ToList();
            var profile = world.ProfileOf(chain.Chain.Id); // a chain's profile may leave kinds out (Quik: Stores; Meshnat Yosef 1: promotions)
            Assert.Equal(profile.Publishes(FileKind.Stores) ? 1 : 0, names.Count(n => n.Parsed.Kind == FileKind.Stores));
            for (var store = 1; store <= 3; store++)
            {
                var own = names.Where(n => n.Parsed.StoreId == store && !n.Parsed.IsPlaceholder).Select(n => n.Parsed.Kind).ToList();
                Assert.Equal(1, own.Count(k => k == FileKind.PriceFull));
                Assert.Equal(profile.Publishes(FileKind.PromoFull) ? 1 : 0, own.Count(k => k == FileKind.PromoFull));
                Assert.Equal(profile.Publishes(FileKind.Price) ? 2 : 0, own.Count(k => k == FileKind.Price));
                Assert.Equal(profile.Publishes(FileKind.Promo) ? 2 : 0, own.Count(k => k == FileKind.Promo));
            }

            Assert.Equal(world.ProfileOf(chain.Chain.Id).Placeholders, names.Any(n => n.Parsed.IsPlaceholder));
        }
    }

    [Fact]
    public void Price_AfterAdvanceDay_ReannouncesEveryChangedPriceAtItsNewPrice()
    {
        var world = new SimulatedWorld(TestFiles.AllKinds(items: 300, stores: 2));
        var changes = world.AdvanceDay(0.05);
        Assert.NotEmpty(changes);

        foreach (var group in changes.GroupBy(c => (c.ChainId, c.StoreId)))
        {
            var priceFiles = world.FileNames(group.Key.ChainId).Where(n => Parse(n) is { Kind: FileKind.Price, IsPlaceholder: false } p && p.StoreId == group.Key.StoreId);
            foreach (var name in priceFiles)
            {
                var rows = world.ExpectedPriceRows(group.Key.ChainId, name).ToDictionary(r => r.ProductKey, r => r.ItemPrice);
                Assert.All(group, change => Assert.Equal(change.NewPrice, rows[change.ProductKey]));
                Assert.True(rows.Count < 300, "an incremental file holds a subset");
            }
        }
    }

    [Fact]
    public async Task Promo_SomeFiles_AreEmptyPromotionLists()
    {
        var world = new SimulatedWorld(TestFiles.AllKinds(items: 100, stores: 20));
        var empty = world.FileNames(Shufersal)
            .Where(n => Parse(n) is { Kind: FileKind.Promo or FileKind.PromoFull, IsPlaceholder: false })
            .Where(n => world.ExpectedPromotionRows(Shufersal, n).Count == 0)
            .ToList();

        Assert.NotEmpty(empty);
        var xml = Encoding.UTF8.GetString(TestFiles.Gunzip(await TestFiles.GenerateAsync(world, Shufersal, empty[0])));
        Assert.Contains("<Promotions Count=\"0\" />", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CerberusScraper_LaibAndSuperPharmChains_ListAndServeEveryKindReadableByTheReader()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 60, stores: 2), null, CancellationToken.None);
        simulator.World.AdvanceDay(0.1);
        foreach (SupermarketScraper scraper in new SupermarketScraper[] { new Yohananof(), new SuperCofix() })
        {
            using var http = NewClient();
            var context = Context(simulator, scraper, http);
            var chainId = scraper.Chain.Id;

            var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();

            Assert.Equal(simulator.World.FileNames(chainId, includeHistory: true).Order(), files.Select(f => f.Name).Order());
            foreach (var file in files.Where(f => Parse(f.Name) is { IsPlaceholder: false } p && p.PublishedAt.Date == new DateTime(2026, 2, 18)))
            {
                using var decoded = PriceFileReader.Open(new MemoryStream(await DownloadAsync(scraper, file, context)));
                var stats = new ReadStats();
                switch (Parse(file.Name).Kind)
                {
                    case FileKind.Stores:
                        Assert.Empty(RowAssert.Differences(file.Name, simulator.World.ExpectedStoreRows(chainId, file.Name), [.. PriceFileReader.ReadStores(decoded, stats, CancellationToken.None)]));
                        break;
                    case FileKind.PriceFull or FileKind.Price:
                        Assert.Empty(RowAssert.Differences(file.Name, simulator.World.ExpectedPriceRows(chainId, file.Name), [.. PriceFileReader.ReadPrices(decoded, stats, CancellationToken.None)]));
                        break;
                    default:
                        Assert.Empty(RowAssert.Differences(file.Name, simulator.World.ExpectedPromotionRows(chainId, file.Name), [.. PriceFileReader.ReadPromotions(decoded, stats, CancellationToken.None)]));
                        break;
                }
            }
        }
    }

    [Theory]
    [InlineData(1, FileKind.Price)]
    [InlineData(2, FileKind.PriceFull)]
    [InlineData(3, FileKind.Promo)]
    [InlineData(4, FileKind.PromoFull)]
    [InlineData(5, FileKind.Stores)]
    public async Task ShufersalPortal_CategoryId_ListsExactlyThatKind(int category, FileKind kind)
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 20, stores: 2), null, CancellationToken.None);
        var scraper = new CategoryShufersal(category);
        using var http = NewClient();

        var files = await scraper.ListFilesAsync(Context(simulator, scraper, http), CancellationToken.None).ToListAsync();

        var expected = simulator.World.FileNames(Shufersal).Where(n => Parse(n).Kind == kind).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, files.Select(f => f.Name).Order());
    }

    [Fact]
    public async Task PublishExtraFile_BothPortals_ListedAndServedByteForByte()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 20, stores: 1), null, CancellationToken.None);
        var html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>הקישור פג תוקף</title></head><body></body></html>");
        foreach (SupermarketScraper scraper in new SupermarketScraper[] { new Shufersal(), new RamiLevy() })
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"PriceFull{scraper.Chain.Id}-001-202602171230.gz");
            simulator.World.PublishExtraFile(scraper.Chain.Id, name, html);
            using var http = NewClient();
            var context = Context(simulator, scraper, http);

            var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();

            var extra = Assert.Single(files, f => f.Name == name);
            Assert.Equal(html, await DownloadAsync(scraper, extra, context));
            var error = Assert.Throws<InvalidDataException>(() => PriceFileReader.Open(new MemoryStream(html)));
            Assert.Contains("HTML", error.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => simulator.World.ExpectedPriceRows(RamiLevy, $"PriceFull{RamiLevy}-001-202602171230.gz"));
    }

    [Fact]
    public async Task PublishExtraFile_GeneratedName_ReplacesThatFile()
    {
        var world = new SimulatedWorld(TestFiles.AllKinds(items: 20, stores: 1));
        var name = world.FileNames(Shufersal).Single(n => Parse(n).Kind == FileKind.PriceFull);
        var before = world.FileNames(Shufersal).Count;

        world.PublishExtraFile(Shufersal, name, [1, 2, 3]);

        Assert.Equal(before, world.FileNames(Shufersal).Count);
        Assert.Single(world.FileNames(Shufersal), n => n == name);
        Assert.Equal(new byte[] { 1, 2, 3 }, await TestFiles.GenerateAsync(world, Shufersal, name));
    }

    [Fact]
    public async Task InjectFault_PromoFull_TruncatesThatKindOnly()
    {
        var world = new SimulatedWorld(TestFiles.AllKinds(items: 200, stores: 1));
        world.InjectFault(Shufersal, 1, FileKind.PromoFull, FileFault.TruncatedXml);
        var names = world.FileNames(Shufersal);

        var promoFull = names.Single(n => Parse(n).Kind == FileKind.PromoFull);
        var priceFull = names.Single(n => Parse(n).Kind == FileKind.PriceFull);

        using (var file = PriceFileReader.Open(new MemoryStream(await TestFiles.GenerateAsync(world, Shufersal, promoFull))))
        {
            Assert.Throws<InvalidDataException>(() => PriceFileReader.ReadPromotions(file, new ReadStats(), CancellationToken.None).ToList());
        }

        using var price = PriceFileReader.Open(new MemoryStream(await TestFiles.GenerateAsync(world, Shufersal, priceFull)));
        Assert.Equal(world.ExpectedRowsInFile(Shufersal, 1), PriceFileReader.ReadPrices(price, new ReadStats(), CancellationToken.None).Count());
    }

    private static PriceFileName Parse(string name) =>
        PriceFileName.TryParse(name, out var parsed) ? parsed : throw new InvalidOperationException($"unparsable name {name}");

    private static async Task<byte[]> DownloadAsync(SupermarketScraper scraper, PublishedFile file, ScrapeContext context)
    {
        await using var stream = await scraper.OpenAsync(file, context, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static HttpClient NewClient() => new(new SocketsHttpHandler { CookieContainer = new CookieContainer() });

    private static ScrapeContext Context(PortalSimulator simulator, SupermarketScraper scraper, HttpClient http) =>
        new(http, simulator.MapPortal(scraper.Portal.Address), TimeProvider.System, NullLogger.Instance);

    /// <summary>Shufersal's listing asked for one category only.</summary>
    private sealed class CategoryShufersal(int catId) : ShufersalHtmlScraper(new Chain("Shufersal", Shufersal))
    {
        protected override string ListingPath(string category, DateOnly day, int page) =>
            string.Create(CultureInfo.InvariantCulture, $"FileObject/UpdateCategory?catID={catId}&storeId=0&page={page}");
    }
}
