namespace Gogobe.Core.Files;

/// <summary>
/// One promotion of a Promo/PromoFull file, typed, with the items it covers. Header ids (chain, sub-chain, store)
/// are copied onto each promotion. Dates are Israel local time as published (no zone).
/// </summary>
public sealed class PromotionRow
{
    public required string ChainId { get; init; }
    public string? SubChainId { get; init; }
    public required int StoreId { get; init; }
    public required string PromotionId { get; init; }
    public string? Description { get; init; }
    public DateTime? StartsAt { get; init; }
    public DateTime? EndsAt { get; init; }
    public DateTime? UpdatedAt { get; init; }

    /// <summary>RewardType as published (1 fixed price, 2 percent off, 3 ... — chain-specific meanings exist).</summary>
    public int? RewardType { get; init; }
    public bool? AllowMultipleDiscounts { get; init; }
    public bool? IsWeightedPromo { get; init; }
    public decimal? MinQty { get; init; }
    public decimal? MaxQty { get; init; }
    public decimal? DiscountedPrice { get; init; }
    public decimal? DiscountedPricePerMida { get; init; }
    public decimal? DiscountRate { get; init; }
    public int? DiscountType { get; init; }
    public int? MinNoOfItemsOffered { get; init; }
    public bool? IsCoupon { get; init; }
    public int? GiftCount { get; init; }
    public bool? IsTotal { get; init; }
    public bool? IsActive { get; init; }

    /// <summary>Club ids the promotion is limited to (0 = everyone, as published).</summary>
    public IReadOnlyList<string> ClubIds { get; init; } = [];

    public IReadOnlyList<PromotionItem> Items { get; init; } = [];
}

/// <summary>An item a promotion covers. Its product identity follows <see cref="ProductKeys"/>.</summary>
public sealed record PromotionItem(string ItemCode, int ItemType, bool IsGift)
{
    public string ProductKey(string chainId) => ProductKeys.For(ItemType, chainId, ItemCode);
}
