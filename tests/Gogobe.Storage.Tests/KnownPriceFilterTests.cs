using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.TestSupport;

namespace Gogobe.Storage.Tests;

/// <summary>
/// The writer's steady-state fast path (rows whose price the store already has are not staged) must give exactly the
/// result of staging everything: last occurrence wins, counts unchanged, rounding as the columns round, bare products named.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class KnownPriceFilterTests(PostgresFixture fixture)
{
    [Fact]
    public async Task CompleteAsync_ChangedThenUnchangedInLaterBatch_LastOccurrenceWins()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [[TestData.Price("A", 1.00m), TestData.Price("B", 2.00m)]]);
        time.Advance(TimeSpan.FromHours(1));

        // A changes in the first batch, then goes back to its current price later in the file: the later row wins.
        var result = await TestData.IngestPricesAsync(dataSource, time,
            [[TestData.Price("A", 1.50m), TestData.Price("B", 2.00m)], [TestData.Price("A", 1.00m)]], new FileCounts(3, 0, 0));

        Assert.Equal(new FileResult(3, 1, 0, 0), result);
        Assert.Equal(1.00m, await TestData.PriceOfAsync(dataSource, "A"));
        Assert.Equal(2, await TestData.CountAsync(dataSource, "price_history"));
    }

    [Fact]
    public async Task CompleteAsync_UnchangedThenChangedInLaterBatch_WritesTheChangeAndCountsTheDuplicate()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [[TestData.Price("A", 1.00m), TestData.Price("B", 2.00m)]]);
        time.Advance(TimeSpan.FromHours(1));

        var result = await TestData.IngestPricesAsync(dataSource, time,
            [[TestData.Price("A", 1.00m), TestData.Price("B", 2.00m)], [TestData.Price("A", 1.25m)]], new FileCounts(3, 0, 0));

        Assert.Equal(new FileResult(3, 1, 0, 1), result);
        Assert.Equal(1.25m, await TestData.PriceOfAsync(dataSource, "A"));
        Assert.Equal(3, await TestData.CountAsync(dataSource, "price_history"));
    }

    [Fact]
    public async Task CompleteAsync_PriceEqualOnlyAfterRounding_IsNotAChange()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [[TestData.Price("A", 1.005m, unitPrice: 0.12345m)]]);
        time.Advance(TimeSpan.FromHours(1));

        // 1.005 is stored as 1.01 (half away from zero), 0.12345 as 0.1235: the same values written again change nothing.
        var same = await TestData.IngestPricesAsync(dataSource, time, [[TestData.Price("A", 1.01m, unitPrice: 0.1235m)]]);
        var different = await TestData.IngestPricesAsync(dataSource, time, [[TestData.Price("A", 1.01m, unitPrice: 0.1234m)]]);

        Assert.Equal(0, same.RowsChanged);
        Assert.Equal(1, different.RowsChanged);
        Assert.Equal(1.01m, await TestData.PriceOfAsync(dataSource, "A"));
    }

    [Fact]
    public async Task CompleteAsync_OtherStoreSameProducts_StillWritesEveryPrice()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(300, storeId: 1)]);

        // Store 2 has no prices yet: its file writes all 300 although store 1 has the very same prices.
        var second = await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(300, storeId: 2)], storeId: 2);

        Assert.Equal(300, second.RowsChanged);
        Assert.Equal(600, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(300, await TestData.CountAsync(dataSource, "products"));
    }

    [Fact]
    public async Task CompleteAsync_UnnamedProductSamePriceNowNamed_NamesTheProduct()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var nameless = new PriceRow { ChainId = TestData.ChainId, StoreId = 1, ItemCode = "7290000000017", ItemPrice = 3.00m };
        await TestData.IngestPricesAsync(dataSource, time, [[nameless]]);

        var named = await TestData.IngestPricesAsync(dataSource, time, [[TestData.Price("7290000000017", 3.00m)]]);

        Assert.Equal(0, named.RowsChanged);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT name FROM products WHERE item_code = '7290000000017'", connection);
        Assert.Equal("Item 7290000000017", await command.ExecuteScalarAsync());
    }
}
