using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using static Gogobe.Simulator.Tests.FamilyTesting;

namespace Gogobe.Simulator.Tests;

/// <summary>The simple page family (Netiv HaHesed, Wolt Market, Meshnat Yosef 1) against the simulator.</summary>
public sealed class SimplePageFamilyTests
{
    [Fact]
    public async Task NetivHaHesedScraper_OnePageOfTableRows_ListsAndDownloads()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 40, stores: 3), null, CancellationToken.None);
        var scraper = new NetivHaHesed();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, ManualClock.OnTestDay());

        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var priceFull = files.Single(f => KindOf(f.Name) == FileKind.PriceFull && StoreOf(f.Name) == 3);
        var rows = ReadPrices(await DownloadAsync(scraper, priceFull, context));

        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(), files.Select(f => f.Name).Order());
        Assert.Empty(RowAssert.Differences(priceFull.Name, simulator.World.ExpectedPriceRows(scraper.Chain.Id, priceFull.Name), rows));
    }

    [Fact]
    public async Task NetivHaHesedScraper_TodaysPageEmptyYet_ThrowsNoFilesYetNamingYesterday()
    {
        var options = TestFiles.AllKinds(items: 10, stores: 1);
        options.UnpublishedToday.Add("7290058160839");
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new NetivHaHesed();
        using var http = NewClient();

        var notice = await Assert.ThrowsAsync<NoFilesYetException>(
            async () => await scraper.ListFilesAsync(Context(simulator, scraper, http, ManualClock.OnTestDay()), CancellationToken.None).ToListAsync());

        Assert.Contains("the latest are from 2026-02-16", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetivHaHesedScraper_NothingOnAnyRecentDay_ThrowsAClearErrorNotNoFilesYet()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 10, stores: 1), null, CancellationToken.None);
        var scraper = new NetivHaHesed();
        using var http = NewClient();
        var clock = ManualClock.OnTestDay();
        clock.Advance(TimeSpan.FromDays(10));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await scraper.ListFilesAsync(Context(simulator, scraper, http, clock), CancellationToken.None).ToListAsync());

        Assert.Contains("Netiv HaHesed", error.Message, StringComparison.Ordinal);
        Assert.Contains("app.netiv-hesed.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("lists no files for 2026-02-27 nor for the 3 days before", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WoltMarketScraper_PagePerDay_ListsOnlyTodaysPage()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 30, stores: 2), null, CancellationToken.None);
        var scraper = new WoltMarket();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, ManualClock.OnTestDay());
        using var yesterday = await http.GetAsync(context.Resolve("2026-02-16.html"));

        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var promoFull = files.Single(f => KindOf(f.Name) == FileKind.PromoFull && StoreOf(f.Name) == 2);
        using var promo = PriceFileReader.Open(new MemoryStream(await DownloadAsync(scraper, promoFull, context)));

        Assert.True(yesterday.IsSuccessStatusCode, "the simulator keeps yesterday's page");
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(), files.Select(f => f.Name).Order());
        Assert.All(files, f => Assert.Matches(@"-\d{3}-20260217-\d{6}", f.Name)); // Wolt names files in the 2026 scheme
        Assert.Equal(
            simulator.World.ExpectedPromotionRows(scraper.Chain.Id, promoFull.Name).Select(p => p.PromotionId),
            PriceFileReader.ReadPromotions(promo, new ReadStats(), CancellationToken.None).Select(p => p.PromotionId));
    }

    [Fact]
    public async Task WoltMarketScraper_TodaysPageAnswers400_ThrowsNoFilesYetNamingYesterday()
    {
        var options = TestFiles.AllKinds(items: 10, stores: 1);
        options.UnpublishedToday.Add("7290058249350");
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new WoltMarket();
        using var http = NewClient();
        using var today = await http.GetAsync(simulator.MapPortal(new Uri(scraper.Portal.Address, "2026-02-17.html")));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, today.StatusCode); // Wolt's answer for a day it has no page for
        var notice = await Assert.ThrowsAsync<NoFilesYetException>(
            async () => await scraper.ListFilesAsync(Context(simulator, scraper, http, ManualClock.OnTestDay()), CancellationToken.None).ToListAsync());

        Assert.Contains("no files published yet for 2026-02-17 (the latest are from 2026-02-16)", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeshnatYosef1Scraper_JsonList_ListsNoPromotionsAndDownloads()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 40, stores: 2), null, CancellationToken.None);
        var scraper = new MeshnatYosef1();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, ManualClock.OnTestDay());

        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var price = files.First(f => KindOf(f.Name) == FileKind.Price && StoreOf(f.Name) == 1);
        var rows = ReadPrices(await DownloadAsync(scraper, price, context));

        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(), files.Select(f => f.Name).Order());
        Assert.DoesNotContain(files, f => KindOf(f.Name) is FileKind.Promo or FileKind.PromoFull);
        Assert.Contains(files, f => KindOf(f.Name) == FileKind.Stores);
        Assert.All(files, f => Assert.Contains("5144744100002-", f.Name, StringComparison.Ordinal)); // a 5... GS1 id
        Assert.Empty(RowAssert.Differences(price.Name, simulator.World.ExpectedPriceRows(scraper.Chain.Id, price.Name), rows));
    }
}
