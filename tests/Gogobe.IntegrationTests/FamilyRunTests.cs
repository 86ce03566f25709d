using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>
/// The Bina Projects, Laib catalog and PublishPrice families end to end: every chain of the family through the
/// simulator, the orchestrator and real PostgreSQL, landing exactly the simulator's prices, multi-id chains stored under
/// their main id.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class FamilyRunTests(PostgresFixture postgres)
{
    private static readonly string[] BinaChains =
    [
        "KingStore", "Maayan2000", "GoodPharm", "ZolVeBegadol", "SuperSapir", "SuperBareket", "ShukHaIr", "ShefaBirkatHashem",
        "CityMarketKiryatGat", "MeshnatYosef2",
    ];

    private static readonly string[] LaibChains = ["Victory", "MahsaniAShuk", "HCohen"];

    private static readonly string[] PublishPriceChains = ["Carrefour", "Quik"];

    [Fact]
    public async Task Run_EveryBinaChain_LandsExactlyTheExpectedPrices()
    {
        await using var demo = await RunFamilyAsync(BinaChains, PortalFamilies.BinaProjects);
    }

    [Fact]
    public async Task Run_EveryLaibChain_LandsExactlyTheExpectedPrices()
    {
        await using var demo = await RunFamilyAsync(LaibChains, PortalFamilies.LaibCatalog);
    }

    [Fact]
    public async Task Run_EveryPublishPriceChain_LandsExactlyTheExpectedPricesQuikWithoutStoresFile()
    {
        await using var demo = await RunFamilyAsync(PublishPriceChains, PortalFamilies.PublishPrice);

        // Quik publishes no Stores file: its stores exist (from the price files) without names, and its prices landed.
        const string quik = "7291029710008";
        Assert.Equal(1, await demo.ScalarAsync("SELECT count(*) FROM file_processing_log WHERE chain_id = '7290055700007' AND file_type = 'Stores'"));
        Assert.Equal(0, await demo.ScalarAsync("SELECT count(*) FROM file_processing_log WHERE chain_id = @quik AND file_type = 'Stores'", new { quik }));
        Assert.Equal(3, await demo.ScalarAsync("SELECT count(*) FROM stores WHERE chain_id = @quik AND name IS NULL", new { quik }));
        Assert.True(await demo.ScalarAsync("SELECT count(*) FROM prices pr JOIN stores s ON s.id = pr.store_id WHERE s.chain_id = @quik", new { quik }) > 0);
    }

    [Fact]
    public async Task Run_EveryListedLinkAnswers404_FailsTheChainSayingTheLinksAreDead()
    {
        var scrapers = DemoHarness.Chains("KingStore");
        await using var demo = await DemoHarness.StartAsync(postgres, scrapers, stores: 2, items: 20);
        var chainId = scrapers[0].Chain.Id;
        foreach (var name in demo.World.FileNames(chainId))
        {
            demo.World.WithdrawFile(chainId, name);
        }

        var report = await demo.RunAsync();

        var chain = Assert.Single(report.Chains);
        Assert.NotNull(chain.Error);
        Assert.Contains("download: each of the", chain.Error, StringComparison.Ordinal);
        Assert.Contains("file links listed (first: ", chain.Error, StringComparison.Ordinal);
        Assert.Contains("has answered 404 Not Found; the portal may have changed.", chain.Error, StringComparison.Ordinal);
        Assert.Equal(1, await demo.ScalarAsync(
            "SELECT count(*) FROM file_processing_log WHERE chain_id = @chainId AND file_name = '(listing)' AND status = 'failed'", new { chainId }));
    }

    [Fact]
    public async Task Run_OneFileWithdrawnPerFamily_FailsThatFileOnlyAndTheRestCompletes()
    {
        var scrapers = DemoHarness.Chains("KingStore", "Victory", "Carrefour");
        await using var demo = await DemoHarness.StartAsync(postgres, scrapers, stores: 3, items: 80);
        var withdrawn = new List<string>();
        foreach (var scraper in scrapers)
        {
            var name = demo.World.FileNames(scraper.Chain.Id)
                .Single(n => PriceFileName.TryParse(n, out var p) && p is { Kind: FileKind.PriceFull, StoreId: 2, IsPlaceholder: false });
            demo.World.WithdrawFile(scraper.Chain.Id, name);
            withdrawn.Add(name);
        }

        var report = await demo.RunAsync();

        var failed = report.Chains.SelectMany(c => c.Files).Where(f => f.Status == FileStatus.Failed).ToList();
        Assert.Equal(withdrawn.Order(), failed.Select(f => f.FileName).Order());
        Assert.All(failed, f => Assert.Contains("404", f.Reason, StringComparison.Ordinal));
        Assert.All(report.Chains, c => Assert.Null(c.Error));
        foreach (var scraper in scrapers)
        {
            foreach (var store in new[] { 1, 3 })
            {
                Assert.Equal(
                    demo.World.ExpectedPrices(scraper.Chain.Id, store).OrderBy(p => p.Key, StringComparer.Ordinal),
                    (await demo.PricesAsync(scraper.Chain.Id, store)).OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Run_EarlyMorningNothingYetToday_ReportsNoticeNotError()
    {
        var scrapers = DemoHarness.Chains("KingStore", "HCohen", "Carrefour");
        await using var demo = await DemoHarness.StartAsync(postgres, scrapers, stores: 2, items: 20);
        demo.Time.Advance(TimeSpan.FromDays(1)); // the run's "today" is a day the portals have not published yet

        var report = await demo.RunAsync();

        Assert.All(report.Chains, c =>
        {
            Assert.Null(c.Error);
            Assert.Contains("no files published yet", c.Notice, StringComparison.Ordinal);
            Assert.Empty(c.Files);
        });
        Assert.Equal(3, await demo.ScalarAsync("SELECT count(*) FROM file_processing_log WHERE file_name = '(listing)' AND status = 'skipped'"));
        Assert.Equal(0, await demo.ScalarAsync("SELECT count(*) FROM prices"));
    }

    private async Task<DemoHarness> RunFamilyAsync(string[] chains, string family)
    {
        var scrapers = DemoHarness.Chains(chains);
        Assert.All(scrapers, s => Assert.Equal(family, s.Portal.Family));
        var demo = await DemoHarness.StartAsync(postgres, scrapers, stores: 3, items: 120);
        try
        {
            var report = await demo.RunAsync();

            Assert.True(report.Succeeded, Describe(report));
            foreach (var scraper in scrapers)
            {
                var chain = scraper.Chain;
                foreach (var store in demo.World.StoreIds(chain.Id))
                {
                    Assert.Equal(
                        demo.World.ExpectedPrices(chain.Id, store).OrderBy(p => p.Key, StringComparer.Ordinal),
                        (await demo.PricesAsync(chain.Id, store)).OrderBy(p => p.Key, StringComparer.Ordinal));
                }

                // A multi-id chain: its stores were named with every id, yet all of them live under the main id.
                var namedWith = report.Chains.Single(c => c.Chain == chain).Files
                    .Select(f => PriceFileName.TryParse(f.FileName, out var n) ? n.ChainId : "").Distinct().Order();
                Assert.Equal(chain.AllIds.Order(), namedWith);
                Assert.Equal(0, await demo.ScalarAsync("SELECT count(*) FROM stores WHERE chain_id = ANY(@ids)", new { ids = chain.OtherIds.ToArray() }));
                Assert.Equal(3, await demo.ScalarAsync("SELECT count(*) FROM stores WHERE chain_id = @id", new { id = chain.Id }));
            }

            Assert.Equal(scrapers.Count * 3, report.Chains.Sum(c => c.Files.Count(f => f.Kind == FileKind.PriceFull && f.Status == FileStatus.Completed)));
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    private static string Describe(RunReport report) => string.Join(
        Environment.NewLine,
        report.Chains.Select(c => $"{c.Chain.Name}: error={c.Error} notice={c.Notice} " +
            string.Join("; ", c.Files.Where(f => f.Status == FileStatus.Failed).Select(f => $"{f.FileName}: {f.Reason}"))));
}
