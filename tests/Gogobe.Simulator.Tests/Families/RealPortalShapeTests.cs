using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using Gogobe.Scrapers.Families;

namespace Gogobe.Simulator.Tests.Families;

/// <summary>
/// The simulator behaves as SHAPES.md says the real portals do (status codes, cookies, caps, pagers, keys, date formats),
/// and each family reads it right.
/// </summary>
public sealed partial class RealPortalShapeTests
{
    private static readonly DateOnly Day = TestFiles.Day;

    [Fact]
    public async Task Cerberus_Login_RotatesTheSessionAndTheFilePagesTokenIsTheOnlyOneTheListingTakes()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.Cerberus, stores: 1, items: 5);
        var portal = simulator.MapPortal(new Uri("https://url.publishedprices.co.il/"));
        var jar = new CookieContainer();
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = jar, AllowAutoRedirect = false });
        var loginPage = await http.GetStringAsync(new Uri(portal, "login"));
        var loginToken = TokenMeta().Match(loginPage).Groups[1].Value;
        var before = jar.GetCookies(portal)["cftpSID"]!.Value;

        using var login = await http.PostAsync(new Uri(portal, "login/user"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["r"] = "", ["username"] = "RamiLevi", ["password"] = "", ["Submit"] = "Sign in", ["csrftoken"] = loginToken,
        }));
        var after = jar.GetCookies(portal)["cftpSID"]!.Value;

        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        Assert.EndsWith("/url.publishedprices.co.il/file", login.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.NotEqual(before, after);

        // The cookie sent with the login is dead: keeping it lands on the login page, 200 (the "silent" failure).
        using (var stale = new HttpClient(new SocketsHttpHandler { UseCookies = false }))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(portal, "file"));
            request.Headers.Add("Cookie", "cftpSID=" + before);
            using var answer = await stale.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("Not currently logged in", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var filePage = await http.GetStringAsync(new Uri(portal, "file"));
        var fileToken = TokenMeta().Match(filePage).Groups[1].Value;
        Assert.Contains("Logged in as 'RamiLevi'", filePage, StringComparison.Ordinal);
        Assert.NotEqual(loginToken, fileToken);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", fileToken);

        async Task<HttpStatusCode> ListWith(string token)
        {
            using var answer = await http.PostAsync(new Uri(portal, "file/json/dir"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["cd"] = "/", ["iDisplayStart"] = "0", ["iDisplayLength"] = "10", ["csrftoken"] = token,
            }));
            return answer.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await ListWith(loginToken));
        Assert.Equal(HttpStatusCode.OK, await ListWith(fileToken));
    }

    [Fact]
    public async Task Cerberus_MoreThan1000Files_ListsInPagesOf1000WithTheirTimes()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.Cerberus, stores: 130, items: 2);
        var scraper = new RamiLevy();
        using var http = FamilyKit.NewClient();
        var expected = simulator.World.FileNames(scraper.Chain.Id, includeHistory: true);
        Assert.True(expected.Count > 1000, $"{expected.Count} files: too few to page");
        var before = simulator.RequestCount;

        var files = await FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day));

        Assert.Equal(expected.Order(StringComparer.Ordinal), FamilyKit.Names(files));
        Assert.Equal(3 + ((expected.Count + 999) / 1000), simulator.RequestCount - before); // login page, login, file page, the pages
        Assert.All(files, f => Assert.NotNull(f.PublishedAt));
        var sample = files.First(f => PriceFileName.TryParse(f.Name, out var n) && !n.IsPlaceholder);
        Assert.True(PriceFileName.TryParse(sample.Name, out var parsed));
        Assert.Equal(parsed.PublishedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            sample.PublishedAt!.Value.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Cerberus_ChainInAFolder_DownloadsFromTheFoldersPath()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.Cerberus, stores: 2, items: 30);
        var scraper = new SuperYuda();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var files = await FamilyKit.ListAsync(scraper, context);
        var priceFull = FamilyKit.PriceFull(files.Where(f => f.Name.Contains("20260217", StringComparison.Ordinal)), 1);

        Assert.Equal($"/url.publishedprices.co.il/file/d/Yuda/{priceFull.Name}", priceFull.Location.AbsolutePath);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task Shufersal_PagePastTheEnd_StillAnswersRows_TheScraperNeverAsksForOne()
    {
        var options = TestFiles.AllKinds(items: 5, stores: 3);
        options.ListingPageSize = 4;
        options.Chains = [.. SimulatorOptions.DefaultChains.Where(c => c.Portal.Family == PortalFamilies.ShufersalHtml)];
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new Shufersal();
        using var http = FamilyKit.NewClient();
        var portal = simulator.MapPortal(scraper.Portal.Address);
        var pages = (simulator.World.FileNames(scraper.Chain.Id).Count + 3) / 4;

        var pastTheEnd = await http.GetStringAsync(new Uri(portal, "FileObject/UpdateCategory?catID=0&storeId=0&page=999"));
        var first = await http.GetStringAsync(new Uri(portal, "FileObject/UpdateCategory?catID=0&storeId=0&page=1"));
        var before = simulator.RequestCount;
        var files = await FamilyKit.ListAsync(scraper, FamilyKit.Context(simulator, scraper, http, Day));

        Assert.Contains("webgrid-row-style", pastTheEnd, StringComparison.Ordinal);
        Assert.Contains($"&amp;page={pages}\">&gt;&gt;</a>", first, StringComparison.Ordinal); // the last-page link, &amp; as the real site writes it
        Assert.Equal(pages, simulator.RequestCount - before);
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(StringComparer.Ordinal), FamilyKit.Names(files));
        Assert.Contains(files, f => f.Name == "Stores7290027600007-000-20260217-105.gz"); // its time as H:MM, 1:05
        Assert.All(files, f => Assert.NotNull(f.PublishedAt));
    }

    [Fact]
    public async Task Bina_UnfilteredAnswerStopsAt1000Rows_TheScraperAsksKindByKind()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects, stores: 220, items: 2);
        var scraper = new KingStore();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);
        var expected = FamilyKit.Expected(simulator.World, scraper.Chain, Day).ToList();
        Assert.True(expected.Count > 1000, $"{expected.Count} files: too few to reach the cap");

        var unfiltered = await http.GetStringAsync(context.Resolve($"MainIO_Hok.aspx?_={scraper.Chain.Id}&WFileType=0&WDate=17/02/2026&WStore="));
        var files = await FamilyKit.ListAsync(scraper, context);

        Assert.Equal(1000, JsonDocument.Parse(unfiltered).RootElement.GetArrayLength());
        Assert.Equal(expected, FamilyKit.Names(files));
    }

    [Fact]
    public async Task Bina_RealKeysUpperCaseExtensionAndZipInsideGz_AreReadRight()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.BinaProjects, stores: 2, items: 40);
        var scraper = new Maayan2000();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var listing = await http.GetStringAsync(context.Resolve($"MainIO_Hok.aspx?_={scraper.Chain.Id}&WFileType=4&WDate=17/02/2026&WStore="));
        var files = await FamilyKit.ListAsync(scraper, context);
        var priceFull = FamilyKit.PriceFull(files, 2);
        var row = JsonDocument.Parse(listing).RootElement[0];

        Assert.Equal(["Company", "DateFile", "FileNm", "PathLogo", "Store", "TypeExpFile", "TypeFile"], row.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Matches(@"^ \d\d:\d\d  \d\d/\d\d/\d{4} $", row.GetProperty("DateFile").GetString()!); // time first, stray spaces
        Assert.EndsWith(".GZ", priceFull.Name, StringComparison.Ordinal);
        Assert.NotNull(priceFull.PublishedAt);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task HaziHinam_PagerLinksDropTheDay_TheScraperStillListsOnlyTheDayAskedFor()
    {
        var options = TestFiles.AllKinds(items: 10, stores: 5);
        options.ListingPageSize = 2;
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new HaziHinam();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        using var page = await new HtmlParser().ParseDocumentAsync(await http.GetStringAsync(context.Resolve("Prices?t=1&f=null&d=2026-02-17&p=1")));
        var files = await FamilyKit.ListAsync(scraper, context);

        var pager = page.QuerySelectorAll("li.pagination-item a[href]").Select(a => a.GetAttribute("href")!).ToList();
        Assert.True(pager.Count > 1);
        Assert.All(pager, href => Assert.DoesNotContain("d=", href, StringComparison.Ordinal));
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(StringComparer.Ordinal), FamilyKit.Names(files));
        Assert.All(files, f => Assert.Equal("/hazihinamprod01.blob.core.windows.net/regulatories/" + f.Name, f.Location.AbsolutePath));
        Assert.All(files, f => Assert.NotNull(f.Size));
    }

    [Fact]
    public async Task SuperPharm_Pager_IsButtonsWithDataPage_TheScraperReadsEveryPage()
    {
        var options = TestFiles.AllKinds(items: 10, stores: 7);
        options.ListingPageSize = 2;
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new SuperPharm();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var html = await http.GetStringAsync(context.Resolve("?Category-equals=Price&Date-equals=17/02/2026&page=1"));
        var files = await FamilyKit.ListAsync(scraper, context);

        Assert.Contains("<table class=\"gzTable\">", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"mvc-grid-pager\"><button type=\"button\" data-page=\"1\"", html);
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(StringComparer.Ordinal), FamilyKit.Names(files));
        Assert.All(files, f => Assert.NotNull(f.PublishedAt));
    }

    [Fact]
    public async Task PublishPrice_Page_HasTheRealScriptShape_AndModifiedIsRead()
    {
        await using var simulator = await FamilyKit.StartAsync(PortalFamilies.PublishPrice);
        var scraper = new Carrefour();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        using var page = await new HtmlParser().ParseDocumentAsync(await http.GetStringAsync(context.Resolve("")));
        var files = await FamilyKit.ListAsync(scraper, context);

        var scripts = page.QuerySelectorAll("script:not([src])").Select(s => s.TextContent).ToList();
        var list = scripts[^2]; // the second-to-last script, where O1 looks
        Assert.Contains("const path = '20260217';", list, StringComparison.Ordinal);
        Assert.Matches("const files = \\[\\{\"name\":\"[^\"]+\",\"size\":\\d+,\"modified\":\"\\d\\d:\\d\\d \\d\\d-\\d\\d-\\d{4}\"\\}", list);
        Assert.Contains("let filesInfoCache = [];", list, StringComparison.Ordinal);
        Assert.Equal(FamilyKit.Expected(simulator.World, scraper.Chain, Day), FamilyKit.Names(files));
        Assert.All(files, f => Assert.NotNull(f.PublishedAt));
        Assert.All(files, f => Assert.NotNull(f.Size));
    }

    [Fact]
    public async Task Netiv_LinksNameTheFileInTheirQuery_TheScraperListsAndDownloads()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.AllKinds(items: 20, stores: 2), null, CancellationToken.None);
        var scraper = new NetivHaHesed();
        using var http = FamilyKit.NewClient();
        var context = FamilyKit.Context(simulator, scraper, http, Day);

        var files = await FamilyKit.ListAsync(scraper, context);
        var priceFull = FamilyKit.PriceFull(files, 2);

        Assert.Equal("/app.netiv-hesed.com/Prices/Download", priceFull.Location.AbsolutePath);
        Assert.Equal("?fileName=" + priceFull.Name, priceFull.Location.Query);
        Assert.Equal(FamilyKit.ExpectedRows(simulator.World, scraper.Chain, priceFull.Name), await FamilyKit.ReadPricesAsync(scraper, priceFull, context));
    }

    [Fact]
    public async Task SuperPharm_LinkAnswersJsonAfterABomAndWhiteSpace_FollowsTheHrefAgainstThePortal()
    {
        var gzip = await TestFiles.GenerateAsync(new SimulatedWorld(TestFiles.AllKinds(items: 5, stores: 1)), "7290172900007",
            new SimulatedWorld(TestFiles.AllKinds(items: 5, stores: 1)).FileNames("7290172900007").First(n => n.StartsWith("PriceFull", StringComparison.Ordinal)));
        using var http = new HttpClient(new RoutingHandler(new Dictionary<string, (string Type, byte[] Body)>
        {
            ["/Download/PriceFull7290172900007-001-202602170300.gz"] = ("application/json", [.. "\uFEFF \r\n{\"href\":\"files/PriceFull7290172900007-001-202602170300.gz\"}"u8]),
            ["/files/PriceFull7290172900007-001-202602170300.gz"] = ("application/octet-stream", gzip),
        }));
        var scraper = new SuperPharm();
        var context = new ScrapeContext(http, new Uri("http://127.0.0.1:9/"), new DayClock(Day), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var file = new PublishedFile("PriceFull7290172900007-001-202602170300.gz", new Uri("http://127.0.0.1:9/Download/PriceFull7290172900007-001-202602170300.gz?bucketName=b"));

        await using var stream = await scraper.OpenAsync(file, context, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(gzip, copy.ToArray()); // resolved against the portal (O1: base + href), not /Download/files/…
    }

    [Fact]
    public async Task HaziHinam_EmptyDayRenderedAsOneRowAcrossTheTable_IsNoFilesNotAChangedPortal()
    {
        const string empty = "<table class=\"table table-striped\"><thead><tr><th>a</th></tr></thead><tbody><tr><td colspan=\"6\">לא נמצאו קבצים</td></tr></tbody></table>";
        using var http = new HttpClient(new Captures.CaptureHandler(empty));
        var scraper = new HaziHinam();
        var context = new ScrapeContext(http, scraper.Portal.Address, new DayClock(Day), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FamilyKit.ListAsync(scraper, context));

        Assert.Contains("returned no files for 2026-02-17 nor the 3 days before", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers by request path; anything else is 404.</summary>
    private sealed class RoutingHandler(Dictionary<string, (string Type, byte[] Body)> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!answers.TryGetValue(request.RequestUri!.AbsolutePath, out var answer))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
            }

            var content = new ByteArrayContent(answer.Body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(answer.Type);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    [GeneratedRegex("<meta name=\"csrftoken\" content=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex TokenMeta();
}
