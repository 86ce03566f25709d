using Dapper;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

/// <summary>Migration 0003 (price_history partitioned by month) and <see cref="PgPartitions"/>.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PriceHistoryPartitionTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Migration0003_ExistingHistoryRows_MovedIntactIntoMonthlyPartitions()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateEmptyDatabaseAsync());
        await ApplyMigrationsAsync(dataSource, through: 2);
        await InsertHistoryAcrossMonthsAsync(dataSource);
        var before = await HistoryRowsWithIdsAsync(dataSource);

        await ApplyMigrationsAsync(dataSource, through: 3, after: 2);

        Assert.Equal(before, await HistoryRowsWithIdsAsync(dataSource));
        await using var after = await dataSource.OpenConnectionAsync();
        Assert.Equal("p", await after.ExecuteScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE oid = 'price_history'::regclass"));
        Assert.Equal(
            ["partitions.price_history_2019_07", "partitions.price_history_2026_03", "partitions.price_history_2026_03", "partitions.price_history_2026_04"],
            await after.QueryAsync<string>("SELECT tableoid::regclass::text FROM price_history ORDER BY tableoid::regclass::text"));
        Assert.Equal(0, await after.ExecuteScalarAsync<long>("SELECT count(*) FROM partitions.price_history_default"));

        // The id sequence survived the old table: new ids continue after the moved ones.
        var maxId = before.Max(r => r.Id);
        Assert.True(await after.ExecuteScalarAsync<long>(
            "INSERT INTO price_history (store_id, product_id, price, changed_at) VALUES (1, 1, 1, now()) RETURNING id") > maxId);
    }

    [Fact]
    public async Task Migration0006_PartitionedHistory_LosesIdAndPrimaryKeyAndKeepsEveryRow()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateEmptyDatabaseAsync());
        await ApplyMigrationsAsync(dataSource, through: 2);
        await InsertHistoryAcrossMonthsAsync(dataSource);
        await ApplyMigrationsAsync(dataSource, through: 5, after: 2);
        var before = await HistoryRowsAsync(dataSource);

        var applied = await Migrator.ApplyAsync(dataSource, CancellationToken.None);

        Assert.Equal(6, applied[0].Version);
        Assert.Equal(before, await HistoryRowsAsync(dataSource));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(
            ["store_id", "product_id", "price", "unit_price", "price_updated_at", "changed_at", "file_log_id"],
            await connection.QueryAsync<string>(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'price_history'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"));
        Assert.Equal(
            ["price_history_store_product_idx"],
            await connection.QueryAsync<string>("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'price_history'::regclass"));
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT to_regclass('price_history_id_seq')::text"));

        // A partition made after the drop has no dropped column, the older ones keep theirs: rows route to both, and
        // rows waiting in DEFAULT move into a new month's partition.
        await connection.ExecuteAsync(
            "INSERT INTO price_history (store_id, product_id, price, changed_at) VALUES (4, 1, 1.25, '2026-04-15+00'), (4, 2, 2.50, '2051-05-05+00')");
        var report = await PgPartitions.EnsureMonthlyAsync(dataSource, new DateTimeOffset(2051, 5, 1, 0, 0, 0, TimeSpan.Zero), 0, CancellationToken.None);
        Assert.Equal(["price_history_2051_05"], report.Created);
        Assert.Equal(1, report.RowsMovedFromDefault);
        Assert.Equal(
            [("partitions.price_history_2026_04", 1.25m), ("partitions.price_history_2051_05", 2.50m)],
            (await connection.QueryAsync<(string, decimal)>(
                "SELECT tableoid::regclass::text, price FROM price_history WHERE store_id = 4 ORDER BY product_id")).ToList());
    }

    [Fact]
    public async Task Migration0003_PartitionsOfThisMonthAndNextTwo_Exist()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        var thisMonth = await connection.ExecuteScalarAsync<DateTime>("SELECT date_trunc('month', now() AT TIME ZONE 'UTC')");
        var partitions = await PartitionsAsync(dataSource);

        foreach (var month in Enumerable.Range(0, 3).Select(n => DateOnly.FromDateTime(thisMonth).AddMonths(n)))
        {
            Assert.Contains(PgPartitions.PriceHistoryPartitionName(month), partitions);
        }

        Assert.Contains("price_history_default", partitions);
    }

    [Fact]
    public async Task EnsureMonthlyAsync_CalledTwice_CreatesMissingMonthsOnce()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var now = new DateTimeOffset(2041, 1, 31, 23, 30, 0, TimeSpan.Zero);

        var first = await PgPartitions.EnsureMonthlyAsync(dataSource, now, 2, CancellationToken.None);
        var second = await PgPartitions.EnsureMonthlyAsync(dataSource, now, 3, CancellationToken.None);

        Assert.Equal(["price_history_2041_01", "price_history_2041_02", "price_history_2041_03"], first.Created);
        Assert.Equal(["price_history_2041_04"], second.Created);
        Assert.Equal(0, first.RowsMovedFromDefault + second.RowsMovedFromDefault);
        Assert.Empty((await PgPartitions.EnsureMonthlyAsync(dataSource, now, 3, CancellationToken.None)).Created);

        // Bounds are UTC month starts: the last instant of January goes to January, midnight of February 1 to February.
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(
            ["partitions.price_history_2041_01", "partitions.price_history_2041_02"],
            await connection.QueryAsync<string>(
                """
                INSERT INTO price_history (store_id, product_id, price, changed_at)
                VALUES (1, 1, 1, '2041-01-31 23:59:59.999999+00'), (1, 1, 1, '2041-02-01 00:00:00+00')
                RETURNING tableoid::regclass::text
                """));
    }

    [Fact]
    public async Task EnsureMonthlyAsync_RowsOfFarMonthsInDefault_MovesThemIntoTheirPartitions()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO price_history (store_id, product_id, price, unit_price, changed_at, file_log_id) VALUES
                (1, 1, 1.50, 0.3000, '2045-07-04 12:00+00', 5),
                (1, 2, 2.50, NULL, '2045-07-31 23:59:59+00', 6),
                (1, 3, 3.50, NULL, '2045-09-01 00:00+00', 7)
            """);
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM partitions.price_history_default"));
        var before = await HistoryRowsAsync(dataSource);

        // "Now" is in 2045-07: its month is due anyway; 2045-09 is beyond monthsAhead but has rows waiting, so it is made too.
        var report = await PgPartitions.EnsureMonthlyAsync(dataSource, new DateTimeOffset(2045, 7, 20, 0, 0, 0, TimeSpan.Zero), 0, CancellationToken.None);

        Assert.Equal(["price_history_2045_07", "price_history_2045_09"], report.Created);
        Assert.Equal(3, report.RowsMovedFromDefault);
        Assert.Equal(before, await HistoryRowsAsync(dataSource));
        Assert.Equal(
            ["partitions.price_history_2045_07", "partitions.price_history_2045_07", "partitions.price_history_2045_09"],
            await connection.QueryAsync<string>("SELECT tableoid::regclass::text FROM price_history WHERE changed_at >= '2045-01-01' ORDER BY changed_at"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM partitions.price_history_default"));
    }

    [Fact]
    public async Task WriterAfterMigration_ChangedPrices_StillAppendsHistory()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();

        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(50)]);
        time.Advance(TimeSpan.FromHours(1));
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(50, basePrice: 2m)]);

        Assert.Equal(100, await TestData.CountAsync(dataSource, "price_history"));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(
            [(TestData.Noon.UtcDateTime, 50L), (TestData.Noon.AddHours(1).UtcDateTime, 50L)],
            (await connection.QueryAsync<(DateTime, long)>(
                "SELECT changed_at, count(*) FROM price_history GROUP BY changed_at ORDER BY changed_at")).ToList());
    }

    /// <summary>Applies migrations after <paramref name="after"/> up to <paramref name="through"/> as the migrator would.</summary>
    internal static async Task ApplyMigrationsAsync(NpgsqlDataSource dataSource, int through, int after = 0)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var migration in Migrator.All.Where(m => m.Version > after && m.Version <= through))
        {
            var resource = $"Gogobe.Storage.Migrations.{migration.Version:0000}_{migration.Name}.sql";
            await using var stream = typeof(Migrator).Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            await connection.ExecuteAsync(await reader.ReadToEndAsync());
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)", migration);
        }
    }

    /// <summary>Rows across several months, one far in the past, one on a month boundary, with nulls and decimals.</summary>
    private static async Task InsertHistoryAcrossMonthsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO price_history (store_id, product_id, price, unit_price, price_updated_at, changed_at, file_log_id) VALUES
                (1, 10, 9.90, 1.9800, '2026-03-10 08:30', '2026-03-10 10:00+00', 7),
                (1, 11, 5.00, NULL, NULL, '2026-03-31 23:59:59.999+00', NULL),
                (2, 10, 12.34, 0.1234, '2026-04-01 00:00', '2026-04-01 00:00+00', 8),
                (3, 99, 0.01, NULL, NULL, '2019-07-04 12:00+00', 1)
            """);
    }

    internal static async Task<List<string>> PartitionsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'price_history'::regclass ORDER BY c.relname")];
    }

    private static async Task<List<HistoryRow>> HistoryRowsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<HistoryRow>(
            """
            SELECT store_id AS StoreId, product_id AS ProductId, price::text AS Price, unit_price::text AS UnitPrice,
                   price_updated_at::text AS PriceUpdatedAt, changed_at AS ChangedAt, file_log_id AS FileLogId
            FROM price_history ORDER BY changed_at, store_id, product_id
            """)];
    }

    /// <summary>As <see cref="HistoryRowsAsync"/>, with the id the table had until migration 0006.</summary>
    private static async Task<List<(long Id, HistoryRow Row)>> HistoryRowsWithIdsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. (await connection.QueryAsync<long, HistoryRow, (long, HistoryRow)>(
            """
            SELECT id AS Id, store_id AS StoreId, product_id AS ProductId, price::text AS Price, unit_price::text AS UnitPrice,
                   price_updated_at::text AS PriceUpdatedAt, changed_at AS ChangedAt, file_log_id AS FileLogId
            FROM price_history ORDER BY id
            """,
            static (id, row) => (id, row),
            splitOn: "StoreId"))];
    }

    private sealed record HistoryRow(int StoreId, long ProductId, string Price, string? UnitPrice, string? PriceUpdatedAt, DateTime ChangedAt, long? FileLogId);
}
