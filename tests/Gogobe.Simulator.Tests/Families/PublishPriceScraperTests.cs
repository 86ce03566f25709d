using System.Net;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;

namespace Gogobe.Simulator.Tests.Families;

public sealed class PublishPriceScraperTests
{
    private static readonly DateOnly Day = TestFiles.Day;

    [Fact]
    public async Task List_Today_ReadsTheScriptLiteralAndPointsIntoTheDaysFolder()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.PublishPrice);
        var scraper = new Carrefour();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var files = await FamilyKit.ListAsync(scraper, context);

        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        var priceFull = FamilyKit.PriceFull(files, 3);
        Assert.Equal($"/prices.carrefour.co.il/20260217/{priceFull.Name}", priceFull.Location.AbsolutePath);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task List_Quik_HasNoStoresFile()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.PublishPrice);
        var scraper = new Quik();
        using var http = FamilyKit.NewClient();

        var files = await FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day));

        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        Assert.DoesNotContain(files, f => f.Name.StartsWith("Stores", StringComparison.Ordinal));
        Assert.Equal(3, files.Count(f => f.Name.StartsWith("PriceFull", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_PastDay_UsesTheDayParameter()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.PublishPrice);
        simulator.World.AdvanceDay(0.2);
        var scraper = new Carrefour();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var files = await FamilyKit.ListAsync(scraper, context);

        Assert.NotEmpty(files);
        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        var priceFull = FamilyKit.PriceFull(files, 1);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task List_TodayEmptyButYesterdayPublished_ThrowsNoFilesYet()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.PublishPrice);
        var scraper = new Quik();
        using var http = FamilyKit.NewClient();

        await Assert.ThrowsAsync<NoFilesYetException>(() => FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day.AddDays(1))));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day.AddDays(10))));
        Assert.Contains("prices.quik.co.il", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_HandWrittenPageWithRepeatedEntries_ListsEachNameOnce()
    {
        // A page as a person might edit it: double quotes, a comment, a repeated entry, a trailing comma.
        const string page = """
            <html><body><script>
            let path = "./20260217/";
            const files = [
              { "name": "PriceFull7290055700007-001-202602170300.gz", size: 10 },
              /* re-published */ { name: 'PriceFull7290055700007-001-202602170300.gz', size: 10 },
              { name: 'Stores7290055700007-000-202602170105.gz' },
            ];
            </script></body></html>
            """;
        var scraper = new Carrefour();
        using var http = new HttpClient(new PageHandler(page));
        var context = new ScrapeContext(http, new Uri("http://127.0.0.1:9/prices.carrefour.co.il/"), new DayClock(Day), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var files = await FamilyKit.ListAsync(scraper, context);

        Assert.Equal(["PriceFull7290055700007-001-202602170300.gz", "Stores7290055700007-000-202602170105.gz"], files.Select(f => f.Name));
        Assert.Equal("http://127.0.0.1:9/prices.carrefour.co.il/20260217/PriceFull7290055700007-001-202602170300.gz", files[0].Location.AbsoluteUri);
        Assert.Equal(10, files[0].Size);
    }

    [Fact]
    public async Task Open_WithdrawnFile_FailsWith404()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.PublishPrice);
        var scraper = new Carrefour();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);
        var priceFull = FamilyKit.PriceFull(await FamilyKit.ListAsync(scraper, context), 2);
        simulator.World.WithdrawFile(scraper.Chain.Id, priceFull.Name);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => scraper.OpenAsync(priceFull, context, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    /// <summary>Answers every request with one fixed page: the listing parser's input, no network involved.</summary>
    private sealed class PageHandler(string html) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(html, System.Text.Encoding.UTF8, "text/html"), RequestMessage = request });
    }
}
