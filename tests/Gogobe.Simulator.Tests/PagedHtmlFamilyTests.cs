using System.Net;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using static Gogobe.Simulator.Tests.FamilyTesting;

namespace Gogobe.Simulator.Tests;

/// <summary>The paged HTML table family (Shufersal, Hazi Hinam, Super-Pharm, City Market shops) against the simulator.</summary>
public sealed class PagedHtmlFamilyTests
{
    [Fact]
    public async Task ShufersalScraper_MoreThan99Pages_FollowsThePagerToTheLastPage()
    {
        var options = TestFiles.Options(items: 5, stores: 120);
        options.ListingPageSize = 1; // 121 files: 121 pages, past the 99 a page-count reader would stop at
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new Shufersal();
        using var http = NewClient();
        var before = simulator.RequestCount;

        var files = await scraper.ListFilesAsync(Context(simulator, scraper, http, TimeProvider.System), CancellationToken.None).ToListAsync();

        Assert.Equal(121, simulator.RequestCount - before);
        Assert.Equal(121, files.Count);
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(), files.Select(f => f.Name).Order());
        Assert.Contains(files, f => StoreOf(f.Name) == 120);
    }

    [Fact]
    public async Task HaziHinamScraper_TodayOverThreeCategoriesAndManyPages_ListsTodaysFilesOnce()
    {
        var options = TestFiles.AllKinds(items: 20, stores: 4);
        options.ListingPageSize = 3;
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new HaziHinam();
        using var http = NewClient();
        var before = simulator.RequestCount;

        var files = await scraper.ListFilesAsync(Context(simulator, scraper, http, ManualClock.OnTestDay()), CancellationToken.None).ToListAsync();

        var today = simulator.World.FileNames(scraper.Chain.Id);
        Assert.Equal(today.Order(), files.Select(f => f.Name).Order());
        Assert.Equal(files.Count, files.Select(f => f.Name).Distinct().Count());
        Assert.DoesNotContain(files, f => f.Name.Contains(TestFiles.Day.AddDays(-1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        // Category 1 holds PriceFull + 2 Price per store (12 files, 4 pages of 3), category 2 the promotions, 3 the Stores file.
        var pages = Pages(files.Count(f => KindOf(f.Name) is FileKind.Price or FileKind.PriceFull), 3)
            + Pages(files.Count(f => KindOf(f.Name) is FileKind.Promo or FileKind.PromoFull), 3) + 1;
        Assert.Equal(pages, simulator.RequestCount - before);
    }

    [Fact]
    public async Task CityMarketScraper_ListAndDownload_LandsTheStoresPrices()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 60, stores: 3), null, CancellationToken.None);
        var scraper = new CityMarketShops();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, ManualClock.OnTestDay());

        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var priceFull = files.Single(f => KindOf(f.Name) == FileKind.PriceFull && StoreOf(f.Name) == 2);
        var rows = ReadPrices(await DownloadAsync(scraper, priceFull, context));

        // The site writes names without their extension and links opaquely (downloadFile/<uuid>): the name cell is the name.
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Select(WithoutExtension).Order(), files.Select(f => f.Name).Order());
        Assert.All(files, f => Assert.Contains("/downloadFile/", f.Location.AbsolutePath, StringComparison.Ordinal));
        Assert.Empty(RowAssert.Differences(priceFull.Name, simulator.World.ExpectedPriceRows(scraper.Chain.Id, priceFull.Name + ".gz"), rows));
        using var answer = await http.GetAsync(priceFull.Location);
        Assert.Equal($"{priceFull.Name}.xml.gz", answer.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task SuperPharmScraper_LinkAnswersTheFileOrJson_ReadsBothToTheSameRows()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 80, stores: 6), null, CancellationToken.None);
        var scraper = new SuperPharm();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, ManualClock.OnTestDay());

        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var answers = new HashSet<string?>();
        foreach (var priceFull in files.Where(f => KindOf(f.Name) == FileKind.PriceFull && !f.Name.StartsWith("NULL", StringComparison.Ordinal)))
        {
            using var first = await http.GetAsync(priceFull.Location);
            answers.Add(first.Content.Headers.ContentType?.MediaType);
            var rows = ReadPrices(await DownloadAsync(scraper, priceFull, context));
            Assert.Empty(RowAssert.Differences(priceFull.Name, simulator.World.ExpectedPriceRows(scraper.Chain.Id, priceFull.Name), rows));
        }

        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(), files.Select(f => f.Name).Order());
        Assert.DoesNotContain(files, f => KindOf(f.Name) == FileKind.Promo); // Super-Pharm has no Promo category
        Assert.Equal(["application/json", "application/octet-stream"], answers.Order()); // sources disagree: the simulator serves both
    }

    [Fact]
    public async Task SuperPharmScraper_NothingYetToday_ThrowsNoFilesYetNamingYesterday()
    {
        var options = TestFiles.AllKinds(items: 10, stores: 1);
        options.UnpublishedToday.Add("7290172900007");
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new SuperPharm();
        using var http = NewClient();

        var notice = await Assert.ThrowsAsync<NoFilesYetException>(
            async () => await scraper.ListFilesAsync(Context(simulator, scraper, http, ManualClock.OnTestDay()), CancellationToken.None).ToListAsync());

        Assert.Contains("no files published yet for 2026-02-17", notice.Message, StringComparison.Ordinal);
        Assert.Contains("the latest are from 2026-02-16", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CityMarketScraper_NothingOnAnyRecentDay_ThrowsAClearErrorNotNoFilesYet()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 10, stores: 1), null, CancellationToken.None);
        var scraper = new CityMarketShops();
        using var http = NewClient();
        var clock = ManualClock.OnTestDay();
        clock.Advance(TimeSpan.FromDays(10)); // the site has not published for ten days: it moved or broke

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await scraper.ListFilesAsync(Context(simulator, scraper, http, clock), CancellationToken.None).ToListAsync());

        Assert.Contains("returned no files for 2026-02-27 nor the 3 days before", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShufersalScraper_ExpiredSignedLink_RelistsOnceAndDownloadsThroughAFreshLink()
    {
        var clock = ManualClock.OnTestDay();
        var options = TestFiles.Options(items: 50, stores: 30);
        options.Time = clock;
        options.SignedLinkLifetime = TimeSpan.FromHours(1);
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new Shufersal();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, clock);
        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var first = files.Single(f => KindOf(f.Name) == FileKind.PriceFull && StoreOf(f.Name) == 7);
        var second = files.Single(f => KindOf(f.Name) == FileKind.PriceFull && StoreOf(f.Name) == 8);

        clock.Advance(TimeSpan.FromHours(2));
        using var refused = await http.GetAsync(first.Location);
        var before = simulator.RequestCount;
        var rows = ReadPrices(await DownloadAsync(scraper, first, context));
        var afterFirst = simulator.RequestCount;
        var secondRows = ReadPrices(await DownloadAsync(scraper, second, context));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("AuthenticationFailed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1 + 2 + 1, afterFirst - before); // refused, the two listing pages again, the fresh link
        Assert.Equal(1, simulator.RequestCount - afterFirst); // straight to the link from the same re-listing
        Assert.Equal(simulator.World.ExpectedRowsInFile(scraper.Chain.Id, 7), rows.Count);
        Assert.Equal(simulator.World.ExpectedRowsInFile(scraper.Chain.Id, 8), secondRows.Count);
    }

    [Fact]
    public async Task ShufersalScraper_LinkRefusedAgainAfterRelisting_FailsThatFileWithTheRefusal()
    {
        var clock = ManualClock.OnTestDay();
        var options = TestFiles.Options(items: 10, stores: 2);
        options.Time = clock;
        options.SignedLinkLifetime = TimeSpan.FromHours(1);
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new Shufersal();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, clock);
        var file = (await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync())[0];
        var tampered = file with { Location = new Uri(file.Location.AbsoluteUri.Replace("sig=", "sig=x", StringComparison.Ordinal)) };
        options.SignedLinkLifetime = TimeSpan.FromSeconds(-1); // from now on every link is born expired, the fresh one too

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => scraper.OpenAsync(tampered, context, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains(file.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShufersalScraper_ExpiredLinkOfAFileNoLongerListed_FailsNamingTheFile()
    {
        var clock = ManualClock.OnTestDay();
        var options = TestFiles.Options(items: 10, stores: 2);
        options.Time = clock;
        options.SignedLinkLifetime = TimeSpan.FromHours(1);
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new Shufersal();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, clock);
        var file = (await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync()).First(f => KindOf(f.Name) == FileKind.PriceFull);
        simulator.World.AdvanceDay(0.01); // the next day's files replace it in the listing
        clock.Advance(TimeSpan.FromHours(2));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => scraper.OpenAsync(file, context, CancellationToken.None));

        Assert.Contains($"the link to {file.Name} was refused (403 Forbidden) and a fresh listing no longer has the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HaziHinamScraper_PermanentNotFound_FailsThatFileOnly()
    {
        var options = TestFiles.AllKinds(items: 20, stores: 2);
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new HaziHinam();
        using var http = NewClient();
        var context = Context(simulator, scraper, http, ManualClock.OnTestDay());
        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var dead = files.Single(f => KindOf(f.Name) == FileKind.PriceFull && StoreOf(f.Name) == 1 && !f.Name.StartsWith("NULL", StringComparison.Ordinal));
        var alive = files.Single(f => KindOf(f.Name) == FileKind.PriceFull && StoreOf(f.Name) == 2 && !f.Name.StartsWith("NULL", StringComparison.Ordinal));
        simulator.World.WithdrawFile(scraper.Chain.Id, dead.Name);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => scraper.OpenAsync(dead, context, CancellationToken.None));
        var rows = ReadPrices(await DownloadAsync(scraper, alive, context));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains(dead.Name, error.Message, StringComparison.Ordinal);
        Assert.Equal(simulator.World.ExpectedRowsInFile(scraper.Chain.Id, 2), rows.Count);
    }

    private static string WithoutExtension(string name) => Path.GetFileNameWithoutExtension(name);

    private static int Pages(int files, int pageSize) => Math.Max(1, (files + pageSize - 1) / pageSize);
}
