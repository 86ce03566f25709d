namespace Gogobe.Core.Files;

/// <summary>One item row of a Price/PriceFull file, typed. Header ids (chain, sub-chain, store) are copied onto each row.</summary>
public sealed class PriceRow
{
    public required string ChainId { get; init; }
    public string? SubChainId { get; init; }
    public required int StoreId { get; init; }
    public required string ItemCode { get; init; }

    /// <summary>1 = barcoded (GS1) item, 0 = chain-internal code (produce, deli).</summary>
    public int ItemType { get; init; } = 1;
    public string? ItemName { get; init; }
    public string? ManufacturerName { get; init; }
    public string? ManufactureCountry { get; init; }
    public string? ManufacturerItemDescription { get; init; }
    public string? UnitQty { get; init; }
    public decimal? Quantity { get; init; }
    public string? UnitOfMeasure { get; init; }
    public bool IsWeighted { get; init; }
    public string? QtyInPackage { get; init; }
    public required decimal ItemPrice { get; init; }
    public decimal? UnitOfMeasurePrice { get; init; }
    public bool? AllowDiscount { get; init; }
    public int? ItemStatus { get; init; }

    /// <summary>PriceUpdateDate as published (Israel local time, no zone).</summary>
    public DateTime? PriceUpdateDate { get; init; }

    /// <summary>
    /// A product's identity: the barcode for barcoded items, (chain, code) for internal codes,
    /// because internal codes mean different things in different chains.
    /// </summary>
    public string ProductKey => _productKey ??= ProductKeys.For(ItemType, ChainId, ItemCode);

    // Built once: the batch, the writer's filter and COPY all ask for it (a racing second build yields an equal string).
    private string? _productKey;
}

public static class ProductKeys
{
    public static string For(int itemType, string chainId, string itemCode) =>
        itemType == 0 ? $"c:{chainId}:{itemCode}" : $"b:{itemCode}";
}
