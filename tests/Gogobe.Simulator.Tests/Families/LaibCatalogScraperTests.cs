using System.Net;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;

namespace Gogobe.Simulator.Tests.Families;

public sealed class LaibCatalogScraperTests
{
    private static readonly DateOnly Day = TestFiles.Day;

    [Fact]
    public async Task List_Today_AsksTheWholeCatalogOncePerIdAndListsEachFileOnce()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.LaibCatalog, stores: 4);
        var scraper = new Victory();
        using var http = FamilyKit.NewClient();
        var portal = simulator.MapPortal(scraper.Portal.Address);
        var before = simulator.RequestCount;

        var files = await FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day));

        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        Assert.Single(files, f => f.Name.StartsWith("Stores", StringComparison.Ordinal));
        Assert.Equal(3, simulator.RequestCount - before); // getbranches for each id, getfiles for the first only

        // As the real API (SHAPES.md §3): branches keyed "number", none under the second id, the same catalog whatever the branch.
        var branches = await http.GetStringAsync(new Uri(portal, $"webapi/api/getbranches?edi={scraper.Chain.Id}"));
        Assert.Contains("\"number\":2", branches, StringComparison.Ordinal);
        Assert.Equal("[]", await http.GetStringAsync(new Uri(portal, "webapi/api/getbranches?edi=7290058103393")));
        var branch1 = await http.GetStringAsync(new Uri(portal, $"webapi/api/getfiles?edi={scraper.Chain.Id}&branchNumber=1"));
        var branch3 = await http.GetStringAsync(new Uri(portal, $"webapi/api/getfiles?edi={scraper.Chain.Id}&branchNumber=3"));
        Assert.Equal(branch1, branch3);
        Assert.Contains("\"fileSize\":\"", branch1, StringComparison.Ordinal);
        Assert.All(files, f => Assert.NotNull(f.PublishedAt));
    }

    [Fact]
    public async Task List_PastDay_PicksThatDayByFileNameAndDownloadsUnderTheFirstId()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.LaibCatalog);
        simulator.World.AdvanceDay(0.2);
        var scraper = new MahsaniAShuk();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var files = await FamilyKit.ListAsync(scraper, context);

        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        var priceFull = FamilyKit.PriceFull(files, 2);
        Assert.Contains("7290633800006", priceFull.Name, StringComparison.Ordinal); // named with the second id, fetched under the first
        Assert.Equal($"/laibcatalog.co.il/webapi/7290661400001/{priceFull.Name}", priceFull.Location.AbsolutePath);
        Assert.NotNull(priceFull.Size);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task List_TodayEmptyButYesterdayPublished_ThrowsNoFilesYet()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.LaibCatalog);
        var scraper = new HCohen();
        using var http = FamilyKit.NewClient();

        var error = await Assert.ThrowsAsync<NoFilesYetException>(
            () => FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day.AddDays(1))));

        Assert.Contains("no files published yet for 2026-02-18", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NothingOnAnyRecentDay_ThrowsOrdinaryError()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.LaibCatalog);
        var scraper = new HCohen();
        using var http = FamilyKit.NewClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day.AddDays(10))));

        Assert.Contains("the Laib catalog lists no files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithdrawnFile_FailsWith404()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.LaibCatalog);
        var scraper = new Victory();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);
        var priceFull = FamilyKit.PriceFull(await FamilyKit.ListAsync(scraper, context), 1);
        simulator.World.WithdrawFile(scraper.Chain.Id, priceFull.Name);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => scraper.OpenAsync(priceFull, context, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [InlineData("12.3 KB", 12595L)]
    [InlineData("2 MB", 2097152L)]
    [InlineData("980 B", 980L)]
    [InlineData("562.84 KB", 576348L)]
    [InlineData("", null)]
    [InlineData("big", null)]
    public void Size_ApiText_ReadAsBytes(string text, long? bytes) =>
        Assert.Equal(bytes, Gogobe.Scrapers.Families.ListingText.Size(text));
}
