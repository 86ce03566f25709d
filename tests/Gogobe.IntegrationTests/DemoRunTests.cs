using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Gogobe.Simulator;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>The spine's acceptance: a demo of 3 chains × 5 stores through the simulator into real PostgreSQL.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class DemoRunTests(PostgresFixture postgres)
{
    // Two portal families: Shufersal's paged HTML table and Cerberus's login + JSON listing.
    private static readonly string[] ThreeChains = ["Shufersal", "RamiLevy", "OsherAd"];

    [Fact]
    public async Task Run_ThreeChainsFiveStores_LandsExactlyTheExpectedPrices()
    {
        await using var demo = await DemoHarness.StartAsync(postgres, DemoHarness.Chains(ThreeChains), stores: 5, items: 400);

        var report = await demo.RunAsync();

        Assert.True(report.Succeeded, Describe(report));
        long expectedDuplicates = 0;
        foreach (var chain in demo.World.Chains)
        {
            foreach (var store in demo.World.StoreIds(chain.Chain.Id))
            {
                var expected = demo.World.ExpectedPrices(chain.Chain.Id, store);
                var actual = await demo.PricesAsync(chain.Chain.Id, store);
                Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
                expectedDuplicates += demo.World.ExpectedRowsInFile(chain.Chain.Id, store) - expected.Count;
            }
        }

        Assert.True(expectedDuplicates > 0, "the simulator should publish in-file duplicates");
        Assert.Equal(expectedDuplicates, report.DuplicatesRemoved);
        Assert.Equal(expectedDuplicates, await demo.ScalarAsync("SELECT sum(duplicates_removed) FROM file_processing_log"));
        Assert.Equal(3 * 5, report.Chains.Sum(c => c.Files.Count(f => f.Kind == FileKind.PriceFull && f.Status == FileStatus.Completed)));
        Assert.Equal(3, report.Chains.Sum(c => c.Files.Count(f => f.Kind == FileKind.Stores && f.Status == FileStatus.Completed)));
        Assert.Equal(15, await demo.ScalarAsync("SELECT count(*) FROM stores WHERE name IS NOT NULL"));
        Assert.Equal(await demo.ScalarAsync("SELECT count(*) FROM prices"), await demo.ScalarAsync("SELECT count(*) FROM price_history"));
    }

    [Fact]
    public async Task Run_SameDayAgain_SkipsEveryStoreAndChangesNothing()
    {
        await using var demo = await DemoHarness.StartAsync(postgres, DemoHarness.Chains(ThreeChains), stores: 5, items: 200);
        var first = await demo.RunAsync();
        Assert.True(first.Succeeded, Describe(first));
        var history = await demo.ScalarAsync("SELECT count(*) FROM price_history");

        var second = await demo.RunAsync();

        Assert.True(second.Succeeded, Describe(second));
        Assert.Equal(0, second.FilesCompleted);
        Assert.Equal(first.FilesCompleted, second.FilesSkipped);
        Assert.All(second.Chains.SelectMany(c => c.Files), f => Assert.Contains("already completed today", f.Reason, StringComparison.Ordinal));
        // Every skipped file has its own log row under the second run, though each chain logs them in one statement.
        Assert.Equal((long)second.FilesSkipped, await demo.ScalarAsync(
            $"SELECT count(*) FROM file_processing_log WHERE run_id = '{second.RunId}' AND status = 'skipped' AND error LIKE 'already completed today%'"));
        Assert.Equal(0, second.RowsChanged);
        Assert.Equal(history, await demo.ScalarAsync("SELECT count(*) FROM price_history"));
    }

    [Fact]
    public async Task Run_ForcedAfterPriceChanges_WritesExactlyThoseChangesToHistory()
    {
        await using var demo = await DemoHarness.StartAsync(postgres, DemoHarness.Chains(ThreeChains), stores: 5, items: 300);
        Assert.True((await demo.RunAsync()).Succeeded);
        var historyBefore = await demo.ScalarAsync("SELECT count(*) FROM price_history");

        var changes = demo.World.AdvanceDay(0.05);
        var report = await demo.RunAsync(force: true);

        Assert.True(report.Succeeded, Describe(report));
        Assert.NotEmpty(changes);
        Assert.Equal(changes.Count, report.Chains.SelectMany(c => c.Files).Where(f => f.Kind is FileKind.PriceFull or FileKind.Price).Sum(f => f.RowsChanged));
        Assert.Equal(historyBefore + changes.Count, await demo.ScalarAsync("SELECT count(*) FROM price_history"));
        foreach (var change in changes.Take(20))
        {
            var latest = await demo.ScalarAsync(
                """
                SELECT (h.price * 100)::bigint FROM price_history h
                JOIN stores s ON s.id = h.store_id JOIN products p ON p.id = h.product_id
                WHERE s.chain_id = @ChainId AND s.store_code = @StoreId AND p.product_key = @ProductKey
                ORDER BY h.changed_at DESC, h.file_log_id DESC LIMIT 1
                """,
                change);
            Assert.Equal((long)(change.NewPrice * 100), latest);
        }

        foreach (var chain in demo.World.Chains)
        {
            foreach (var store in demo.World.StoreIds(chain.Chain.Id))
            {
                Assert.Equal(demo.World.ExpectedPrices(chain.Chain.Id, store).Count, (await demo.PricesAsync(chain.Chain.Id, store)).Count);
            }
        }
    }

    [Fact]
    public async Task Run_CorruptGzipAndTruncatedXml_FailOnlyTheirOwnFiles()
    {
        // Only full price lists and stores: a store's later incremental Price file would land a subset of its prices.
        await using var demo = await DemoHarness.StartAsync(
            postgres, DemoHarness.Chains(ThreeChains), stores: 3, items: 300,
            o => o.Kinds.IntersectWith([FileKind.Stores, FileKind.PriceFull]));
        var rami = demo.Scrapers.Single(s => s.GetType().Name == "RamiLevy").Chain.Id;
        var shufersal = demo.Scrapers.Single(s => s.GetType().Name == "Shufersal").Chain.Id;
        demo.World.InjectFault(rami, 2, FileKind.PriceFull, FileFault.CorruptGzip);
        demo.World.InjectFault(shufersal, 3, FileKind.PriceFull, FileFault.TruncatedXml);

        var report = await demo.RunAsync();

        var failed = report.Chains.SelectMany(c => c.Files).Where(f => f.Status == FileStatus.Failed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.Contains("gzip", failed.Single(f => f.FileName.Contains(rami, StringComparison.Ordinal)).Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("XML", failed.Single(f => f.FileName.Contains(shufersal, StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
        Assert.Equal(3 * 3 + 3 - 2, report.FilesCompleted);

        var log = await demo.FileLogAsync();
        Assert.Equal(2, log.Count(l => l.Status == "failed" && !string.IsNullOrWhiteSpace(l.Error)));
        Assert.Equal(report.FilesCompleted, log.Count(l => l.Status == "completed"));
        // The failed files' rows were rolled back with their transaction: those stores have no prices.
        Assert.Empty(await demo.PricesAsync(rami, 2));
        Assert.Empty(await demo.PricesAsync(shufersal, 3));
        Assert.Equal(demo.World.ExpectedPrices(rami, 1).Count, (await demo.PricesAsync(rami, 1)).Count);
    }

    private static string Describe(RunReport report) => string.Join(
        Environment.NewLine,
        report.Chains.Select(c => $"{c.Chain.Name}: error={c.Error} " + string.Join("; ", c.Files.Where(f => f.Status == FileStatus.Failed).Select(f => $"{f.FileName}: {f.Reason}"))));
}
