using System.Net;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using Gogobe.Scrapers.Families;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.Simulator.Tests;

public sealed class PortalSimulatorTests
{
    [Fact]
    public async Task CerberusScraper_LogInListAndDownload_ReturnsTodayAndYesterdayAndRealFiles()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 200, stores: 4), null, CancellationToken.None);
        simulator.World.AdvanceDay(0.1);
        var scraper = new RamiLevy();
        using var http = NewClient();
        var context = Context(simulator, scraper, http);

        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();

        var chainId = scraper.Chain.Id;
        Assert.Equal(simulator.World.FileNames(chainId, includeHistory: true).Order(), files.Select(f => f.Name).Order());
        Assert.Equal(4, files.Count(f => f.Name.Contains("-20260217", StringComparison.Ordinal)));
        Assert.Equal(5, files.Count(f => f.Name.Contains("-20260218", StringComparison.Ordinal)));

        var today = files.Single(f => f.Name == $"PriceFull{chainId}-003-202602180300.gz");
        await using var stream = await scraper.OpenAsync(today, context, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        var parsed = TestFiles.ParseGz(copy.ToArray(), simulator.World.EncodingOf(chainId));
        Assert.Equal(simulator.World.ExpectedPrices(chainId, 3).OrderBy(p => p.Key), TestFiles.Prices(parsed, chainId).OrderBy(p => p.Key));
    }

    [Fact]
    public async Task CerberusScraper_SharedHost_UserSelectsTheChain()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 50, stores: 2), null, CancellationToken.None);
        var scraper = new SalachDabach();
        using var http = NewClient();

        var files = await scraper.ListFilesAsync(Context(simulator, scraper, http), CancellationToken.None).ToListAsync();

        Assert.All(files, f => Assert.Contains(scraper.Chain.Id, f.Name, StringComparison.Ordinal));
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id, includeHistory: true).Count, files.Count);
    }

    [Fact]
    public async Task CerberusScraper_WrongPassword_ThrowsNamingTheUser()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        var scraper = new WrongPasswordSalachDabach();
        using var http = NewClient();

        var error = await Assert.ThrowsAsync<CerberusLoginRefusedException>(
            async () => await scraper.ListFilesAsync(Context(simulator, scraper, http), CancellationToken.None).ToListAsync());

        // The real portal answers a refusal with its login page again (200), saying nothing more.
        Assert.Contains("login: the Cerberus portal refused user SalachD", error.Message, StringComparison.Ordinal);
        Assert.Contains("it answered its login page again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CerberusScraper_RejectedUser_ThrowsNamingTheUser()
    {
        var options = TestFiles.Options(items: 10, stores: 1);
        options.RejectedUsers.Add("osherad");
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);
        var scraper = new OsherAd();
        using var http = NewClient();

        var error = await Assert.ThrowsAsync<CerberusLoginRefusedException>(
            async () => await scraper.ListFilesAsync(Context(simulator, scraper, http), CancellationToken.None).ToListAsync());

        Assert.Contains("Osher Ad (7290103152017): login: the Cerberus portal refused user osherad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CerberusPortal_WithoutSession_RefusesListingAndDownload()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var portal = simulator.MapPortal(new Uri("https://url.publishedprices.co.il/"));
        var name = simulator.World.FileNames("7290058140886")[1];

        using var listing = await http.PostAsync(new Uri(portal, "file/json/dir"), new FormUrlEncodedContent(new Dictionary<string, string> { ["cd"] = "/" }));
        using var download = await http.GetAsync(new Uri(portal, "file/d/" + name));

        Assert.Equal(HttpStatusCode.Unauthorized, listing.StatusCode);

        // As the real portal: a page asked for while logged out answers the login page (200), returning to that page.
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var page = await download.Content.ReadAsStringAsync();
        Assert.Contains("<form id=\"login-form\" action=\"/login/user\"", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"r\" id=\"r\" value=\"/file/d/{name}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CerberusScraper_UnknownFile_ThrowsClearError()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        var scraper = new Yohananof();
        using var http = NewClient();
        var context = Context(simulator, scraper, http);
        await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
        var missing = new PublishedFile("PriceFull7290803800003-077-202602170300.gz", context.Resolve("file/d/PriceFull7290803800003-077-202602170300.gz"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => scraper.OpenAsync(missing, context, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains(missing.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShufersalScraper_MoreThanOnePage_ListsEveryFileOnceAndDownloads()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 100, stores: 30), null, CancellationToken.None);
        var scraper = new Shufersal();
        using var http = NewClient();
        var context = Context(simulator, scraper, http);
        var requestsBefore = simulator.RequestCount;

        var files = await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();

        Assert.Equal(2, simulator.RequestCount - requestsBefore); // 31 files: two pages of 20
        Assert.Equal(simulator.World.FileNames(scraper.Chain.Id).Order(), files.Select(f => f.Name).Order());
        Assert.Equal(files.Count, files.Select(f => f.Name).Distinct().Count());

        var stores = files.Single(f => f.Name.StartsWith("Stores", StringComparison.Ordinal));
        var priceFull = files.Single(f => f.Name.Contains("-017-", StringComparison.Ordinal));
        Assert.Equal("pricesprodpublic.blob.core.windows.net", priceFull.Location.Segments[1].TrimEnd('/'));
        var storesFile = TestFiles.ParseGz(await DownloadAsync(scraper, stores, context), simulator.World.EncodingOf(scraper.Chain.Id));
        var priceFile = TestFiles.ParseGz(await DownloadAsync(scraper, priceFull, context), simulator.World.EncodingOf(scraper.Chain.Id));
        Assert.Equal(30, storesFile.Rows.Count);
        Assert.Equal("root", priceFile.Root);
        Assert.Equal(simulator.World.ExpectedPrices(scraper.Chain.Id, 17).OrderBy(p => p.Key), TestFiles.Prices(priceFile, scraper.Chain.Id).OrderBy(p => p.Key));
    }

    [Fact]
    public async Task ShufersalPortal_TamperedSignature_IsRefused()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        var scraper = new Shufersal();
        using var http = NewClient();
        var context = Context(simulator, scraper, http);
        var file = (await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync())[0];
        var tampered = new PublishedFile(file.Name, new Uri(file.Location.AbsoluteUri.Replace("sig=", "sig=x", StringComparison.Ordinal)));

        // Asked directly: the scraper itself would re-list on a 403 and fetch the file through a fresh link.
        using var response = await http.GetAsync(tampered.Location);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("AuthenticationFailed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapPortal_RealAddress_BecomesHostPrefixOnLoopback()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);

        var mapped = simulator.MapPortal(new Uri("https://prices.shufersal.co.il/"));

        Assert.Equal("127.0.0.1", simulator.BaseAddress.Host);
        Assert.Equal(new Uri(simulator.BaseAddress, "prices.shufersal.co.il/"), mapped);
    }

    [Fact]
    public void DefaultChains_MatchTheScraperClasses()
    {
        var scrapers = typeof(RamiLevy).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(SupermarketScraper)) && !t.IsAbstract)
            .Select(t => (SupermarketScraper)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Chain.Id, StringComparer.Ordinal)
            .ToList();
        var defaults = SimulatorOptions.DefaultChains.OrderBy(c => c.Chain.Id, StringComparer.Ordinal).ToList();

        Assert.Equal(scrapers.Select(s => s.Chain), defaults.Select(c => c.Chain));
        Assert.All(scrapers.Zip(defaults), pair =>
        {
            Assert.Equal(pair.First.Portal.Family, pair.Second.Portal.Family);
            Assert.Equal(pair.First.Portal.Address, pair.Second.Portal.Address);
            Assert.Equal(pair.First.Portal.Settings.OrderBy(s => s.Key), pair.Second.Portal.Settings.OrderBy(s => s.Key));
        });
    }

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

    private sealed class WrongPasswordSalachDabach() : CerberusScraper(new Chain("Salach Dabach", "7290526500006"), "SalachD", "wrong");
}
