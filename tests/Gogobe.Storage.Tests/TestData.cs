using Dapper;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

/// <summary>Rows, clocks and a one-call file ingest shared by the storage tests.</summary>
internal static class TestData
{
    public const string ChainId = "7290000000001";
    public const string OtherChainId = "7290000000002";

    /// <summary>10:00 UTC = 12:00 in Israel (winter time): the same calendar day in both zones.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);

    public static FixedTimeProvider Clock() => new(Noon);

    public static PriceRow Price(string itemCode, decimal price, string chainId = ChainId, int storeId = 1, int itemType = 1, decimal? unitPrice = null) => new()
    {
        ChainId = chainId,
        StoreId = storeId,
        ItemCode = itemCode,
        ItemType = itemType,
        ItemName = "Item " + itemCode,
        ManufacturerName = "Maker",
        ManufactureCountry = "IL",
        UnitQty = "גרם",
        Quantity = 500m,
        UnitOfMeasure = "100 גרם",
        IsWeighted = false,
        QtyInPackage = "1",
        ItemPrice = price,
        UnitOfMeasurePrice = unitPrice,
        AllowDiscount = true,
        ItemStatus = 1,
        PriceUpdateDate = new DateTime(2026, 3, 10, 8, 30, 0, DateTimeKind.Unspecified),
    };

    public static List<PriceRow> Prices(int count, decimal basePrice = 1m, int storeId = 1) =>
        [.. Enumerable.Range(0, count).Select(i => Price((7290000100000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), basePrice + (i % 997) / 100m, storeId: storeId))];

    public static FileLogStart Start(FileKind kind = FileKind.PriceFull, int? storeId = 1, string source = "Test Chain", string chainId = ChainId, Guid? runId = null, string? fileName = null) =>
        new(runId ?? Guid.NewGuid(), source, chainId, storeId, fileName ?? $"{kind}{chainId}-{storeId:000}-202603101000.gz", kind);

    /// <summary>Logs a file as processing, writes its batches through a sink (a new one unless given) and completes it.</summary>
    public static async Task<FileResult> IngestPricesAsync(
        NpgsqlDataSource dataSource, TimeProvider time, IReadOnlyList<IReadOnlyCollection<PriceRow>> batches, FileCounts? counts = null, int storeId = 1, FileKind kind = FileKind.PriceFull,
        PgPriceSink? sink = null)
    {
        var log = new PgFileLog(dataSource, time);
        sink ??= new PgPriceSink(dataSource, time);
        var logId = await log.StartAsync(Start(kind, storeId), CancellationToken.None);
        await using var writer = await sink.BeginFileAsync(logId, new FileTarget(ChainId, storeId, kind, "file.gz"), CancellationToken.None);
        foreach (var batch in batches)
        {
            await writer.WritePricesAsync(batch, CancellationToken.None);
        }

        return await writer.CompleteAsync(counts ?? new FileCounts(batches.Sum(b => b.Count), 0, 0), CancellationToken.None);
    }

    /// <summary>A promotion of store 1 covering the given barcoded item codes (the first one a gift when <paramref name="firstIsGift"/>).</summary>
    public static PromotionRow Promotion(string promotionId, IEnumerable<string> itemCodes, decimal? discountedPrice = 9.90m, string description = "2 for 1", bool firstIsGift = false, int storeId = 1) => new()
    {
        ChainId = ChainId,
        StoreId = storeId,
        PromotionId = promotionId,
        Description = description,
        StartsAt = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Unspecified),
        EndsAt = new DateTime(2026, 3, 31, 23, 59, 0, DateTimeKind.Unspecified),
        UpdatedAt = new DateTime(2026, 2, 28, 12, 0, 0, DateTimeKind.Unspecified),
        RewardType = 1,
        AllowMultipleDiscounts = true,
        IsWeightedPromo = false,
        MinQty = 2m,
        MaxQty = 6m,
        DiscountedPrice = discountedPrice,
        DiscountedPricePerMida = 1.98m,
        DiscountRate = null,
        DiscountType = 1,
        MinNoOfItemsOffered = 1,
        IsCoupon = false,
        GiftCount = 0,
        IsTotal = false,
        IsActive = true,
        ClubIds = ["0"],
        Items = [.. itemCodes.Select((code, i) => new PromotionItem(code, 1, firstIsGift && i == 0))],
    };

    /// <summary>Logs a promo file as processing, writes its batches through the sink and completes it.</summary>
    public static async Task<FileResult> IngestPromotionsAsync(
        NpgsqlDataSource dataSource, TimeProvider time, IReadOnlyList<IReadOnlyCollection<PromotionRow>> batches, FileKind kind = FileKind.PromoFull, FileCounts? counts = null, int storeId = 1)
    {
        var log = new PgFileLog(dataSource, time);
        var sink = new PgPriceSink(dataSource, time);
        var logId = await log.StartAsync(Start(kind, storeId), CancellationToken.None);
        await using var writer = await sink.BeginFileAsync(logId, new FileTarget(ChainId, storeId, kind, "promo.gz"), CancellationToken.None);
        foreach (var batch in batches)
        {
            await writer.WritePromotionsAsync(batch, CancellationToken.None);
        }

        return await writer.CompleteAsync(counts ?? new FileCounts(batches.Sum(b => b.Count), 0, 0), CancellationToken.None);
    }

    /// <summary>Each promotion id of a store with its item codes (sorted, gifts marked "!"), for whole-state comparisons.</summary>
    public static async Task<Dictionary<string, string>> PromotionItemsAsync(NpgsqlDataSource dataSource, int storeCode = 1)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string PromotionId, string Items)>(
            """
            SELECT pr.promotion_id,
                   coalesce(string_agg(p.item_code || CASE WHEN i.is_gift THEN '!' ELSE '' END, ',' ORDER BY p.item_code), '')
            FROM promotions pr
            JOIN stores s ON s.id = pr.store_id
            LEFT JOIN promotion_items i ON i.promotion_row_id = pr.id
            LEFT JOIN products p ON p.id = i.product_id
            WHERE s.store_code = @storeCode
            GROUP BY pr.promotion_id
            """,
            new { storeCode });
        return rows.ToDictionary(r => r.PromotionId, r => r.Items, StringComparer.Ordinal);
    }

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    public static async Task<decimal> PriceOfAsync(NpgsqlDataSource dataSource, string itemCode, int storeCode = 1)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<decimal>(
            """
            SELECT pr.price FROM prices pr
            JOIN products p ON p.id = pr.product_id
            JOIN stores s ON s.id = pr.store_id
            WHERE p.item_code = @itemCode AND s.store_code = @storeCode
            """,
            new { itemCode, storeCode });
    }

    public static async Task<string> LogStatusAsync(NpgsqlDataSource dataSource, long logId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM file_processing_log WHERE id = @logId", new { logId }) ?? "(missing)";
    }
}
