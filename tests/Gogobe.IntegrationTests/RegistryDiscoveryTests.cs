using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>A chain declared only here, in the test assembly: nothing else in the code base names it.</summary>
public sealed class TestOnlyCerberusChain() : CerberusScraper(new Chain("Test-Only Market", "7290000000991"), user: "gogobe_test_only");

[Collection(PostgresFixture.Collection)]
public sealed class RegistryDiscoveryTests(PostgresFixture postgres)
{
    [Fact]
    public void Discover_SubclassDeclaredInTestAssembly_IsRegistered()
    {
        var registry = ScraperRegistry.Discover();

        Assert.Contains(registry.Scrapers, s => s is TestOnlyCerberusChain);
        // And the product's own chains, from an assembly this test never names.
        Assert.Contains(registry.Scrapers, s => s.GetType().Name == "Shufersal");
        Assert.Equal(registry.Scrapers.Count, registry.Scrapers.Select(s => s.Chain.Id).Distinct().Count());
    }

    [Fact]
    public async Task Run_SubclassDeclaredInTestAssembly_IsScrapedLikeAnyChain()
    {
        var scrapers = ScraperRegistry.Discover().Select(["Test-Only Market"]);
        await using var demo = await DemoHarness.StartAsync(postgres, scrapers, stores: 2, items: 150);

        var report = await demo.RunAsync();

        var chain = Assert.Single(report.Chains);
        Assert.True(chain.Succeeded, chain.Error);
        // Stores, then PriceFull, Price, PromoFull and Promo of each of the two stores.
        Assert.Equal(1 + (2 * 4), chain.Completed);
        Assert.Equal(demo.World.ExpectedPrices("7290000000991", 1).Count, (await demo.PricesAsync("7290000000991", 1)).Count);
    }

    [Fact]
    public void Select_UnknownChain_FailsNamingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ScraperRegistry.Discover().Select(["No Such Chain"]));

        Assert.Contains("No Such Chain", error.Message, StringComparison.Ordinal);
        Assert.Contains("Rami Levy", error.Message, StringComparison.Ordinal);
    }
}
