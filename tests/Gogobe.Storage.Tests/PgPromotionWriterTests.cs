using Dapper;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.TestSupport;

namespace Gogobe.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PgPromotionWriterTests(PostgresFixture fixture)
{
    [Fact]
    public async Task CompleteAsync_PromoFullDropsAPromotion_DeletesItAndItsItems()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var first = await TestData.IngestPromotionsAsync(dataSource, time, [new[]
        {
            TestData.Promotion("P1", ["100", "101"]),
            TestData.Promotion("P2", ["102", "103", "104"]),
            TestData.Promotion("P3", ["100"]),
        }]);

        time.Advance(TimeSpan.FromHours(1));
        var second = await TestData.IngestPromotionsAsync(dataSource, time, [new[]
        {
            TestData.Promotion("P1", ["100", "101"]),
            TestData.Promotion("P3", ["100", "105"]),
        }]);

        Assert.Equal(3, first.RowsChanged);
        Assert.Equal(2, second.RowsChanged); // P2 deleted, P3's items changed; P1 unchanged
        Assert.Equal(new Dictionary<string, string> { ["P1"] = "100,101", ["P3"] = "100,105" }, await TestData.PromotionItemsAsync(dataSource));
        Assert.Equal(4, await TestData.CountAsync(dataSource, "promotion_items"));

