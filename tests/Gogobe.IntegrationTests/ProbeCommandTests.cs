using System.Text.Json;
using Gogobe.Core;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using Gogobe.Simulator;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary><c>gogobe probe</c> as an operator runs it: every chain against the simulator, a local copy through <c>--portal</c>, and the failures named by step.</summary>
public sealed class ProbeCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task Probe_EveryRegisteredChainAgainstTheSimulator_ListsExactlyWhatItPublishesToday()
    {
        var registry = ScraperRegistry.FromTypes(typeof(Shufersal).Assembly.GetTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(SupermarketScraper)))).Scrapers;
        // A fixed day: the demo's simulator publishes for the day probed, so the comparison never straddles midnight.
        var day = new DateOnly(2026, 2, 17);
        var arguments = new List<string> { "probe", "--demo", "--json", "--day", "2026-02-17" };
        foreach (var scraper in registry)
        {
            arguments.AddRange(["--chain", scraper.Chain.Name]);
        }

        var result = await GogobeProcess.RunAsync(NoEnvironment, Timeout, [.. arguments]);

        output.WriteLine(result.StandardError);
        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var listed = json.RootElement.EnumerateArray().ToList();
        Assert.All(listed, f =>
        {
            Assert.False(string.IsNullOrEmpty(f.GetProperty("name").GetString()));
            Assert.NotNull(f.GetProperty("kind").GetString());
            Assert.StartsWith("http://127.0.0.1:", f.GetProperty("url").GetString(), StringComparison.Ordinal);
        });

        // The demo's simulator is deterministic: the same settings give the same world here.
        var world = new SimulatedWorld(new SimulatorOptions
        {
            Seed = 42, StoresPerChain = 3, ItemsPerStore = 50, Day = day,
            Chains = [.. registry.Select(s => new SimulatedChain(s.Chain, s.Portal))],
        });
        foreach (var scraper in registry)
        {
            var names = listed.Where(f => f.GetProperty("chain").GetString() == scraper.Chain.Name).Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
            var expected = world.FileNamesOn(scraper.Chain.Id, world.Day)
                .Select(n => scraper is CityMarketShops ? Path.GetFileNameWithoutExtension(n) : n) // that site lists names without the extension
                .Order(StringComparer.Ordinal);
            Assert.True(expected.SequenceEqual(names), $"{scraper.Chain}: probed [{string.Join(", ", names)}]");
            Assert.Contains(listed, f => f.GetProperty("chain").GetString() == scraper.Chain.Name && f.GetProperty("kind").GetString() == "PriceFull"
                && f.GetProperty("store").GetInt32() == 3);
        }
    }

    [Fact]
    public async Task Probe_LocalCopyThroughPortal_ListsThatDayAsText()
    {
        await using var simulator = await PortalSimulator.StartAsync(Options(new Shufersal(), new HaziHinam()), null, CancellationToken.None);
        var day = simulator.World.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var result = await GogobeProcess.RunAsync(NoEnvironment, Timeout,
            "probe", "--chain", "Hazi Hinam", "--portal", simulator.MapPortal(new HaziHinam().Portal.Address).AbsoluteUri, "--day", day);

        output.WriteLine(result.Output);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Hazi Hinam (7290700100008) — hazi-hinam-html at {simulator.MapPortal(new HaziHinam().Portal.Address)}", result.StandardOutput, StringComparison.Ordinal);
        var files = simulator.World.FileNamesOn("7290700100008", simulator.World.Day);
        Assert.All(files, name => Assert.Contains(name, result.StandardOutput, StringComparison.Ordinal));
        Assert.Contains($"  {files.Count} files for {day}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"  PriceFull  store 002  \d{4}-\d\d-\d\d 03:00 ", result.StandardOutput);
    }

    [Fact]
    public async Task Probe_RefusedLogin_ExitsOneNamingTheLoginStep()
    {
        var options = Options(new OsherAd());
        options.RejectedUsers.Add("osherad");
        await using var simulator = await PortalSimulator.StartAsync(options, null, CancellationToken.None);

        var result = await GogobeProcess.RunAsync(NoEnvironment, Timeout,
            "probe", "--chain", "Osher Ad", "--portal", simulator.MapPortal(new Uri("https://url.publishedprices.co.il/")).AbsoluteUri);

        output.WriteLine(result.Output);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Osher Ad (7290103152017): probe of", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("failed at login: Osher Ad (7290103152017): login: the Cerberus portal refused user osherad", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task Probe_PortalInAnotherShape_ExitsOneNamingTheMissingTableAndItsAddress()
    {
        // Shufersal's scraper pointed at Hazi Hinam's site: a page without table.webgrid, as a Shufersal redesign would be.
        await using var simulator = await PortalSimulator.StartAsync(Options(new HaziHinam()), null, CancellationToken.None);
        var portal = simulator.MapPortal(new HaziHinam().Portal.Address).AbsoluteUri;

        var result = await GogobeProcess.RunAsync(NoEnvironment, Timeout, "probe", "--chain", "Shufersal", "--portal", portal);

        output.WriteLine(result.Output);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("failed at HTTP 404 NotFound", result.StandardError, StringComparison.Ordinal);

        // A site that answers, but a page without the table: what a redesign looks like.
        using var site = StaticSite.Start("<!DOCTYPE html><html><body><div id=\"gridContainer\"><p>בקרוב</p></div></body></html>");
        var shape = await GogobeProcess.RunAsync(NoEnvironment, Timeout, "probe", "--chain", "Shufersal", "--portal", site.Address.AbsoluteUri);
        output.WriteLine(shape.Output);
        Assert.Equal(1, shape.ExitCode);
        Assert.Contains(
            $"failed at listing: Shufersal (7290027600007): listing: the listing page {site.Address}FileObject/UpdateCategory?catID=0&storeId=0&page=1 has no table.webgrid; the portal may have changed.",
            shape.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A loopback site answering every request with one page.</summary>
    private sealed class StaticSite : IDisposable
    {
        private readonly System.Net.HttpListener _listener = new();

        private StaticSite(string html)
        {
            using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
            {
                probe.Start();
                Address = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)probe.LocalEndpoint).Port}/");
            }

            _listener.Prefixes.Add(Address.AbsoluteUri);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    System.Net.HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    var body = System.Text.Encoding.UTF8.GetBytes(html);
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public Uri Address { get; }

        public static StaticSite Start(string html) => new(html);

        public void Dispose() => _listener.Close();
    }

    [Fact]
    public async Task Probe_BadArguments_ExitTwoWithOneLine()
    {
        var unknown = await GogobeProcess.RunAsync(NoEnvironment, Timeout, "probe", "--chain", "No Such Chain");
        var twoWithPortal = await GogobeProcess.RunAsync(NoEnvironment, Timeout, "probe", "--chain", "Shufersal", "--chain", "Victory", "--portal", "http://127.0.0.1:9/");
        var badDay = await GogobeProcess.RunAsync(NoEnvironment, Timeout, "probe", "--chain", "Shufersal", "--day", "08/12/2026");

        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("No registered chain matches 'No Such Chain'.", unknown.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, twoWithPortal.ExitCode);
        Assert.Contains("give exactly one --chain", twoWithPortal.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, badDay.ExitCode);
        Assert.Contains("--day must be a date as YYYY-MM-DD", badDay.StandardError, StringComparison.Ordinal);
    }

    private static SimulatorOptions Options(params SupermarketScraper[] scrapers) => new()
    {
        Seed = 7, StoresPerChain = 2, ItemsPerStore = 20, Day = IsraelClock.Today(TimeProvider.System),
        Chains = [.. scrapers.Select(s => new SimulatedChain(s.Chain, s.Portal))],
    };
}
