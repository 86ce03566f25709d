using Dapper;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

/// <summary>
/// The direct price path: new prices and their history COPYed as narrow rows, changed ones updated, product keys
/// resolved client-side through the sink's process-wide cache, one writer per store at a time.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class DirectPricePathTests(PostgresFixture fixture)
{
    [Fact]
    public async Task CompleteAsync_FirstLoadOverSeveralBatches_WritesEveryPriceHistoryRowAndProductExactly()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = TestData.Prices(12_000);

        var result = await TestData.IngestPricesAsync(dataSource, time, [rows[..5_000], rows[5_000..10_000], rows[10_000..]]);

        Assert.Equal(new FileResult(12_000, 0, 0, 12_000), result);
        Assert.Equal(12_000, await TestData.CountAsync(dataSource, "products"));
        await using var connection = await dataSource.OpenConnectionAsync();
        // Every price equals its row's (rounded as the column rounds), and history holds the same values once each.
        var expected = rows.ToDictionary(r => r.ItemCode, r => Math.Round(r.ItemPrice, 2, MidpointRounding.AwayFromZero));
        var prices = (await connection.QueryAsync<(string Code, decimal Price, DateTime PriceUpdatedAt, long LogId)>(
            """
            SELECT p.item_code, pr.price, pr.price_updated_at, pr.file_log_id FROM prices pr JOIN products p ON p.id = pr.product_id
            """)).ToList();
        Assert.Equal(12_000, prices.Count);
        Assert.All(prices, p => Assert.Equal(expected[p.Code], p.Price));
        Assert.All(prices, p => Assert.Equal(new DateTime(2026, 3, 10, 8, 30, 0), p.PriceUpdatedAt));
        Assert.Single(prices.Select(p => p.LogId).Distinct());
        var history = (await connection.QueryAsync<(string Code, decimal Price, DateTime ChangedAt)>(
            "SELECT p.item_code, h.price, h.changed_at FROM price_history h JOIN products p ON p.id = h.product_id")).ToList();
        Assert.Equal(12_000, history.Count);
        Assert.All(history, h => Assert.Equal(expected[h.Code], h.Price));
        Assert.All(history, h => Assert.Equal(TestData.Noon.UtcDateTime, h.ChangedAt.ToUniversalTime()));
        Assert.Equal("Item 7290000100042", await connection.ExecuteScalarAsync<string>("SELECT name FROM products WHERE item_code = '7290000100042'"));
    }

    [Fact]
    public async Task CompleteAsync_NewProductRepeatedInLaterBatch_LastOccurrenceWinsInPriceAndHistory()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var later = TestData.Price("A", 3.00m);
        var renamed = new PriceRow
        {
            ChainId = later.ChainId, StoreId = later.StoreId, ItemCode = later.ItemCode, ItemName = "Item A, renamed",
            ManufacturerName = "Other maker", ItemPrice = later.ItemPrice, UnitOfMeasurePrice = 0.6m,
        };

        var result = await TestData.IngestPricesAsync(dataSource, time,
            [[TestData.Price("A", 1.00m), TestData.Price("B", 2.00m)], [renamed]], new FileCounts(3, 0, 0));

        Assert.Equal(new FileResult(3, 1, 0, 2), result);
        Assert.Equal(3.00m, await TestData.PriceOfAsync(dataSource, "A"));
        Assert.Equal(2, await TestData.CountAsync(dataSource, "price_history"));
        await using var connection = await dataSource.OpenConnectionAsync();
        // The product was created from its first row (written with the first batch); the later row's price wins.
        Assert.Equal(("Item A", "Maker"), await connection.QuerySingleAsync<(string, string)>(
            "SELECT name, manufacturer FROM products WHERE item_code = 'A'"));
        Assert.Equal((3.00m, 0.6m), await connection.QuerySingleAsync<(decimal, decimal)>(
            "SELECT h.price, h.unit_price FROM price_history h JOIN products p ON p.id = h.product_id WHERE p.item_code = 'A'"));
    }

    [Fact]
    public async Task CompleteAsync_ProductsRepeatedWithinOneBatch_LastRowWinsForNewAndKnownProducts()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [[TestData.Price("K", 5.00m)]]);

        // One batch (not through the orchestrator, which deduplicates): a new product twice, a known one changed then
        // back to its price, a known one unchanged then changed.
        var result = await TestData.IngestPricesAsync(dataSource, time,
            [[TestData.Price("N", 1.00m), TestData.Price("K", 6.00m), TestData.Price("N", 1.50m), TestData.Price("K", 5.00m)]],
            new FileCounts(4, 0, 0));

        Assert.Equal(new FileResult(4, 2, 0, 1), result);
        Assert.Equal(1.50m, await TestData.PriceOfAsync(dataSource, "N"));
        Assert.Equal(5.00m, await TestData.PriceOfAsync(dataSource, "K"));
        Assert.Equal(2, await TestData.CountAsync(dataSource, "products"));
        Assert.Equal(2, await TestData.CountAsync(dataSource, "price_history"));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(1.50m, await connection.ExecuteScalarAsync<decimal>(
            "SELECT h.price FROM price_history h JOIN products p ON p.id = h.product_id WHERE p.item_code = 'N'"));
    }

    [Fact]
    public async Task CompleteAsync_ChangedUnchangedAndNewMixed_WritesOnlyChangedAndNewWithOneHistoryRowEach()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var sink = new PgPriceSink(dataSource, time);
        await IngestAsync(sink, dataSource, time, 1, [TestData.Price("A", 1.00m), TestData.Price("B", 2.00m), TestData.Price("C", 3.00m)]);
        time.Advance(TimeSpan.FromHours(1));

        var result = await IngestAsync(sink, dataSource, time, 1,
            [TestData.Price("A", 1.00m), TestData.Price("B", 2.50m), TestData.Price("D", 4.00m)]);

        Assert.Equal(new FileResult(3, 0, 0, 2), result);
        Assert.Equal([1.00m, 2.50m, 3.00m, 4.00m],
            [await TestData.PriceOfAsync(dataSource, "A"), await TestData.PriceOfAsync(dataSource, "B"),
             await TestData.PriceOfAsync(dataSource, "C"), await TestData.PriceOfAsync(dataSource, "D")]);
        await using var connection = await dataSource.OpenConnectionAsync();
        var history = (await connection.QueryAsync<(string Code, decimal Price)>(
            "SELECT p.item_code, h.price FROM price_history h JOIN products p ON p.id = h.product_id ORDER BY h.changed_at, p.item_code")).ToList();
        Assert.Equal([("A", 1.00m), ("B", 2.00m), ("C", 3.00m), ("B", 2.50m), ("D", 4.00m)], history);
        // The updated row says when and by which file; the untouched one still says the first.
        var updatedAt = (await connection.QueryAsync<(string Code, DateTime UpdatedAt)>(
            "SELECT p.item_code, pr.updated_at FROM prices pr JOIN products p ON p.id = pr.product_id ORDER BY p.item_code")).ToList();
        Assert.Equal(TestData.Noon.UtcDateTime, updatedAt[0].UpdatedAt.ToUniversalTime());
        Assert.Equal(TestData.Noon.UtcDateTime.AddHours(1), updatedAt[1].UpdatedAt.ToUniversalTime());
        Assert.Equal(TestData.Noon.UtcDateTime.AddHours(1), updatedAt[3].UpdatedAt.ToUniversalTime());
    }

    [Fact]
    public async Task CompleteAsync_SameSinkOtherStoresSameProducts_FindsExistingProductsAndWritesEveryStore()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var sink = new PgPriceSink(dataSource, time);

        // Stores 2 and 3 find every product the first file created; store 3 also brings one new product.
        await IngestAsync(sink, dataSource, time, 1, TestData.Prices(300, storeId: 1));
        await IngestAsync(sink, dataSource, time, 2, TestData.Prices(300, basePrice: 2m, storeId: 2));
        var third = await IngestAsync(sink, dataSource, time, 3, [.. TestData.Prices(300, basePrice: 3m, storeId: 3), TestData.Price("NEW", 9m, storeId: 3)]);

        Assert.Equal(301, third.RowsChanged);
        Assert.Equal(301, await TestData.CountAsync(dataSource, "products"));
        Assert.Equal(901, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(901, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal(2.05m, await TestData.PriceOfAsync(dataSource, "7290000100005", storeCode: 2));
        Assert.Equal(9m, await TestData.PriceOfAsync(dataSource, "NEW", storeCode: 3));
    }

    [Fact]
    public async Task CompleteAsync_OtherStoreSameProducts_NamedOnesResolvedFromTheProcessCacheNotTheDatabase()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var sink = new PgPriceSink(dataSource, time);
        static PriceRow Bare(int storeId) => new() { ChainId = TestData.ChainId, StoreId = storeId, ItemCode = "BARE", ItemType = 1, ItemPrice = 4m };
        await IngestAsync(sink, dataSource, time, 1, [.. TestData.Prices(300, storeId: 1), Bare(1)]);

        // Moving every key away makes a database lookup by key miss: only the cache still knows the 300 named products.
        // The unnamed one is not cached (it may yet be named), so the second store looks it up, misses and creates it anew.
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE products SET product_key = 'moved:' || product_key");
        }

        var second = await IngestAsync(sink, dataSource, time, 2, [.. TestData.Prices(300, basePrice: 2m, storeId: 2), Bare(2)]);

        Assert.Equal(301, second.RowsChanged);
        Assert.Equal(302, await TestData.CountAsync(dataSource, "products"));
        await using var check = await dataSource.OpenConnectionAsync();
        Assert.Equal(300, await check.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM prices a JOIN prices b ON b.product_id = a.product_id JOIN stores sa ON sa.id = a.store_id JOIN stores sb ON sb.id = b.store_id WHERE sa.store_code = 1 AND sb.store_code = 2"));
    }

    [Fact]
    public async Task CompleteAsync_TwoFilesOfOneStoreAtOnce_SecondWaitsThenWritesOnlyItsDifferences()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var sink = new PgPriceSink(dataSource, time);
        var log = new PgFileLog(dataSource, time);
        // The store exists (a new store's row alone would already make the second file wait, on its uncommitted insert).
        await IngestAsync(sink, dataSource, time, 1, [TestData.Price("A", 1.00m)]);
        var firstLog = await log.StartAsync(TestData.Start(), CancellationToken.None);
        var secondLog = await log.StartAsync(TestData.Start(FileKind.Price), CancellationToken.None);

        var first = await sink.BeginFileAsync(firstLog, new FileTarget(TestData.ChainId, 1, FileKind.PriceFull, "a.gz"), CancellationToken.None);
        await first.WritePricesAsync([TestData.Price("A", 1.00m), TestData.Price("B", 2.00m)], CancellationToken.None);

        // The second file of the same store waits for the store lock the first holds until its commit.
        var second = Task.Run(async () =>
        {
            await using var writer = await sink.BeginFileAsync(secondLog, new FileTarget(TestData.ChainId, 1, FileKind.Price, "b.gz"), CancellationToken.None);
            await writer.WritePricesAsync([TestData.Price("A", 1.00m), TestData.Price("B", 2.25m), TestData.Price("C", 3.00m)], CancellationToken.None);
            return await writer.CompleteAsync(new FileCounts(3, 0, 0), CancellationToken.None);
        });
        await WaitForAdvisoryLockWaiterAsync(dataSource);
        Assert.False(second.IsCompleted);

        var firstResult = await first.CompleteAsync(new FileCounts(2, 0, 0), CancellationToken.None);
        await first.DisposeAsync();
        var secondResult = await second;

        Assert.Equal(1, firstResult.RowsChanged);
        Assert.Equal(2, secondResult.RowsChanged);
        Assert.Equal(2.25m, await TestData.PriceOfAsync(dataSource, "B"));
        Assert.Equal(3, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(4, await TestData.CountAsync(dataSource, "price_history"));
    }

    [Fact]
    public async Task CompleteAsync_FilesOfFourStoresAtOnceSameNewProducts_AllCompleteWithOneProductEach()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var sink = new PgPriceSink(dataSource, time);

        // Every file creates the same 2,000 products at the same time (in reverse order for half of them): the
        // catalogue statements wait on one another briefly and in key order, never on a whole file.
        var results = await Task.WhenAll(Enumerable.Range(1, 4).Select(store => Task.Run(() =>
        {
            var rows = TestData.Prices(2_000, basePrice: store, storeId: store);
            if (store % 2 == 0)
            {
                rows.Reverse();
            }

            return IngestAsync(sink, dataSource, time, store, rows);
        })));

        Assert.All(results, r => Assert.Equal(new FileResult(2_000, 0, 0, 2_000), r));
        Assert.Equal(2_000, await TestData.CountAsync(dataSource, "products"));
        Assert.Equal(8_000, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(8_000, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal(4.07m, await TestData.PriceOfAsync(dataSource, "7290000100007", storeCode: 4));
    }

    [Fact]
    public async Task CompleteAsync_FailsMidWay_LeavesNoPricesOrHistoryAndTheSinkStaysCorrect()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var sink = new PgPriceSink(dataSource, time);
        var log = new PgFileLog(dataSource, time);
        var logId = await log.StartAsync(TestData.Start(), CancellationToken.None);

        await using (var writer = await sink.BeginFileAsync(logId, new FileTarget(TestData.ChainId, 1, FileKind.PriceFull, "f.gz"), CancellationToken.None))
        {
            // The first batch's 50 prices and history rows are COPYed; the second batch's COPY fails on its one price.
            await writer.WritePricesAsync(TestData.Prices(50), CancellationToken.None);
            var failure = await Assert.ThrowsAsync<PostgresException>(() => writer.WritePricesAsync([TestData.Price("HUGE", 10_000_000_000m)], CancellationToken.None));
            Assert.Equal(PostgresErrorCodes.NumericValueOutOfRange, failure.SqlState);
        }

        // The catalogue is committed on its own (the products are valid whatever happens to the file); prices and history are not.
        Assert.Equal(51, await TestData.CountAsync(dataSource, "products"));
        Assert.Equal(0, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(0, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal("processing", await TestData.LogStatusAsync(dataSource, logId));

        // The same file again, through the same sink (its cache now knows the products): every price lands, on real products.
        var result = await IngestAsync(sink, dataSource, time, 1, TestData.Prices(50));
        Assert.Equal(50, result.RowsChanged);
        Assert.Equal(51, await TestData.CountAsync(dataSource, "products"));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(50, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM prices pr JOIN products p ON p.id = pr.product_id"));
        Assert.Equal(50, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM price_history h JOIN products p ON p.id = h.product_id"));
    }

    private static async Task<FileResult> IngestAsync(PgPriceSink sink, NpgsqlDataSource dataSource, TimeProvider time, int storeId, List<PriceRow> rows)
    {
        var logId = await new PgFileLog(dataSource, time).StartAsync(TestData.Start(storeId: storeId), CancellationToken.None);
        await using var writer = await sink.BeginFileAsync(logId, new FileTarget(TestData.ChainId, storeId, FileKind.PriceFull, "file.gz"), CancellationToken.None);
        await writer.WritePricesAsync(rows, CancellationToken.None);
        return await writer.CompleteAsync(new FileCounts(rows.Count, 0, 0), CancellationToken.None);
    }

    private static async Task WaitForAdvisoryLockWaiterAsync(NpgsqlDataSource dataSource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
        while (await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted") == 0)
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
