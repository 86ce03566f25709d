using System.Globalization;
using System.Text.Json;
using Dapper;
using Gogobe.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Gogobe.Storage.Tests;

/// <summary>
/// The fleet query (<see cref="PgStatusQueries.LatestPerChainSql"/>) over a log far bigger than the other tests use:
/// same answer as the plain DISTINCT ON, served by the (source, started_at DESC) index without reading the table.
/// <see cref="MeasureAsync"/> prints sizes and plans; the year-scale figures in docs/RETENTION.md come from the same
/// queries run by hand on 5.5M rows.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class FleetQueryPlanTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const string DistinctOnSql = """
        SELECT DISTINCT ON (source) source, file_name, status, started_at, id
        FROM file_processing_log
        ORDER BY source, started_at DESC, id DESC
        """;

    [Fact]
    public async Task LatestPerChainSql_200kLogRows_SameAsDistinctOnThroughIndexUnder50ms()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        // 25 sources × 8,000 files; in every source the two newest files share a start time (the id breaks the tie).
        await connection.ExecuteAsync(
            """
            INSERT INTO file_processing_log (run_id, source, chain_id, store_id, file_name, file_type, status, started_at, finished_at)
            SELECT gen_random_uuid(), 'Chain ' || lpad(c::text, 2, '0'), '72900000000' || lpad(c::text, 2, '0'), n % 100,
                   'f-' || c || '-' || n, 'PriceFull', CASE WHEN n % 7 = 0 THEN 'failed' ELSE 'completed' END,
                   timestamptz '2026-01-01 00:00+00' + least(n, 7999) * interval '1 minute' + c * interval '1 second',
                   timestamptz '2026-01-01 00:05+00' + n * interval '1 minute'
            FROM generate_series(1, 8000) n CROSS JOIN generate_series(1, 25) c
            ORDER BY n, c
            """);
        await connection.ExecuteAsync("VACUUM ANALYZE file_processing_log");

        var expected = (await connection.QueryAsync<(string Source, string FileName)>(
            "SELECT source, file_name FROM (" + DistinctOnSql + ") d ORDER BY source")).ToList();
        var actual = await new PgStatusQueries(dataSource).LatestPerChainAsync(CancellationToken.None);

        Assert.Equal(25, expected.Count);
        Assert.Equal(expected, actual.Select(a => (a.Source, a.FileName)));
        Assert.All(actual, a => Assert.EndsWith("-8000", a.FileName, StringComparison.Ordinal));

        var plan = await MeasureAsync(connection, output);
        Assert.Contains("file_processing_log_source_started_idx", plan.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan.Text, StringComparison.Ordinal);
        Assert.True(plan.ExecutionMs < 50, $"fleet query took {plan.ExecutionMs} ms");
    }

    /// <summary>Prints the log's sizes and the fleet query's plans (DISTINCT ON before, skip scan now) and returns the skip scan's.</summary>
    internal static async Task<(string Text, double ExecutionMs)> MeasureAsync(NpgsqlConnection connection, ITestOutputHelper output)
    {
        var rows = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM file_processing_log");
        var total = await connection.ExecuteScalarAsync<long>("SELECT pg_total_relation_size('file_processing_log')");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file_processing_log: {rows:N0} rows, {total / 1048576.0:N1} MiB with indexes, {(double)total / rows:N0} B/row"));
        foreach (var (name, size) in await connection.QueryAsync<(string, long)>(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index WHERE indrelid = 'file_processing_log'::regclass ORDER BY 1"))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {size / 1048576.0:N1} MiB"));
        }

        var before = await ExplainAsync(connection, DistinctOnSql);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DISTINCT ON: {before.ExecutionMs:N2} ms"));
        var after = await ExplainAsync(connection, PgStatusQueries.LatestPerChainSql);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"skip scan:   {after.ExecutionMs:N2} ms"));
        output.WriteLine(after.Text);
        return after;
    }

    private static async Task<(string Text, double ExecutionMs)> ExplainAsync(NpgsqlConnection connection, string sql)
    {
        // Warm once, so the figure is the steady state the dashboard sees every few seconds.
        await connection.ExecuteAsync("EXPLAIN (ANALYZE) " + sql);
        var json = await connection.ExecuteScalarAsync<string>("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql);
        using var document = JsonDocument.Parse(json!);
        var executionMs = document.RootElement[0].GetProperty("Execution Time").GetDouble();
        return (json!, executionMs);
    }
}
