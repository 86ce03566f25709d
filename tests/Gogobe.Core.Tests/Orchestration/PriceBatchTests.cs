using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;

namespace Gogobe.Core.Tests.Orchestration;

/// <summary>A batch keeps one row per product, the last, with products told apart exactly as their product keys are.</summary>
public sealed class PriceBatchTests
{
    [Fact]
    public void Add_SameProductAgain_LastRowKeptAndCounted()
    {
        var batch = new PriceBatch(10);
        batch.Add(Row("7290000000001", itemType: 1, price: 1m));
        batch.Add(Row("7290000000001", itemType: 1, price: 2m));

        var row = Assert.Single(batch.Drain());
        Assert.Equal(2m, row.ItemPrice);
        Assert.Equal(1, batch.DuplicatesRemoved);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Add_ProductsThatDifferOnlyInKind_OrInternalCodesOfOtherChains_AllKept()
    {
        var batch = new PriceBatch(10);
        PriceRow[] rows =
        [
            Row("123", itemType: 1, chain: "7290000000001"),
            Row("123", itemType: 0, chain: "7290000000001"),
            Row("123", itemType: 0, chain: "7290000000002"),
            Row("0123", itemType: 1, chain: "7290000000001"),
        ];
        foreach (var row in rows)
        {
            batch.Add(row);
        }

        Assert.Equal(rows.Select(r => r.ProductKey).Distinct().Count(), batch.Count);
        Assert.Equal(0, batch.DuplicatesRemoved);
    }

    [Fact]
    public void Add_BarcodeOfAnyNonZeroItemType_OneProductWhateverTheChain()
    {
        var batch = new PriceBatch(10);
        batch.Add(Row("7290000000001", itemType: 1, chain: "7290000000001"));
        batch.Add(Row("7290000000001", itemType: 2, chain: "7290000000002"));

        Assert.Equal(1, batch.Count);
        Assert.Equal(1, batch.DuplicatesRemoved);
    }

    private static PriceRow Row(string code, int itemType, decimal price = 1m, string chain = "7290058140886") =>
        new() { ChainId = chain, StoreId = 1, ItemCode = code, ItemType = itemType, ItemPrice = price };
}
