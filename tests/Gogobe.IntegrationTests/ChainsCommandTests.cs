using System.Text.Json;
using Gogobe.Core.Scraping;
using Gogobe.TestSupport;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary><c>gogobe chains</c> as a user runs it: every registered chain, and the last outcome when the database has one.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ChainsCommandTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Chains_AfterADemoRunOfOneChain_ListsEveryChainAndThatChainsLastOutcome()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };
        var run = await GogobeProcess.RunAsync(env, Timeout, "run", "--demo", "--chain", "Rami Levy", "--stores", "1", "--items", "40");
        Assert.True(run.ExitCode == 0, run.Output);

        var result = await GogobeProcess.RunAsync(env, Timeout, "chains", "--json");

        output.WriteLine(result.Output);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.StartsWith("from ", json.RootElement.GetProperty("database").GetString(), StringComparison.Ordinal);
        var chains = json.RootElement.GetProperty("chains").EnumerateArray().ToList();
        // The executable does not load this test assembly, so its test-only chain is not listed there.
        var registry = ScraperRegistry.Discover().Scrapers.Where(s => s.GetType().Assembly != typeof(ChainsCommandTests).Assembly).ToList();
        Assert.Equal(registry.Count, chains.Count);
        Assert.Equal(registry.Select(s => s.Chain.Name).Order(StringComparer.Ordinal), chains.Select(c => c.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        var rami = chains.Single(c => c.GetProperty("name").GetString() == "Rami Levy");
        Assert.Equal(["7290058140886"], rami.GetProperty("chainIds").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(PortalFamilies.Cerberus, rami.GetProperty("family").GetString());
        Assert.Equal("ftps://url.retail.publishedprices.co.il/", rami.GetProperty("portal").GetString());
        var last = rami.GetProperty("lastOutcome");
        Assert.Equal("completed", last.GetProperty("status").GetString());
        // Stores + PriceFull, Price, PromoFull, Promo of the one store.
        Assert.Equal(5, last.GetProperty("completed").GetInt32());
        Assert.Equal(0, last.GetProperty("failed").GetInt32());
        Assert.Equal(JsonValueKind.Null, chains.Single(c => c.GetProperty("name").GetString() == "Shufersal").GetProperty("lastOutcome").ValueKind);
    }

    [Fact]
    public async Task Chains_DatabaseUnreachable_StillListsChainsAndSaysSo()
    {
        // A port nothing listens on: the list must not depend on the database.
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = "Host=127.0.0.1;Port=9;Username=nobody;Password=x;Database=none" };

        var table = await GogobeProcess.RunAsync(env, Timeout, "chains");
        var json = await GogobeProcess.RunAsync(env, Timeout, "chains", "--json");

        output.WriteLine(table.Output);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Rami Levy", table.Output, StringComparison.Ordinal);
        Assert.Contains("shufersal-html", table.Output, StringComparison.Ordinal);
        Assert.Contains("database not reachable", table.Output, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.StartsWith("database not reachable", document.RootElement.GetProperty("database").GetString(), StringComparison.Ordinal);
        Assert.All(document.RootElement.GetProperty("chains").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("lastOutcome").ValueKind));
    }
}
