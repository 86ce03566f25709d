using Dapper;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.Core.Scraping;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PgPriceSinkTests(PostgresFixture fixture)
{
    [Fact]
    public async Task CompleteAsync_DuplicatesAcrossBatches_KeepsLastOccurrenceAndCountsThem()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var batches = new List<IReadOnlyCollection<PriceRow>>
        {
            new[] { TestData.Price("A", 1.00m), TestData.Price("B", 2.00m), TestData.Price("C", 3.00m) },
            new[] { TestData.Price("B", 2.50m), TestData.Price("D", 4.00m) },
            new[] { TestData.Price("A", 1.75m) },
        };

        // 4 duplicates were already removed inside batches by the reader; 2 more cross batch boundaries.
        var result = await TestData.IngestPricesAsync(dataSource, TestData.Clock(), batches, new FileCounts(10, 4, 1));

        Assert.Equal(new FileResult(10, 6, 1, 4), result);
        Assert.Equal(4, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(4, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal(1.75m, await TestData.PriceOfAsync(dataSource, "A"));
        Assert.Equal(2.50m, await TestData.PriceOfAsync(dataSource, "B"));

        await using var connection = await dataSource.OpenConnectionAsync();
        var log = await connection.QuerySingleAsync<(string Status, int RowsRead, int Duplicates, int Rejected, int Changed)>(
            "SELECT status, rows_read, duplicates_removed, rows_rejected, rows_changed FROM file_processing_log");
        Assert.Equal(("completed", 10, 6, 1, 4), log);
    }

    [Fact]
    public async Task CompleteAsync_IdenticalSecondFile_ChangesNothingAndAddsNoHistory()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = TestData.Prices(500);

        var first = await TestData.IngestPricesAsync(dataSource, time, [rows]);
        time.Advance(TimeSpan.FromHours(1));
        var second = await TestData.IngestPricesAsync(dataSource, time, [rows]);

        Assert.Equal(500, first.RowsChanged);
        Assert.Equal(0, second.RowsChanged);
        Assert.Equal(500, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal(500, await TestData.CountAsync(dataSource, "products"));
    }

    [Fact]
    public async Task CompleteAsync_ThreePricesChanged_AppendsExactlyThreeHistoryRows()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = TestData.Prices(200);
        await TestData.IngestPricesAsync(dataSource, time, [rows]);

        var changed = rows.Select((r, i) => i is 5 or 50 or 150 ? TestData.Price(r.ItemCode, r.ItemPrice + 1m) : r).ToList();
        time.Advance(TimeSpan.FromHours(1));
        var result = await TestData.IngestPricesAsync(dataSource, time, [changed[..100], changed[100..]]);

        Assert.Equal(3, result.RowsChanged);
        Assert.Equal(203, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal(rows[50].ItemPrice + 1m, await TestData.PriceOfAsync(dataSource, rows[50].ItemCode));

        await using var connection = await dataSource.OpenConnectionAsync();
        var latestChanges = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM price_history WHERE changed_at = @at", new { at = time.GetUtcNow().UtcDateTime });
        Assert.Equal(3, latestChanges);
    }

    [Fact]
    public async Task CompleteAsync_ChangedPrices_StayOnTheirOwnPages()
    {
        // prices keeps room on its pages (fillfactor 90), so a day's changed prices are HOT updates: the new version on
        // the row's own page and no new primary-key entry. With full pages, every changed price moved to another page.
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = TestData.Prices(2_000);
        await TestData.IngestPricesAsync(dataSource, time, [rows]);
        var before = await PagesAsync(dataSource);

        var changed = rows.Select((r, i) => i % 20 == 0 ? TestData.Price(r.ItemCode, r.ItemPrice + 1m) : r).ToList();
        time.Advance(TimeSpan.FromDays(1));
        var result = await TestData.IngestPricesAsync(dataSource, time, [changed]);

        Assert.Equal(100, result.RowsChanged);
        Assert.True(before.Values.Distinct().Count() > 10, "the first load should span many pages");
        Assert.Equal(before, await PagesAsync(dataSource));

        static async Task<Dictionary<long, int>> PagesAsync(NpgsqlDataSource dataSource)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            var pages = await connection.QueryAsync<(long Product, int Page)>("SELECT product_id, (ctid::text::point)[0]::int FROM prices");
            return pages.ToDictionary(p => p.Product, p => p.Page);
        }
    }

    [Fact]
    public async Task CompleteAsync_OneSinkFileAfterFile_NothingOfAStoreCarriesIntoTheNext()
    {
        // One sink, file after file, as in a run. Store 1's second file uses every part of a price write: its current
        // prices, changed prices kept, new products written, a product listed again. Store 2's first file lists the
        // same products (same ids, cached by the sink): it must write every one of them.
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var sink = new PgPriceSink(dataSource, time);
        var rows = TestData.Prices(2_000);
        await TestData.IngestPricesAsync(dataSource, time, [rows[..1_800]], sink: sink);
        var changed = rows.Select((r, i) => i % 20 == 0 ? TestData.Price(r.ItemCode, r.ItemPrice + 1m) : r).ToList();
        time.Advance(TimeSpan.FromDays(1));

        var again = await TestData.IngestPricesAsync(dataSource, time, [changed[..1_000], changed[1_000..], changed[1_900..1_901]], sink: sink);
        var store2 = await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(2_000, storeId: 2)], storeId: 2, sink: sink);

        Assert.Equal(90 + 200, again.RowsChanged); // 90 of the 1,800 known changed, 200 new (one listed twice)
        Assert.Equal(2_000, store2.RowsChanged);
        Assert.Equal(0, store2.DuplicatesRemoved);
        Assert.Equal(4_000, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(1_800 + 290 + 2_000, await TestData.CountAsync(dataSource, "price_history"));
    }

    [Fact]
    public async Task CompleteAsync_IncrementalPriceFile_WritesOnlyChangesLikeAFullFile()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = TestData.Prices(50);
        var full = await TestData.IngestPricesAsync(dataSource, time, [rows]);

        // An incremental file lists a few items: two changed prices, one unchanged, one new product (repeated).
        time.Advance(TimeSpan.FromHours(1));
        var incremental = await TestData.IngestPricesAsync(
            dataSource,
            time,
            [new[] { TestData.Price(rows[3].ItemCode, 99m), TestData.Price(rows[4].ItemCode, 98m), rows[5], TestData.Price("900", 1m) },
             new[] { TestData.Price("900", 2m) }],
            kind: FileKind.Price);

        Assert.Equal(50, full.RowsChanged);
        Assert.Equal(new FileResult(5, 1, 0, 3), incremental);
        Assert.Equal(51, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(53, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal(99m, await TestData.PriceOfAsync(dataSource, rows[3].ItemCode));
        Assert.Equal(2m, await TestData.PriceOfAsync(dataSource, "900"));
        Assert.Equal(rows[10].ItemPrice, await TestData.PriceOfAsync(dataSource, rows[10].ItemCode)); // untouched, not deleted

        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal("Price", await connection.ExecuteScalarAsync<string>("SELECT file_type FROM file_processing_log ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task CompleteAsync_OnlyUnitPriceChanged_CountsAsChange()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [new[] { TestData.Price("A", 5m, unitPrice: 1.0m) }]);

        var result = await TestData.IngestPricesAsync(dataSource, time, [new[] { TestData.Price("A", 5m, unitPrice: 1.25m) }]);

        Assert.Equal(1, result.RowsChanged);
        Assert.Equal(2, await TestData.CountAsync(dataSource, "price_history"));
    }

    [Fact]
    public async Task CompleteAsync_SubCentDifference_IsNotAChange()
    {
        // prices.price is numeric(12,2): a value that rounds to the stored price must not count as a change.
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [new[] { TestData.Price("A", 5.90m) }]);

        var result = await TestData.IngestPricesAsync(dataSource, time, [new[] { TestData.Price("A", 5.901m) }]);

        Assert.Equal(0, result.RowsChanged);
    }

    [Fact]
    public async Task CompleteAsync_ProductKeys_BarcodeSharedAcrossChainsInternalCodePerChain()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [new[]
        {
            TestData.Price("7290000000017", 3m, chainId: TestData.ChainId),
            TestData.Price("7290000000017", 3m, chainId: TestData.OtherChainId),
            TestData.Price("100", 9m, chainId: TestData.ChainId, itemType: 0),
            TestData.Price("100", 9m, chainId: TestData.OtherChainId, itemType: 0),
        }]);

        await using var connection = await dataSource.OpenConnectionAsync();
        var keys = (await connection.QueryAsync<(string Key, string? Barcode, string? ChainId)>(
            "SELECT product_key, barcode, chain_id FROM products ORDER BY product_key")).ToList();
        Assert.Equal(
            [("b:7290000000017", "7290000000017", null), ($"c:{TestData.ChainId}:100", null, TestData.ChainId), ($"c:{TestData.OtherChainId}:100", null, TestData.OtherChainId)],
            keys);
    }

    [Fact]
    public async Task CompleteAsync_ConcurrentFileCommitsSameNewProduct_FallsBackAndCompletes()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = TestData.Prices(20);

        // Another transaction inserts one of the file's new products and keeps it uncommitted, so the file's
        // plain INSERT has to wait for it and then hits unique_violation when it commits.
        await using var other = await dataSource.OpenConnectionAsync();
        await using var otherTx = await other.BeginTransactionAsync();
        await other.ExecuteAsync(
            "INSERT INTO products (product_key, item_code, item_type) VALUES (@key, @code, 1)",
            new { key = rows[7].ProductKey, code = rows[7].ItemCode },
            otherTx);

        var ingest = Task.Run(() => TestData.IngestPricesAsync(dataSource, time, [rows]));
        await WaitForLockWaiterAsync(dataSource);
        await otherTx.CommitAsync();
        var result = await ingest;

        Assert.Equal(20, result.RowsChanged);
        Assert.Equal(20, await TestData.CountAsync(dataSource, "products"));
        Assert.Equal(20, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(20, await TestData.CountAsync(dataSource, "price_history"));
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_RollsBackAndLeavesLogProcessing()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var logId = await log.StartAsync(TestData.Start(), CancellationToken.None);

        await using (var writer = await new PgPriceSink(dataSource, time).BeginFileAsync(logId, new FileTarget(TestData.ChainId, 1, FileKind.PriceFull, "f.gz"), CancellationToken.None))
        {
            await writer.WritePricesAsync(TestData.Prices(100), CancellationToken.None);
        }

        Assert.Equal(0, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(0, await TestData.CountAsync(dataSource, "price_history"));
        // Products are the chain's catalogue, committed on their own as the file meets them (docs/WRITE-PATH.md).
        Assert.Equal(100, await TestData.CountAsync(dataSource, "products"));
        Assert.Equal(0, await TestData.CountAsync(dataSource, "stores"));
        Assert.Equal("processing", await TestData.LogStatusAsync(dataSource, logId));
    }

    [Fact]
    public async Task CompleteAsync_LogRowAlreadyFailed_ThrowsAndCommitsNothing()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var logId = await log.StartAsync(TestData.Start(), CancellationToken.None);
        await log.FailAsync(logId, "cancelled by operator", FileCounts.None, CancellationToken.None);

        await using (var writer = await new PgPriceSink(dataSource, time).BeginFileAsync(logId, new FileTarget(TestData.ChainId, 1, FileKind.PriceFull, "f.gz"), CancellationToken.None))
        {
            await writer.WritePricesAsync(TestData.Prices(10), CancellationToken.None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(new FileCounts(10, 0, 0), CancellationToken.None));
        }

        Assert.Equal(0, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal("failed", await TestData.LogStatusAsync(dataSource, logId));
    }

    [Fact]
    public async Task CompleteAsync_StoresFile_UpsertsStoresAndCountsChangedOnes()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();

        var first = await IngestStoresAsync(dataSource, time,
            [Store(1, "Tel Aviv"), Store(2, "Haifa")],
            [Store(2, "Haifa"), Store(3, "Eilat")]);
        var second = await IngestStoresAsync(dataSource, time, [Store(1, "Tel Aviv"), Store(2, "Jerusalem"), Store(3, "Eilat")]);

        Assert.Equal(3, first.RowsChanged);
        Assert.Equal(1, first.DuplicatesRemoved);
        Assert.Equal(1, second.RowsChanged);

        await using var connection = await dataSource.OpenConnectionAsync();
        var stores = (await connection.QueryAsync<(int Code, string City, string Name, short Type)>(
            "SELECT store_code, city, name, store_type FROM stores ORDER BY store_code")).ToList();
        Assert.Equal([(1, "Tel Aviv", "Store 1", (short)1), (2, "Jerusalem", "Store 2", (short)1), (3, "Eilat", "Store 3", (short)1)], stores);
        Assert.Equal("Test Chain Ltd", await connection.ExecuteScalarAsync<string>("SELECT name FROM chains"));
    }

    [Fact]
    public async Task BeginFileAsync_PriceFileOfExistingStore_ReusesStoreRow()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await IngestStoresAsync(dataSource, time, [Store(1, "Tel Aviv")]);

        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(5)]);

        Assert.Equal(1, await TestData.CountAsync(dataSource, "stores"));
        Assert.Equal(5, await TestData.CountAsync(dataSource, "prices"));
    }

    [Fact]
    public async Task EnsureChainsAsync_NameChanged_UpdatesName()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var sink = new PgPriceSink(dataSource, TestData.Clock());

        await sink.EnsureChainsAsync([new Chain("Old", TestData.ChainId), new Chain("Other", TestData.OtherChainId)], CancellationToken.None);
        await sink.EnsureChainsAsync([new Chain("New", TestData.ChainId)], CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var chains = (await connection.QueryAsync<(string Id, string Name)>("SELECT chain_id, name FROM chains ORDER BY chain_id")).ToList();
        Assert.Equal([(TestData.ChainId, "New"), (TestData.OtherChainId, "Other")], chains);
    }

    private static async Task WaitForLockWaiterAsync(NpgsqlDataSource dataSource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
        while (await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static StoreRow Store(int id, string city) => new()
    {
        ChainId = TestData.ChainId,
        ChainName = "Test Chain Ltd",
        StoreId = id,
        StoreName = "Store " + id,
        City = city,
        Address = "Main St " + id,
        StoreType = 1,
        SubChainId = "1",
        SubChainName = "Main",
    };

    private static async Task<FileResult> IngestStoresAsync(NpgsqlDataSource dataSource, TimeProvider time, params IReadOnlyCollection<StoreRow>[] batches)
    {
        var logId = await new PgFileLog(dataSource, time).StartAsync(TestData.Start(FileKind.Stores, storeId: 0), CancellationToken.None);
        await using var writer = await new PgPriceSink(dataSource, time).BeginFileAsync(logId, new FileTarget(TestData.ChainId, 0, FileKind.Stores, "Stores.gz"), CancellationToken.None);
        foreach (var batch in batches)
        {
            await writer.WriteStoresAsync(batch, CancellationToken.None);
        }

        return await writer.CompleteAsync(new FileCounts(batches.Sum(b => b.Count), 0, 0), CancellationToken.None);
    }
}
