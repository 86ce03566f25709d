using Gogobe.Core.Files;

namespace Gogobe.Storage.Tests;

/// <summary>The process-wide product id cache: compact barcode keys stay distinct, other keys kept as strings.</summary>
public sealed class ProductIdCacheTests
{
    [Fact]
    public void Find_BarcodesLeadingZerosInternalCodesAndLongCodes_EachKeyItsOwnId()
    {
        var cache = new ProductIdCache();
        string[] keys = ["b:123", "b:0123", "b:00123", "b:7290000000001", "b:12345678901234567", "b:123456789012345678", "b:12a", "c:7290027600007:123"];
        cache.Add(keys.Select((k, i) => (k, (long)(i + 1))));

        // The rows those keys come from (a barcode's key is "b:" + its code; an internal code's "c:chain:code"), and one more.
        PriceRow[] rows = [.. keys.Select(Row), Row("b:1230")];
        var ids = new long[rows.Length];
        var misses = new List<int>();
        cache.Find(rows, ids, misses);

        Assert.Equal(keys, rows[..^1].Select(r => r.ProductKey));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8, 0], ids);
        Assert.Equal([keys.Length], misses);
        Assert.Equal(keys.Length, cache.Count);
    }

    private static PriceRow Row(string key)
    {
        var parts = key.Split(':');
        return new PriceRow
        {
            ChainId = parts[0] == "c" ? parts[1] : "7290058140886",
            StoreId = 1,
            ItemCode = parts[^1],
            ItemType = parts[0] == "c" ? 0 : 1,
            ItemPrice = 1m,
        };
    }

    [Fact]
    public void TryEncode_OnlyBarcodesOfUpTo17Digits_AndDistinctByDigitCount()
    {
        Assert.True(ProductIdCache.TryEncode("b:12345678901234567", out var longest));
        Assert.True(ProductIdCache.TryEncode("b:012345678901234567"[..19], out var shorter));
        Assert.NotEqual(longest, shorter);
        Assert.True(ProductIdCache.TryEncode("b:5", out var five));
        Assert.True(ProductIdCache.TryEncode("b:05", out var zeroFive));
        Assert.NotEqual(five, zeroFive);
        Assert.False(ProductIdCache.TryEncode("b:123456789012345678", out _));
        Assert.False(ProductIdCache.TryEncode("b:", out _));
        Assert.False(ProductIdCache.TryEncode("b:-1", out _));
        Assert.False(ProductIdCache.TryEncode("c:1:5", out _));
    }
}
