using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>Every Cerberus chain of the registry, in a demo run: their FTPS addresses are served by the simulator's web flavour.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class CerberusFleetTests(PostgresFixture postgres)
{
    private static readonly string[] CerberusChains =
    [
        "Rami Levy", "Super Cofix", "Osher Ad", "Yohananof", "Tiv Taam", "Dor Alon", "Keshet Teamim", "Salach Dabach",
        "Politzer", "Stop Market", "Yellow", "Super Yuda", "Fresh Market",
    ];

    [Fact]
    public void Registry_EveryCerberusChainOfChainsMd_IsOnFtpsWithItsUser()
    {
        var scrapers = ScraperRegistry.Discover().Select(CerberusChains);

        Assert.Equal(CerberusChains.Length, scrapers.Count);
        Assert.All(scrapers, s =>
        {
            Assert.IsAssignableFrom<CerberusScraper>(s);
            Assert.Equal(PortalFamilies.Cerberus, s.Portal.Family);
            Assert.Equal(new Uri("ftps://url.retail.publishedprices.co.il/"), s.Portal.Address);
        });
        var yuda = scrapers.Single(s => s.Chain.Name == "Super Yuda");
        Assert.Equal(["7290058198450", "7290058177776"], yuda.Chain.AllIds);
        Assert.Equal("/Yuda", yuda.Portal.Setting("folder"));
        Assert.Equal("yuda_ho", yuda.Portal.Setting("user"));
        Assert.Equal("paz468", scrapers.Single(s => s.Chain.Name == "Yellow").Portal.Setting("password"));
    }

    [Fact]
    public async Task Run_EveryCerberusChainInDemo_LandsExactPricesThroughTheWebFlavour()
    {
        var scrapers = DemoHarness.Chains(CerberusChains);
        await using var demo = await DemoHarness.StartAsync(postgres, scrapers, stores: 1, items: 60);

        var report = await demo.RunAsync();

        Assert.Equal(CerberusChains.Length, report.Chains.Count);
        foreach (var chain in report.Chains)
        {
            Assert.True(chain.Succeeded, $"{chain.Chain}: {chain.Error}");
            Assert.Equal(1 + 4, chain.Completed);
            var expected = demo.World.ExpectedPrices(chain.Chain.Id, 1);
            var actual = await demo.PricesAsync(chain.Chain.Id, 1);
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        }

        Assert.Equal(Simulator.XmlShape.DataSet, demo.World.ProfileOf("7290873255550").Shape); // Tiv Taam publishes DataSet dumps
    }
}
