using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>The whole fleet of CHAINS.md in one run against the simulator: every chain Done, every store's prices exact.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class WholeFleetDemoTests(PostgresFixture postgres)
{
    // The chains of ../shared/CHAINS.md's table, by the names their classes give.
    private static readonly string[] ChainsMd =
    [
        "Shufersal", "Rami Levy", "Super Cofix", "Osher Ad", "Yohananof", "Tiv Taam", "Dor Alon", "Keshet Teamim",
        "Salach Dabach", "Politzer", "Stop Market", "Yellow", "Super Yuda", "Fresh Market", "Hazi Hinam", "Victory",
        "Mahsani A-Shuk", "H. Cohen", "Carrefour", "Quik", "Super-Pharm", "King Store", "Maayan 2000", "Good Pharm",
        "Zol VeBegadol", "Super Sapir", "Super Bareket", "Shuk HaIr", "Shefa Birkat HaShem", "City Market Kiryat Gat",
        "City Market shops", "Meshnat Yosef 1", "Meshnat Yosef 2", "Netiv HaHesed", "Wolt Market",
    ];

    [Fact]
    public async Task Run_EveryRegisteredChain_EveryChainDoneWithExactPricesForEveryStore()
    {
        // The production chains only: the test assembly adds test-only chains of its own.
        var fleet = ScraperRegistry.Discover().Scrapers
            .Where(s => s.GetType().Assembly == typeof(CerberusScraper).Assembly)
            .ToList();
        Assert.Equal(ChainsMd.Order(StringComparer.Ordinal), fleet.Select(s => s.Chain.Name).Order(StringComparer.Ordinal));
        await using var demo = await DemoHarness.StartAsync(postgres, fleet, stores: 2, items: 40);

        var report = await demo.RunAsync();

        Assert.Equal(ChainsMd.Length, report.Chains.Count);
        foreach (var chain in report.Chains)
        {
            Assert.True(chain.Error is null && chain.Notice is null && chain.Failed == 0,
                $"{chain.Chain}: error {chain.Error}, notice {chain.Notice}, {chain.Failed} files failed");
            Assert.True(chain.Completed >= 2, $"{chain.Chain}: only {chain.Completed} files completed");
            foreach (var store in demo.World.StoreIds(chain.Chain.Id))
            {
                var expected = demo.World.ExpectedPrices(chain.Chain.Id, store);
                var actual = await demo.PricesAsync(chain.Chain.Id, store);
                Assert.True(expected.Count > 0, $"{chain.Chain} store {store}: the simulator published no prices");
                Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }
    }
}
