using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class PriceFileNameTests
{
    public static TheoryData<string, FileKind, string, string?, int, string, bool> ValidNames => new()
    {
        { "PriceFull7290876100000-003-202410070010.gz", FileKind.PriceFull, "7290876100000", null, 3, "2024-10-07 00:10:00", false },
        { "Price7290027600007-001-202405162225.xml", FileKind.Price, "7290027600007", null, 1, "2024-05-16 22:25:00", false },
        { "PromoFull7290058140886-9032-202410070300.gz", FileKind.PromoFull, "7290058140886", null, 9032, "2024-10-07 03:00:00", false },
        { "Promo7290058140886-012-202410071100", FileKind.Promo, "7290058140886", null, 12, "2024-10-07 11:00:00", false },
        { "Stores7290027600007-000-202410070010.gz", FileKind.Stores, "7290027600007", null, 0, "2024-10-07 00:10:00", false },
        { "StoresFull7290027600007-000-202410070010.zip", FileKind.Stores, "7290027600007", null, 0, "2024-10-07 00:10:00", false },
        { "pricefull7290027600007-001-202410070010.GZ", FileKind.PriceFull, "7290027600007", null, 1, "2024-10-07 00:10:00", false },
        { "PromoFull7290058249350-000-038-20260217-000027", FileKind.PromoFull, "7290058249350", "000", 38, "2026-02-17 00:00:27", false },
        { "PriceFull7290058249350-001-1234-20260217-235959.gz", FileKind.PriceFull, "7290058249350", "001", 1234, "2026-02-17 23:59:59", false },
        { "PriceFull5290058249350-001-202410070010.gz", FileKind.PriceFull, "5290058249350", null, 1, "2024-10-07 00:10:00", false },
        { "NULLPriceFull7290803800003-001-202410070300.gz", FileKind.PriceFull, "7290803800003", null, 1, "2024-10-07 03:00:00", true },
        // The 2026 Stores names of Carrefour and Super-Pharm (SHAPES.md §4, §6), and Shufersal's ending in the time as H[H]MM (§5, a real capture listed at 0:20).
        { "Stores7290055700007-000-20260811-000100.xml", FileKind.Stores, "7290055700007", "000", 0, "2026-08-11 00:01:00", false },
        { "Stores7290172900007-000-20260910-070110.gz", FileKind.Stores, "7290172900007", "000", 0, "2026-09-10 07:01:10", false },
        { "Stores7290027600007-000-20260716-020.gz", FileKind.Stores, "7290027600007", "000", 0, "2026-07-16 00:20:00", false },
        { "Stores7290027600007-000-20260716-020", FileKind.Stores, "7290027600007", "000", 0, "2026-07-16 00:20:00", false },
        { "Stores7290027600007-000-20260716-1430.gz", FileKind.Stores, "7290027600007", "000", 0, "2026-07-16 14:30:00", false },
        { "PriceFull7290027600007-002-413-20260811-034000.gz", FileKind.PriceFull, "7290027600007", "002", 413, "2026-08-11 03:40:00", false },
    };

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void TryParse_KnownSchemes_ParsesEveryPart(
        string fileName, FileKind kind, string chainId, string? subChainId, int storeId, string publishedAt, bool placeholder)
    {
        Assert.True(PriceFileName.TryParse(fileName, out var name));
        Assert.Equal(kind, name.Kind);
        Assert.Equal(chainId, name.ChainId);
        Assert.Equal(subChainId, name.SubChainId);
        Assert.Equal(storeId, name.StoreId);
        Assert.Equal(DateTime.Parse(publishedAt, System.Globalization.CultureInfo.InvariantCulture), name.PublishedAt);
        Assert.Equal(DateTimeKind.Unspecified, name.PublishedAt.Kind);
        Assert.Equal(placeholder, name.IsPlaceholder);
    }

    [Fact]
    public void TryParse_PlaceholderWithUnparsableRest_IsStillPlaceholder()
    {
        Assert.True(PriceFileName.TryParse("NULLPromoFull", out var name));
        Assert.True(name.IsPlaceholder);
        Assert.Equal(FileKind.PromoFull, name.Kind);
        Assert.Equal(string.Empty, name.ChainId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("index.html")]
    [InlineData("PriceFull7290876100000-003.gz")]                      // no timestamp
    [InlineData("PriceFull729087610000-003-202410070010.gz")]          // 12-digit chain id
    [InlineData("PriceFull7290876100000-03-202410070010.gz")]          // 2-digit store
    [InlineData("PriceFull7290876100000-003-202413070010.gz")]         // month 13
    [InlineData("PriceFull7290876100000-003-202410070010.txt")]        // unknown extension
    [InlineData("Catalog7290876100000-003-202410070010.gz")]           // unknown kind
    [InlineData("PriceFull7290058249350-000-038-20260217-0000.gz")]    // short time in new scheme
    [InlineData("PriceFull7290027600007-001-20260811-034000.gz")]      // only Stores names drop a segment
    [InlineData("Stores7290027600007-000-20260716-2460.gz")]           // 24:60 is no time
    [InlineData("Stores7290027600007-000-20261316-020.gz")]            // month 13
    public void TryParse_NonMatchingName_ReturnsFalse(string fileName)
    {
        Assert.False(PriceFileName.TryParse(fileName, out var name));
        Assert.Null(name);
    }

    [Theory]
    [InlineData("PriceFull7290876100000-003-202410070010.gz", FileKind.PriceFull)]
    [InlineData("Price7290876100000-003-202410070010.gz", FileKind.Price)]
    [InlineData("some-portal/PromoFull_odd_name.xml", FileKind.PromoFull)]
    [InlineData("promo-odd.xml", FileKind.Promo)]
    [InlineData("storesfull.xml", FileKind.Stores)]
    public void KindOf_Name_ReturnsKind(string fileName, FileKind expected) =>
        Assert.Equal(expected, PriceFileReader.KindOf(fileName));

    [Fact]
    public void KindOf_NoKindWord_ReturnsNull() => Assert.Null(PriceFileReader.KindOf("index.html"));
}
