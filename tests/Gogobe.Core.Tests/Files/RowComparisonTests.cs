using Gogobe.Core.Files;
using Xunit.Sdk;

namespace Gogobe.Core.Tests.Files;

/// <summary>The field-by-field comparison the shape matrix relies on must itself notice a difference.</summary>
public sealed class RowComparisonTests
{
    [Fact]
    public void AssertSameRows_OneFieldDiffers_FailsNamingIt()
    {
        var changed = new PromotionRow
        {
            ChainId = ShapeWriters.Promotions[0].ChainId, StoreId = ShapeWriters.Promotions[0].StoreId,
            PromotionId = ShapeWriters.Promotions[0].PromotionId, Items = [.. ShapeWriters.Promotions[0].Items.Take(2)],
        };

        var ex = Assert.ThrowsAny<XunitException>(() => RowComparison.AssertSameRows([ShapeWriters.Promotions[0]], [changed]));
        Assert.Contains("row 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertSameRows_ListElementDiffers_Fails()
    {
        var original = ShapeWriters.Promotions[1];
        var changed = new PromotionRow
        {
            ChainId = original.ChainId, SubChainId = original.SubChainId, StoreId = original.StoreId, PromotionId = original.PromotionId,
            Description = original.Description, StartsAt = original.StartsAt, EndsAt = original.EndsAt, RewardType = original.RewardType,
            DiscountRate = original.DiscountRate, ClubIds = original.ClubIds, Items = [original.Items[0] with { IsGift = true }],
        };

        RowComparison.AssertSameRows([original], [original]);
        var ex = Assert.ThrowsAny<XunitException>(() => RowComparison.AssertSameRows([original], [changed]));
        Assert.Contains("Items", ex.Message, StringComparison.Ordinal);
    }
}
