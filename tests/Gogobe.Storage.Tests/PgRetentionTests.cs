using Dapper;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PgRetentionTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2020, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PruneAsync_LogRowsOlderThanFileLogDays_DeletesExactlyThoseInBatches()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        // Finished 500 and 401 days ago (go), 399 days and 1 hour ago (stay), and a crashed 'processing' row started
        // 500 days ago (goes) next to one started an hour ago (stays).
        var old1 = await LogRowAsync(dataSource, "completed", Now.AddDays(-500), Now.AddDays(-500).AddMinutes(1));
        var old2 = await LogRowAsync(dataSource, "failed", Now.AddDays(-401).AddMinutes(-1), Now.AddDays(-401));
        var crashed = await LogRowAsync(dataSource, "processing", Now.AddDays(-500), finishedAt: null);
        var kept = new[]
        {
            await LogRowAsync(dataSource, "completed", Now.AddDays(-400).AddMinutes(-5), Now.AddDays(-399)),
            await LogRowAsync(dataSource, "skipped", Now.AddHours(-1), Now.AddHours(-1)),
            await LogRowAsync(dataSource, "processing", Now.AddHours(-1), finishedAt: null),
        };
        var options = new RetentionOptions { FileLogDays = 400, DeleteBatchSize = 2 };

        var preview = await PgRetention.PreviewAsync(dataSource, options, new FixedTimeProvider(Now), CancellationToken.None);
        Assert.Equal(6, await TestData.CountAsync(dataSource, "file_processing_log"));

        var result = await PgRetention.PruneAsync(dataSource, options, new FixedTimeProvider(Now), CancellationToken.None);

        Assert.True(preview.DryRun);
        Assert.Equal(3, preview.FileLogRowsDeleted);
        Assert.False(result.DryRun);
        Assert.Equal(3, result.FileLogRowsDeleted);
        Assert.Equal(Now.AddDays(-400), result.FileLogCutoff);
        Assert.Null(result.PriceHistoryCutoff);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(kept, await connection.QueryAsync<long>("SELECT id FROM file_processing_log ORDER BY id"));
        Assert.DoesNotContain(old1, kept);
        Assert.DoesNotContain(old2, kept);
        Assert.DoesNotContain(crashed, kept);
    }

    [Fact]
    public async Task PruneAsync_ZeroDays_KeepsEverything()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await LogRowAsync(dataSource, "completed", Now.AddYears(-10), Now.AddYears(-10));
        await PgPartitions.EnsureMonthlyAsync(dataSource, Now.AddYears(-10), 0, CancellationToken.None);
        await HistoryRowAsync(dataSource, Now.AddYears(-10));
        var partitions = await PriceHistoryPartitionTests.PartitionsAsync(dataSource);

        var result = await PgRetention.PruneAsync(
            dataSource, new RetentionOptions { FileLogDays = 0, PriceHistoryDays = 0 }, new FixedTimeProvider(Now), CancellationToken.None);

        Assert.Equal(new RetentionResult(false, null, 0, null, [], 0), result with { PartitionsDropped = [] });
        Assert.Empty(result.PartitionsDropped);
        Assert.Equal(1, await TestData.CountAsync(dataSource, "file_processing_log"));
        Assert.Equal(1, await TestData.CountAsync(dataSource, "price_history"));
        Assert.Equal(partitions, await PriceHistoryPartitionTests.PartitionsAsync(dataSource));
    }

    [Fact]
    public async Task PruneAsync_PriceHistoryDays_DropsOnlyPartitionsEntirelyBeforeCutoff()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await PgPartitions.EnsureMonthlyAsync(dataSource, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), 5, CancellationToken.None);
        foreach (var month in Enumerable.Range(1, 6))
        {
            await HistoryRowAsync(dataSource, new DateTimeOffset(2020, month, 1, 0, 0, 0, TimeSpan.Zero), count: month);
        }

        // A current price is never history: prices is untouched whatever goes.
        await TestData.IngestPricesAsync(dataSource, TestData.Clock(), [TestData.Prices(3)]);
        var pricesBefore = await TestData.CountAsync(dataSource, "prices");

        // Cutoff 2020-03-07 12:00: January and February end before it; March straddles it and stays.
        var options = new RetentionOptions { FileLogDays = 0, PriceHistoryDays = 100 };
        var preview = await PgRetention.PreviewAsync(dataSource, options, new FixedTimeProvider(Now), CancellationToken.None);
        var result = await PgRetention.PruneAsync(dataSource, options, new FixedTimeProvider(Now), CancellationToken.None);

        Assert.Equal(["price_history_2020_01", "price_history_2020_02"], preview.PartitionsDropped);
        Assert.Equal(3, preview.PriceHistoryRowsDropped);
        Assert.Equal(["price_history_2020_01", "price_history_2020_02"], result.PartitionsDropped);
        Assert.Equal(3, result.PriceHistoryRowsDropped);
        Assert.Equal(Now.AddDays(-100), result.PriceHistoryCutoff);
        var partitions = await PriceHistoryPartitionTests.PartitionsAsync(dataSource);
        Assert.DoesNotContain("price_history_2020_02", partitions);
        Assert.Contains("price_history_2020_03", partitions);
        Assert.Contains("price_history_default", partitions);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(3 + 4 + 5 + 6, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM price_history WHERE changed_at < '2021-01-01'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM price_history WHERE changed_at < '2020-03-01'"));
        Assert.Equal(pricesBefore, await TestData.CountAsync(dataSource, "prices"));
        Assert.Empty((await PgRetention.PruneAsync(dataSource, options, new FixedTimeProvider(Now), CancellationToken.None)).PartitionsDropped);
    }

    [Fact]
    public async Task PruneAsync_OldRowsInDefaultPartition_LeftForEnsureMonthly()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await HistoryRowAsync(dataSource, new DateTimeOffset(2019, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new RetentionOptions { FileLogDays = 0, PriceHistoryDays = 30 };

        var before = await PgRetention.PruneAsync(dataSource, options, new FixedTimeProvider(Now), CancellationToken.None);
        await PgPartitions.EnsureMonthlyAsync(dataSource, Now, 0, CancellationToken.None);
        var after = await PgRetention.PruneAsync(dataSource, options, new FixedTimeProvider(Now), CancellationToken.None);

        Assert.DoesNotContain("price_history_2019_05", before.PartitionsDropped);
        Assert.Contains("price_history_2019_05", after.PartitionsDropped);
        Assert.Equal(0, await TestData.CountAsync(dataSource, "price_history"));
    }

    [Theory]
    [InlineData(-1, 0, 1)]
    [InlineData(0, -1, 1)]
    [InlineData(0, 0, 0)]
    public async Task PruneAsync_OptionOutOfRange_Throws(int fileLogDays, int priceHistoryDays, int batchSize)
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1");
        var options = new RetentionOptions { FileLogDays = fileLogDays, PriceHistoryDays = priceHistoryDays, DeleteBatchSize = batchSize };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => PgRetention.PruneAsync(dataSource, options, TimeProvider.System, CancellationToken.None));
    }

    private static async Task<long> LogRowAsync(NpgsqlDataSource dataSource, string status, DateTimeOffset startedAt, DateTimeOffset? finishedAt)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO file_processing_log (run_id, source, chain_id, store_id, file_name, file_type, status, started_at, finished_at)
            VALUES (gen_random_uuid(), 'Test Chain', @ChainId, 1, 'f.gz', 'PriceFull', @status, @startedAt, @finishedAt)
            RETURNING id
            """,
            new { TestData.ChainId, status, startedAt = startedAt.UtcDateTime, finishedAt = finishedAt?.UtcDateTime });
    }

    private static async Task HistoryRowAsync(NpgsqlDataSource dataSource, DateTimeOffset changedAt, int count = 1)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO price_history (store_id, product_id, price, changed_at) SELECT 1, g, 1, @changedAt FROM generate_series(1, @count) g",
            new { changedAt = changedAt.UtcDateTime, count });
    }
}
