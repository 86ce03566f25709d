using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gogobe.IntegrationTests;
using Gogobe.TestSupport;
using Microsoft.Playwright;

namespace Gogobe.BrowserTests;

/// <summary>
/// The dashboard in a real (system) Chromium against a real <c>gogobe serve --demo</c>: start a run from the page,
/// watch every chip turn Done over the live event stream, and check the numbers on the page against <c>/api/status</c>.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class DashboardTests(PostgresFixture postgres)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan RunPatience = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Dashboard_StartRunFromPage_AllChipsDoneAndNumbersMatchStatus(int width, int height)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: the browser tests need Chromium (run scripts/setup.sh --for-browser-tests, or apt-get install chromium).");
        // Playwright must not try to download its own browsers: there is no internet here, and the system Chromium is used.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(), "127.0.0.1", "--demo");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        // No internet here: make the CDN fail fast so the page takes its local Chart.js (or none) deterministically.
        await page.RouteAsync("https://cdn.jsdelivr.net/**", route => route.AbortAsync());

        // Every registered chain gets a chip; the demo run (Demo:Chains 0 = all) runs every one of them.
        var chains = await ChainCountAsync(server);
        Assert.True(chains > 0, "the server reports no chains");

        await page.GotoAsync($"http://127.0.0.1:{server.Port}/dashboard.html");
        var wait = new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 };
        await Assertions.Expect(page.GetByTestId("connection")).ToHaveAttributeAsync("data-state", "live", wait);
        await Assertions.Expect(page.GetByTestId("chip")).ToHaveCountAsync(chains, new() { Timeout = 20_000 });

        await page.GetByTestId("start-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToContainTextAsync("started", new() { Timeout = 10_000 });
        // One run at a time: the page says so instead of failing (3,000 items a store keep the run going for a few seconds).
        await page.GetByTestId("start-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToContainTextAsync("already going", new() { Timeout = 10_000 });

        await page.WaitForFunctionAsync(
            "n => { const c = [...document.querySelectorAll('[data-testid=chip]')]; return c.length === n && c.every(x => x.dataset.state === 'Done'); }",
            chains,
            new() { Timeout = (float)RunPatience.TotalMilliseconds, PollingInterval = 250 });

        using var status = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
        var fleet = status.RootElement.GetProperty("fleet").GetProperty("chains");
        Assert.Equal(chains, fleet.GetArrayLength());
        foreach (var chain in fleet.EnumerateArray())
        {
            var name = chain.GetProperty("name").GetString()!;
            var chip = page.Locator($"[data-testid=chip][data-chain=\"{name}\"]");
            Assert.Equal("Done", chain.GetProperty("state").GetString());
            Assert.Equal(Text(chain.GetProperty("files").GetProperty("completed")), await chip.GetAttributeAsync("data-completed"));
            Assert.Equal("0", await chip.GetAttributeAsync("data-failed"));
            Assert.Equal(Text(chain.GetProperty("rowsRead")), await chip.GetAttributeAsync("data-rows-read"));
            Assert.Equal(Text(chain.GetProperty("rowsChanged")), await chip.GetAttributeAsync("data-rows-changed"));
            Assert.True(chain.GetProperty("files").GetProperty("completed").GetInt32() > 0, $"{name} completed no files");
        }

        // Totals are still while no run goes; the page shows them within a metrics tick or two.
        var metrics = status.RootElement.GetProperty("metrics");
        Assert.True(metrics.GetProperty("pricesTotal").GetInt64() > 0);
        var tick = new LocatorAssertionsToHaveAttributeOptions { Timeout = 10_000 };
        await Assertions.Expect(page.GetByTestId("prices-total")).ToHaveAttributeAsync("data-value", Text(metrics.GetProperty("pricesTotal")), tick);
        await Assertions.Expect(page.GetByTestId("skus-total")).ToHaveAttributeAsync("data-value", Text(metrics.GetProperty("skusTotal")), tick);
        await Assertions.Expect(page.GetByTestId("reliability")).ToHaveAttributeAsync("data-value", Text(metrics.GetProperty("reliability").GetProperty("completed")), tick);
        await Assertions.Expect(page.GetByTestId("count-done")).ToHaveAttributeAsync("data-value", chains.ToString(CultureInfo.InvariantCulture), tick);
        await Assertions.Expect(page.GetByTestId("connection")).ToHaveAttributeAsync("data-state", "live", tick);
        Assert.True(int.Parse(await page.GetByTestId("log").GetAttributeAsync("data-count") ?? "0", CultureInfo.InvariantCulture) > 0, "no log lines reached the page");

        // Chart.js: the CDN is blocked, so the page uses wwwroot/lib when setup.sh put it there, else draws plain lines.
        var localChart = File.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot", "lib", "chart.umd.min.js"));
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-chart", localChart ? "local" : "none", tick);

        // The detail of a chip: its files, counts and last file.
        await page.GetByTestId("chip").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("chip-detail")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("chip-detail")).ToContainTextAsync("Files completed");

        await SaveScreenshotAsync(page, $"dashboard-{width}x{height}.png");
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task Dashboard_ServerGoesAway_ShowsReconnectingAndKeepsNumbers()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: the browser tests need Chromium (run scripts/setup.sh --for-browser-tests, or apt-get install chromium).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        var server = await ServeProcess.StartAsync(await EnvironmentAsync(), "127.0.0.1", "--demo");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, ColorScheme = ColorScheme.Dark });
        var page = await context.NewPageAsync();
        await page.RouteAsync("https://cdn.jsdelivr.net/**", route => route.AbortAsync());
        try
        {
            await page.GotoAsync($"http://127.0.0.1:{server.Port}/dashboard.html");
            var wait = new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 };
            await Assertions.Expect(page.GetByTestId("connection")).ToHaveAttributeAsync("data-state", "live", wait);
            await Assertions.Expect(page.GetByTestId("count-waiting")).Not.ToHaveAttributeAsync("data-value", "0", new() { Timeout = 20_000 });
        }
        finally
        {
            await server.DisposeAsync();
        }

        await Assertions.Expect(page.GetByTestId("connection")).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 20_000 });
        // What was last known stays on screen while the page retries.
        Assert.NotEqual("0", await page.GetByTestId("count-waiting").GetAttributeAsync("data-value"));
        await SaveScreenshotAsync(page, "dashboard-dark-reconnecting.png");
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    private static async Task<int> ChainCountAsync(ServeProcess server)
    {
        using var status = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
        return status.RootElement.GetProperty("fleet").GetProperty("chains").GetArrayLength();
    }

    private static string Text(JsonElement number) => number.GetInt64().ToString(CultureInfo.InvariantCulture);

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0);
        var artifacts = Path.Combine(RepositoryRoot(), "artifacts");
        if (Directory.Exists(artifacts))
        {
            var target = Path.Combine(artifacts, "screenshots");
            Directory.CreateDirectory(target);
            File.Copy(path, Path.Combine(target, name), overwrite: true);
        }
    }

    // The build output lives outside the checkout (GOGOBE_BUILD_ROOT), so the source file's own path finds the repository.
    private static string RepositoryRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    private async Task<Dictionary<string, string>> EnvironmentAsync() => new()
    {
        ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync(),
        // No scheduled runs: the test must not meet one it did not start.
        ["Gogobe__Runs__Schedule"] = string.Empty,
        ["Gogobe__Demo__StoresPerChain"] = "2",
        ["Gogobe__Demo__ItemsPerStore"] = "3000",
    };
}
