using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Simulator.Tests.Families;

public sealed class MultiIdPublishingTests
{
    [Fact]
    public void FileNames_ChainWithThreeIds_SpreadsStoresRoundRobinStoresFileUnderMainId()
    {
        var options = TestFiles.AllKinds(items: 20, stores: 5);
        options.Chains = [.. SimulatorOptions.DefaultChains.Where(c => c.Chain.Name == "City Market Kiryat Gat")];
        var world = new SimulatedWorld(options);
        const string main = "7290058288526";

        var byStore = world.FileNames(main)
            .Select(n => PriceFileName.TryParse(n, out var p) ? p : throw new InvalidOperationException(n))
            .GroupBy(p => p.StoreId)
            .ToDictionary(g => g.Key, g => g.Select(p => p.ChainId).Distinct().Single());

        Assert.Equal(main, byStore[0]); // the Stores file
        Assert.Equal(main, byStore[1]);
        Assert.Equal("7290058266241", byStore[2]);
        Assert.Equal("7290058288090", byStore[3]);
        Assert.Equal(main, byStore[4]);
        Assert.Equal("7290058266241", byStore[5]);
        Assert.Equal("7290058288090", world.PublishingId(main, 3));
        Assert.Equal(20, world.ExpectedPrices(main, 5).Count); // expectations stay keyed by the main id
    }

    [Fact]
    public void Validate_OtherIdClaimedByAnotherChain_Throws()
    {
        var options = TestFiles.AllKinds(items: 10, stores: 1);
        var portal = new PortalInfo(PortalFamilies.LaibCatalog, new Uri("https://laibcatalog.co.il/"));
        options.Chains =
        [
            new SimulatedChain(new Chain("A", "7290000000011") { OtherIds = ["7290000000028"] }, portal),
            new SimulatedChain(new Chain("B", "7290000000028"), portal),
        ];

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("7290000000028", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProfileKindsWithoutPriceFull_Throws()
    {
        var options = TestFiles.AllKinds(items: 10, stores: 1);
        options.Chains = [.. SimulatorOptions.DefaultChains.Where(c => c.Chain.Name == "Quik")];
        options.Profiles["7291029710008"] = new ChainProfile { PublishedKinds = new HashSet<FileKind> { FileKind.Price } };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("PriceFull", error.Message, StringComparison.Ordinal);
    }
}