        await using var connection = await dataSource.OpenConnectionAsync();
        var seen = (await connection.QueryAsync<(string Id, DateTime SeenAt)>("SELECT promotion_id, seen_at FROM promotions ORDER BY promotion_id")).ToList();
        Assert.Equal([("P1", time.GetUtcNow().UtcDateTime), ("P3", time.GetUtcNow().UtcDateTime)], seen);
    }

    [Fact]
    public async Task CompleteAsync_PromoFull_StoresEveryField()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var promotion = TestData.Promotion("P1", ["100", "101"], discountedPrice: 12.345m, firstIsGift: true);

        await TestData.IngestPromotionsAsync(dataSource, time, [new[] { promotion }]);

        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync(
            """
            SELECT pr.chain_id, pr.description, pr.starts_at, pr.ends_at, pr.updated_at, pr.reward_type, pr.allow_multiple_discounts,
                   pr.is_weighted, pr.min_qty, pr.max_qty, pr.discounted_price, pr.discounted_price_per_mida, pr.discount_rate,
                   pr.discount_type, pr.min_items_offered, pr.is_coupon, pr.gift_count, pr.is_total, pr.is_active, pr.club_ids,
                   pr.file_log_id, s.store_code
            FROM promotions pr JOIN stores s ON s.id = pr.store_id
            """);
        Assert.Equal(TestData.ChainId, (string)row.chain_id);
        Assert.Equal("2 for 1", (string)row.description);
        Assert.Equal(promotion.StartsAt, (DateTime)row.starts_at);
        Assert.Equal(promotion.EndsAt, (DateTime)row.ends_at);
        Assert.Equal(promotion.UpdatedAt, (DateTime)row.updated_at);
        Assert.Equal((short)1, (short)row.reward_type);
        Assert.True((bool)row.allow_multiple_discounts);
        Assert.False((bool)row.is_weighted);
        Assert.Equal(2m, (decimal)row.min_qty);
        Assert.Equal(6m, (decimal)row.max_qty);
        Assert.Equal(12.35m, (decimal)row.discounted_price); // numeric(12,2)
        Assert.Equal(1.98m, (decimal)row.discounted_price_per_mida);
        Assert.Null(row.discount_rate);
        Assert.Equal((short)1, (short)row.discount_type);
        Assert.Equal(1, (int)row.min_items_offered);
        Assert.False((bool)row.is_coupon);
        Assert.Equal(0, (int)row.gift_count);
        Assert.False((bool)row.is_total);
        Assert.True((bool)row.is_active);
        Assert.Equal(["0"], (string[])row.club_ids);
        Assert.Equal(await connection.ExecuteScalarAsync<long>("SELECT id FROM file_processing_log"), (long)row.file_log_id);
        Assert.Equal(1, (int)row.store_code);
        Assert.Equal(new Dictionary<string, string> { ["P1"] = "100!,101" }, await TestData.PromotionItemsAsync(dataSource));
    }

    [Fact]
    public async Task CompleteAsync_IncrementalPromo_UpsertsListedAndKeepsOthers()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPromotionsAsync(dataSource, time, [new[]
        {
            TestData.Promotion("P1", ["100"]),
            TestData.Promotion("P2", ["101", "102"]),
        }]);

        var result = await TestData.IngestPromotionsAsync(dataSource, time, [new[]
        {
            TestData.Promotion("P2", ["102"], discountedPrice: 7.50m),
            TestData.Promotion("P4", ["103"]),
        }], FileKind.Promo);

        Assert.Equal(2, result.RowsChanged); // P2 updated, P4 inserted, nothing deleted
        Assert.Equal(
            new Dictionary<string, string> { ["P1"] = "100", ["P2"] = "102", ["P4"] = "103" },
            await TestData.PromotionItemsAsync(dataSource));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(7.50m, await connection.ExecuteScalarAsync<decimal>("SELECT discounted_price FROM promotions WHERE promotion_id = 'P2'"));
    }

    [Fact]
    public async Task CompleteAsync_IdenticalPromoFullAgain_ChangesNothing()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = new[] { TestData.Promotion("P1", ["100", "101"], firstIsGift: true), TestData.Promotion("P2", ["102"]) };
        await TestData.IngestPromotionsAsync(dataSource, time, [rows]);

        var again = await TestData.IngestPromotionsAsync(dataSource, time, [rows]);
        var giftFlipped = await TestData.IngestPromotionsAsync(dataSource, time, [new[] { TestData.Promotion("P1", ["100", "101"]), rows[1] }]);

        Assert.Equal(0, again.RowsChanged);
        Assert.Equal(1, giftFlipped.RowsChanged);
        Assert.Equal(new Dictionary<string, string> { ["P1"] = "100,101", ["P2"] = "102" }, await TestData.PromotionItemsAsync(dataSource));
    }

    [Fact]
    public async Task CompleteAsync_PromotionItemsOfUnknownProducts_CreatesBareProductsThatAPriceFileNames()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPromotionsAsync(dataSource, time, [new[]
        {
            TestData.Promotion("P1", ["7290000000017"]),
            new PromotionRow
            {
                ChainId = TestData.ChainId, StoreId = 1, PromotionId = "P2",
                Items = [new PromotionItem("555", 0, IsGift: false)],
            },
        }]);

        await using var connection = await dataSource.OpenConnectionAsync();
        var bare = (await connection.QueryAsync<(string Key, string? Barcode, string? ChainId, string Code, short Type, string? Name)>(
            "SELECT product_key, barcode, chain_id, item_code, item_type, name FROM products ORDER BY product_key")).ToList();
        Assert.Equal(
            [("b:7290000000017", "7290000000017", null, "7290000000017", (short)1, null), ($"c:{TestData.ChainId}:555", null, TestData.ChainId, "555", (short)0, null)],
            bare);

        await TestData.IngestPricesAsync(dataSource, time, [new[] { TestData.Price("7290000000017", 4m), TestData.Price("555", 6m, itemType: 0) }]);

        var named = (await connection.QueryAsync<(string Key, string? Name, string? Maker, decimal? Quantity)>(
            "SELECT product_key, name, manufacturer, quantity FROM products ORDER BY product_key")).ToList();
        Assert.Equal(
            [("b:7290000000017", "Item 7290000000017", "Maker", 500m), ($"c:{TestData.ChainId}:555", "Item 555", "Maker", 500m)],
            named);
        Assert.Equal(2, await TestData.CountAsync(dataSource, "products"));
        Assert.Equal(2, await TestData.CountAsync(dataSource, "promotion_items"));
    }

    [Fact]
    public async Task CompleteAsync_PriceFileOfNamedProduct_DoesNotRename()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [new[] { TestData.Price("100", 4m) }]);

        await TestData.IngestPricesAsync(dataSource, time, [new[] { new PriceRow
        {
            ChainId = TestData.ChainId, StoreId = 1, ItemCode = "100", ItemType = 1, ItemName = "Other name",
            IsWeighted = false, ItemPrice = 4m,
        } }]);

        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal("Item 100", await connection.ExecuteScalarAsync<string>("SELECT name FROM products"));
    }

    [Fact]
    public async Task CompleteAsync_PromotionIdRepeated_LastOccurrenceWinsAndDuplicatesCounted()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();

        var result = await TestData.IngestPromotionsAsync(dataSource, time,
            [
                new[] { TestData.Promotion("P1", ["100"], description: "first"), TestData.Promotion("P2", ["101"]) },
                new[] { TestData.Promotion("P1", ["102", "103"], description: "second"), TestData.Promotion("P1", ["104"], description: "last") },
            ],
            counts: new FileCounts(5, 1, 0));

        Assert.Equal(new FileResult(5, 3, 0, 2), result);
        Assert.Equal(new Dictionary<string, string> { ["P1"] = "104", ["P2"] = "101" }, await TestData.PromotionItemsAsync(dataSource));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal("last", await connection.ExecuteScalarAsync<string>("SELECT description FROM promotions WHERE promotion_id = 'P1'"));

        // Items of the losing occurrences created no products.
        Assert.Equal(2, await TestData.CountAsync(dataSource, "products"));
    }

    [Fact]
    public async Task CompleteAsync_ItemListedTwiceInOnePromotion_StoredOnceAsGift()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var promotion = new PromotionRow
        {
            ChainId = TestData.ChainId,
            StoreId = 1,
            PromotionId = "P1",
            Items = [new PromotionItem("100", 1, IsGift: false), new PromotionItem("101", 1, IsGift: false), new PromotionItem("100", 1, IsGift: true)],
        };

        var result = await TestData.IngestPromotionsAsync(dataSource, time, [new[] { promotion }]);

        Assert.Equal(new FileResult(1, 0, 0, 1), result);
        Assert.Equal(new Dictionary<string, string> { ["P1"] = "100!,101" }, await TestData.PromotionItemsAsync(dataSource));
    }

    [Fact]
    public async Task CompleteAsync_EmptyPromoFull_ClearsStoreAndStoresNote()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPromotionsAsync(dataSource, time, [new[] { TestData.Promotion("P1", ["100"]), TestData.Promotion("P2", ["101"]) }]);
        await TestData.IngestPromotionsAsync(dataSource, time, [new[] { TestData.Promotion("Q1", ["100"], storeId: 2) }], storeId: 2);

        var result = await TestData.IngestPromotionsAsync(dataSource, time, [], counts: new FileCounts(0, 0, 0, Note: "empty file"));

        Assert.Equal(new FileResult(0, 0, 0, 2), result);
        Assert.Empty(await TestData.PromotionItemsAsync(dataSource));
        Assert.Equal(new Dictionary<string, string> { ["Q1"] = "100" }, await TestData.PromotionItemsAsync(dataSource, storeCode: 2));
        Assert.Equal(1, await TestData.CountAsync(dataSource, "promotion_items"));

        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal("empty file", await connection.ExecuteScalarAsync<string>("SELECT note FROM file_processing_log ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task CompleteAsync_EmptyIncrementalPromo_KeepsPromotions()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPromotionsAsync(dataSource, time, [new[] { TestData.Promotion("P1", ["100"]) }]);

        var result = await TestData.IngestPromotionsAsync(dataSource, time, [], FileKind.Promo);

        Assert.Equal(0, result.RowsChanged);
        Assert.Equal(new Dictionary<string, string> { ["P1"] = "100" }, await TestData.PromotionItemsAsync(dataSource));
    }

    [Fact]
    public async Task WritePromotionsAsync_PriceFile_Throws()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var logId = await new PgFileLog(dataSource, time).StartAsync(TestData.Start(), CancellationToken.None);
        await using var writer = await new PgPriceSink(dataSource, time).BeginFileAsync(logId, new FileTarget(TestData.ChainId, 1, FileKind.PriceFull, "p.gz"), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WritePromotionsAsync([TestData.Promotion("P1", ["100"])], CancellationToken.None));
    }

    [Fact]
    public async Task CompleteAsync_RejectsAndNote_StoredWithCompletedRow()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var counts = new FileCounts(10, 0, 3, new Dictionary<string, int> { ["missing ItemCode"] = 2, ["bad price"] = 1 }, "3 values repaired");

        await TestData.IngestPromotionsAsync(dataSource, time, [new[] { TestData.Promotion("P1", ["100"]) }], counts: counts);

        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Status, int Rejected, string Rejects, string Note)>(
            "SELECT status, rows_rejected, rejects::text, note FROM file_processing_log");
        Assert.Equal(("completed", 3, """{"bad price": 1, "missing ItemCode": 2}""", "3 values repaired"), row);
    }
}
