using System.Net;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;

namespace Gogobe.Simulator.Tests.Families;

public sealed class BinaProjectsScraperTests
{
    private static readonly DateOnly Day = TestFiles.Day;

    [Fact]
    public async Task List_Today_ReturnsTodaysFilesOfEveryIdOnceEach()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects, stores: 5);
        var scraper = new CityMarketKiryatGat();
        using var http = FamilyKit.NewClient();

        var files = await FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day));

        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        Assert.Equal(files.Count, files.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());

        // Stores 1..5 spread over the three ids; each id's listing also carries the chain-wide Stores file, listed once here.
        Assert.Equal(scraper.Chain.AllIds.Order(), files.Select(f => PriceFileName.TryParse(f.Name, out var n) ? n.ChainId : "").Where(id => id.Length > 0).Distinct().Order());
        Assert.Single(files, f => f.Name.StartsWith("Stores", StringComparison.Ordinal));
        var portal = simulator.MapPortal(scraper.Portal.Address);
        foreach (var id in scraper.Chain.AllIds)
        {
            var answer = await http.GetStringAsync(new Uri(portal, $"MainIO_Hok.aspx?_={id}&wReshet=%D7%94%D7%9B%D7%9C&WFileType=1&WDate=17/02/2026&WStore="));
            Assert.Contains("\"FileNm\":\"Stores" + scraper.Chain.Id, answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task List_PastDay_ReturnsThatDaysFilesAndDownloadsTheirPrices()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects);
        simulator.World.AdvanceDay(0.2);
        var scraper = new KingStore();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var files = await FamilyKit.ListAsync(scraper, context);

        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        Assert.All(files, f => Assert.Contains("-20260217", f.Name, StringComparison.Ordinal));
        var priceFull = FamilyKit.PriceFull(files, 2);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task Open_TwoStepDownload_FollowsSPathToTheFile()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects);
        var scraper = new MeshnatYosef2();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);
        var files = await FamilyKit.ListAsync(scraper, context);
        var priceFull = FamilyKit.PriceFull(files, 2); // store 2 is published under the second id

        Assert.StartsWith("PriceFull7290058289400-002-", priceFull.Name, StringComparison.Ordinal);
        Assert.EndsWith("Download.aspx", priceFull.Location.AbsolutePath, StringComparison.Ordinal);
        var step = await http.GetStringAsync(priceFull.Location);
        Assert.Contains("\"SPath\":\"http://127.0.0.1:", step, StringComparison.Ordinal);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task List_TodayEmptyButYesterdayPublished_ThrowsNoFilesYet()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects);
        var scraper = new GoodPharm();
        using var http = FamilyKit.NewClient();

        var error = await Assert.ThrowsAsync<NoFilesYetException>(
            () => FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day.AddDays(1))));

        Assert.Contains("2026-02-18", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-02-17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NothingOnAnyRecentDay_ThrowsOrdinaryError()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects);
        var scraper = new SuperSapir();
        using var http = FamilyKit.NewClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day.AddDays(10))));

        Assert.Contains("lists no files for 2026-02-27", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithdrawnFile_FailsWith404()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects);
        var scraper = new ShukHaIr();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);
        var files = await FamilyKit.ListAsync(scraper, context);
        var priceFull = FamilyKit.PriceFull(files, 1);
        simulator.World.WithdrawFile(scraper.Chain.Id, priceFull.Name);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => scraper.OpenAsync(priceFull, context, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains(priceFull.Name, error.Message, StringComparison.Ordinal);
    }
}
