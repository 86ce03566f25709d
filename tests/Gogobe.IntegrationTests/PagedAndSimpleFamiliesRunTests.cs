using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Simulator;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>
/// The paged HTML table and simple page families end to end: registry → orchestrator → simulator portals → reader →
/// real PostgreSQL, for every chain on those families.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PagedAndSimpleFamiliesRunTests(PostgresFixture postgres)
{
    private static readonly string[] Chains = ["Shufersal", "HaziHinam", "SuperPharm", "CityMarketShops", "NetivHaHesed", "WoltMarket", "MeshnatYosef1"];

    [Fact]
    public async Task Run_EveryPagedAndSimpleChain_LandsExactlyTheExpectedPrices()
    {
        await using var demo = await DemoHarness.StartAsync(
            postgres, DemoHarness.Chains(Chains), stores: 3, items: 150, options => options.ListingPageSize = 4);

        var report = await demo.RunAsync();

        Assert.True(report.Succeeded, Describe(report));
        Assert.Equal(Chains.Length, report.Chains.Count);
        foreach (var chain in demo.World.Chains)
        {
            var chainReport = report.Chains.Single(c => c.Chain.Id == chain.Chain.Id);
            Assert.Equal(3, chainReport.Files.Count(f => f.Kind == FileKind.PriceFull && f.Status == FileStatus.Completed));
            Assert.Equal(1, chainReport.Files.Count(f => f.Kind == FileKind.Stores && f.Status == FileStatus.Completed));
            foreach (var store in demo.World.StoreIds(chain.Chain.Id))
            {
                var expected = demo.World.ExpectedPrices(chain.Chain.Id, store);
                var actual = await demo.PricesAsync(chain.Chain.Id, store);
                Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }

        // Meshnat Yosef 1 publishes no promotions; Super-Pharm publishes PromoFull but no incremental Promo.
        Assert.DoesNotContain(Files(report, "5144744100002"), f => f.Kind is FileKind.Promo or FileKind.PromoFull);
        Assert.Contains(Files(report, "7290172900007"), f => f.Kind == FileKind.PromoFull && f.Status == FileStatus.Completed);
        Assert.DoesNotContain(Files(report, "7290172900007"), f => f.Kind == FileKind.Promo);
    }

    [Fact]
    public async Task Run_EarlyMorningAndADeadLink_NoticeForOneChainOneFailedFileForAnotherTheRestComplete()
    {
        await using var demo = await DemoHarness.StartAsync(
            postgres, DemoHarness.Chains("HaziHinam", "NetivHaHesed", "WoltMarket"), stores: 2, items: 60,
            options => options.UnpublishedToday.Add("7290700100008"));
        var dead = demo.World.FileNames("7290058160839").Single(n => n.StartsWith("PriceFull", StringComparison.Ordinal) && n.Contains("-002-", StringComparison.Ordinal));
        demo.World.WithdrawFile("7290058160839", dead);

        var report = await demo.RunAsync();

        var hazi = report.Chains.Single(c => c.Chain.Id == "7290700100008");
        Assert.Null(hazi.Error);
        Assert.Contains("no files published yet for 2026-11-24", hazi.Notice, StringComparison.Ordinal);
        Assert.Empty(hazi.Files);

        var netiv = report.Chains.Single(c => c.Chain.Id == "7290058160839");
        Assert.Null(netiv.Error);
        var failed = Assert.Single(netiv.Files, f => f.Status == FileStatus.Failed);
        Assert.Equal(dead, failed.FileName);
        Assert.Contains("404", failed.Reason, StringComparison.Ordinal);
        Assert.True(netiv.Completed > 0);
        Assert.Equal(demo.World.ExpectedPrices("7290058160839", 1).Count, (await demo.PricesAsync("7290058160839", 1)).Count);
        // Store 2 has only what its incremental Price files re-announce: fewer prices than its PriceFull would give.
        Assert.True((await demo.PricesAsync("7290058160839", 2)).Count < demo.World.ExpectedPrices("7290058160839", 2).Count);

        Assert.True(report.Chains.Single(c => c.Chain.Id == "7290058249350").Succeeded);
        Assert.Equal("skipped", await demo.TextAsync("SELECT status FROM file_processing_log WHERE source = 'Hazi Hinam' AND file_name = '(listing)'"));
    }

    [Fact]
    public async Task Run_ShufersalLinksExpireBetweenListingAndDownload_OneRelistingAndEveryFileCompletes()
    {
        await using var demo = await DemoHarness.StartAsync(
            postgres, DemoHarness.Chains("Shufersal"), stores: 4, items: 80, options =>
            {
                options.ListingPageSize = 3;
                options.SignedLinkLifetime = TimeSpan.FromMinutes(30);
            });
        var expire = new ExpireLinksAfterListing(demo.Time);
        demo.World.Options.Time = demo.Time; // the simulator's links are stamped and checked on the run's clock
        var before = demo.Simulator.RequestCount;

        var report = await demo.RunAsync(observer: expire);

        Assert.True(report.Succeeded, Describe(report));
        var shufersal = report.Chains.Single();
        var pages = (shufersal.FilesListed + 2) / 3;
        Assert.Equal(pages + 1 + pages + shufersal.Completed, demo.Simulator.RequestCount - before); // list, refused, re-list, files
        foreach (var store in demo.World.StoreIds("7290027600007"))
        {
            Assert.Equal(demo.World.ExpectedPrices("7290027600007", store).Count, (await demo.PricesAsync("7290027600007", store)).Count);
        }
    }

    private static IEnumerable<FileOutcome> Files(RunReport report, string chainId) => report.Chains.Single(c => c.Chain.Id == chainId).Files;

    private static string Describe(RunReport report) => string.Join("; ", report.Chains.Select(c =>
        $"{c.Chain.Name}: {c.Completed} completed, {c.Failed} failed{(c.Error is null ? "" : " error " + c.Error)}"
        + string.Concat(c.Files.Where(f => f.Status == FileStatus.Failed).Select(f => $" [{f.FileName}: {f.Reason}]"))));

    /// <summary>Moves the clock two hours on once a chain's listing is done: every link it handed out has expired.</summary>
    private sealed class ExpireLinksAfterListing(FixedTimeProvider time) : IRunObserver
    {
        public void ChainStarted(Chain chain)
        {
        }

        public void FilesPlanned(Chain chain, int files) => time.Advance(TimeSpan.FromHours(2));

        public void FileFinished(Chain chain, FileOutcome outcome)
        {
        }

        public void ChainFinished(ChainReport report)
        {
        }
    }
}
