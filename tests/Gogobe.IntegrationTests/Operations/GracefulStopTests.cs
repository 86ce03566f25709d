using System.Diagnostics;
using Dapper;
using Gogobe.Host.Hosting;
using Gogobe.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests.Operations;

/// <summary>
/// SIGTERM to a real <c>gogobe run --demo</c> on a real database: it stops within the grace period with the "stopped"
/// exit code, leaves no file 'processing', and a second run (same day, not forced) finishes the rest, with prices and
/// price history identical to a clean run's.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class GracefulStopTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int GraceSeconds = 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private static readonly string[] DemoArguments = ["run", "--demo", "--chains", "2", "--stores", "2", "--items", "10000", "--parallel", "2", "--log-dir", ""];

    [Fact]
    public async Task Run_Sigterm_StopsCleanlyAndNextRunFinishesTheRest()
    {
        var interrupted = await postgres.CreateDatabaseAsync();
        var env = Environment(interrupted);

        using var run = GogobeChild.Start(env, DemoArguments);
        await WaitForMidRunAsync(interrupted, run);
        Assert.True(ChildSignals.Terminate(run.Process.Id), "SIGTERM sent");
        var signalled = Stopwatch.StartNew();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(GraceSeconds + 10)))
        {
            await run.Process.WaitForExitAsync(wait.Token);
        }

        output.WriteLine(run.Output);
        output.WriteLine($"exited {run.Process.ExitCode} {signalled.Elapsed.TotalSeconds:F1} s after SIGTERM");
        Assert.Equal(5, run.Process.ExitCode);
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(GraceSeconds), $"took {signalled.Elapsed} to stop");
        Assert.Contains("Stopped (SIGTERM)", run.Output, StringComparison.Ordinal);

        var statuses = await StatusCountsAsync(interrupted);
        output.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}")));
        Assert.False(statuses.ContainsKey("processing"), "no file left 'processing'");
        Assert.True(statuses.GetValueOrDefault("completed") > 0, "the run was stopped mid-way, after some files completed");
        var cancelled = await ScalarAsync(interrupted, "SELECT count(*) FROM file_processing_log WHERE status = 'failed' AND error LIKE 'cancelled%'");
        Assert.True(cancelled > 0, "the open files were rolled back and marked failed with the reason");

        var resumed = await GogobeProcess.RunAsync(env, Timeout, DemoArguments);
        output.WriteLine(resumed.Output);
        Assert.Equal(0, resumed.ExitCode);

        var clean = await postgres.CreateDatabaseAsync();
        var reference = await GogobeProcess.RunAsync(Environment(clean), Timeout, DemoArguments);
        Assert.Equal(0, reference.ExitCode);

        var expectedPrices = await PricesAsync(clean);
        Assert.True(expectedPrices.Count > 5_000, $"{expectedPrices.Count} prices");
        Assert.Equal(expectedPrices, await PricesAsync(interrupted));
        Assert.Equal(await HistoryAsync(clean), await HistoryAsync(interrupted));
        // Each store's files completed exactly once over the two runs: nothing skipped for good, nothing done twice.
        Assert.Equal(
            await ScalarAsync(clean, "SELECT count(*) FROM file_processing_log WHERE status = 'completed'"),
            await ScalarAsync(interrupted, "SELECT count(*) FROM file_processing_log WHERE status = 'completed'"));
    }

    private static Dictionary<string, string> Environment(string database) => new()
    {
        ["GOGOBE_DB"] = database,
        ["Gogobe__Shutdown__GraceSeconds"] = GraceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Until at least one file completed and another is being written.</summary>
    private static async Task WaitForMidRunAsync(string database, GogobeChild run)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            Assert.False(run.Process.HasExited, "the run ended before it could be stopped mid-way:" + System.Environment.NewLine + run.Output);
            try
            {
                var counts = await StatusCountsAsync(database);
                if (counts.GetValueOrDefault("completed") >= 2 && counts.GetValueOrDefault("processing") >= 1)
                {
                    return;
                }
            }
            catch (PostgresException)
            {
                // The run creates the tables it needs first (migrations run at start).
            }

            await Task.Delay(25, timeout.Token);
        }
    }

    private static async Task<Dictionary<string, long>> StatusCountsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        var rows = await connection.QueryAsync<(string Status, long Count)>("SELECT status, count(*) FROM file_processing_log GROUP BY status");
        return rows.ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal);
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    /// <summary>Current prices by natural keys (surrogate ids differ between databases).</summary>
    private static async Task<Dictionary<string, decimal>> PricesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        var rows = await connection.QueryAsync<(string Key, decimal Price)>(
            """
            SELECT s.chain_id || '/' || s.store_code || '/' || p.product_key, pr.price
            FROM prices pr JOIN stores s ON s.id = pr.store_id JOIN products p ON p.id = pr.product_id
            """);
        return rows.ToDictionary(r => r.Key, r => r.Price, StringComparer.Ordinal);
    }

    /// <summary>The price history as a sorted list of (store, product, price) rows: every change, once.</summary>
    private static async Task<List<string>> HistoryAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        var rows = await connection.QueryAsync<string>(
            """
            SELECT s.chain_id || '/' || s.store_code || '/' || p.product_key || '=' || h.price
            FROM price_history h JOIN stores s ON s.id = h.store_id JOIN products p ON p.id = h.product_id
            ORDER BY 1
            """);
        return [.. rows];
    }
}
