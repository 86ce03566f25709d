using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Tests.Orchestration;

public sealed class FilePlannerTests
{
    private static PublishedFile File(string name) => new(name, new Uri("http://127.0.0.1/" + name));

    [Fact]
    public void Plan_SeveralSnapshotsPerStore_KeepsNewestPerStoreAndKind()
    {
        var plan = FilePlanner.Plan([
            File("PriceFull7290058140886-001-202611240300.gz"),
            File("PriceFull7290058140886-001-202611250300.gz"),
            File("PriceFull7290058140886-002-202611240300.gz"),
            File("Stores7290058140886-000-202611250105.gz"),
        ]);

        Assert.Equal(
            ["Stores7290058140886-000-202611250105.gz", "PriceFull7290058140886-001-202611250300.gz", "PriceFull7290058140886-002-202611240300.gz"],
            plan.Files.Select(f => f.File.Name));
        Assert.Equal(1, plan.Superseded);
    }

    [Fact]
    public void Plan_IncrementalOlderThanFull_IsDroppedNewerIsKeptAfterIt()
    {
        var plan = FilePlanner.Plan([
            File("Price7290058140886-001-202611250200.gz"),
            File("PriceFull7290058140886-001-202611250300.gz"),
            File("Price7290058140886-002-202611250400.gz"),
            File("PriceFull7290058140886-002-202611250300.gz"),
            File("PromoFull7290058140886-001-202611250300.gz"),
            File("Promo7290058140886-001-202611250900.gz"),
        ]);

        Assert.Equal(
            [
                "PriceFull7290058140886-001-202611250300.gz", "PriceFull7290058140886-002-202611250300.gz",
                "Price7290058140886-002-202611250400.gz", "PromoFull7290058140886-001-202611250300.gz", "Promo7290058140886-001-202611250900.gz",
            ],
            plan.Files.Select(f => f.File.Name));
        Assert.Equal(1, plan.Superseded);
    }

    [Fact]
    public void Plan_PlaceholdersUnrecognisedAndRepeatedNames_AreCountedNotPlanned()
    {
        var plan = FilePlanner.Plan([
            File("NULLPriceFull7290058140886-001-202611250300.gz"),
            File("readme.txt"),
            File("PriceFull7290058140886-001-202611250300.gz"),
            File("PriceFull7290058140886-001-202611250300.gz"),
            File("PromoFull7290058249350-000-038-20260217-000027"),
        ]);

        Assert.Equal(1, plan.Placeholders);
        Assert.Equal("readme.txt", Assert.Single(plan.Unrecognised).Name);
        Assert.Equal(2, plan.Files.Count);
        Assert.Contains(plan.Files, f => f.Name is { Kind: FileKind.PromoFull, StoreId: 38, SubChainId: "000" });
    }

    [Theory]
    [InlineData("../PriceFull7290058140886-001-202611250300.gz")]
    [InlineData("/etc/PriceFull7290058140886-001-202611250300.gz")]
    [InlineData("PriceFull7290058140886-001-202611250300.gz/../../x")]
    [InlineData("..\\PriceFull7290058140886-001-202611250300.gz")]
    public void Plan_PathTraversalName_IsNeverPlanned(string name)
    {
        var plan = FilePlanner.Plan([File(name)]);

        Assert.Empty(plan.Files);
        Assert.False(PriceFileName.IsSafeFileName(Assert.Single(plan.Unrecognised).Name));
    }
}
