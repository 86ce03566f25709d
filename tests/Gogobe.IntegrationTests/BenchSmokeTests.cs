using System.Text.Json;
using Gogobe.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary>
/// <c>gogobe bench</c> at a tiny scale, as CI runs it: it completes, writes its three result files, and its counts are
/// the simulated day's (not its speed: CI machines vary).
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class BenchSmokeTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Bench_TinyScale_CompletesWithTheDaysCounts()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gogobe-bench-{Guid.NewGuid():N}");
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };

        // Scale 0.001: 3 stores of one chain, 1,000 items each (plus ~2 % in-file duplicates).
        var result = await GogobeProcess.RunAsync(env, TimeSpan.FromMinutes(4), "bench", "--scale", "0.001", "--out", folder, "--name", "smoke");

        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(File.Exists(Path.Combine(folder, "smoke.md")));
        Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(folder, "smoke.svg")), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "smoke.json")));
        var root = json.RootElement;
        var scale = root.GetProperty("Scale");
        Assert.Equal(1, scale.GetProperty("Chains").GetInt32());
        Assert.Equal(3, scale.GetProperty("StoresPerChain").GetInt32());
        Assert.Equal(1_000, scale.GetProperty("ItemsPerStore").GetInt32());
        var day = root.GetProperty("Day");
        Assert.Equal(3_000, day.GetProperty("DistinctRows").GetInt64());
        var rowsInFiles = day.GetProperty("RowsInFiles").GetInt64();
        Assert.InRange(rowsInFiles, 3_001, 3_300);

        var scenarios = root.GetProperty("Scenarios").EnumerateArray().ToArray();
        Assert.Equal(3, scenarios.Length);
        var (first, again, next) = (scenarios[0], scenarios[1], scenarios[2]);

        // The simulator ran in its own process (its memory is not Gogobe's), and that process was measured beside it.
        Assert.All(scenarios, s => Assert.InRange(s.GetProperty("SimulatorPeakRssMegabytes").GetDouble(), 10, 4_000));

        // First day: one Stores file and three PriceFull files, every row read, every distinct price (and the three stores) new.
        Assert.Equal(4, first.GetProperty("FilesCompleted").GetInt32());
        Assert.Equal(0, first.GetProperty("FilesFailed").GetInt32());
        Assert.Equal(rowsInFiles + 3, first.GetProperty("RowsRead").GetInt64());
        Assert.Equal(3_003, first.GetProperty("RowsChanged").GetInt64());
        Assert.Equal(3_000, first.GetProperty("PricesInDatabase").GetInt64());
        Assert.Equal(3_000, first.GetProperty("HistoryRowsInDatabase").GetInt64());

        // Same day again: one pass daily skips all four files.
        Assert.Equal(0, again.GetProperty("FilesCompleted").GetInt32());
        Assert.Equal(4, again.GetProperty("FilesSkipped").GetInt32());
        Assert.Equal(0, again.GetProperty("RowsRead").GetInt64());

        // Next day, forced: exactly the simulator's changed prices are written, each appended to history.
        var expected = next.GetProperty("ExpectedRowsChanged").GetInt64();
        Assert.InRange(expected, 100, 200);
        Assert.Equal(expected, next.GetProperty("RowsChanged").GetInt64());
        Assert.Equal(3_000 + expected, next.GetProperty("HistoryRowsInDatabase").GetInt64());
        Assert.Equal(0, next.GetProperty("FilesFailed").GetInt32());

        // The reader alone and every write path saw the same rows and left the same prices.
        Assert.Equal(rowsInFiles, root.GetProperty("ParseOnly").GetProperty("Rows").GetInt64());
        Assert.True(root.GetProperty("ParseOnly").GetProperty("SameRowCount").GetBoolean()); // fast and XmlReader parsers
        var baselines = root.GetProperty("Baselines").EnumerateArray().ToArray();
        Assert.Equal(4, baselines.Length);
        Assert.All(baselines, b =>
        {
            Assert.Equal(rowsInFiles, b.GetProperty("Rows").GetInt64());
            Assert.Equal(3_000, b.GetProperty("PricesInDatabase").GetInt64());
            Assert.Equal(3_000, b.GetProperty("HistoryRowsInDatabase").GetInt64());
        });
        Assert.NotEmpty(root.GetProperty("Ratios").EnumerateArray());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Bench_WhileAnotherHoldsTheServer_RefusesAndDropsNothing()
    {
        // A running benchmark holds the server's lock for its databases (prefix: the --db database's name + "_bench");
        // this test holds it the same way. A second benchmark must refuse at once, not drop the running one's databases.
        var connectionString = await postgres.CreateDatabaseAsync();
        var prefix = new NpgsqlConnectionStringBuilder(connectionString).Database + "_bench";
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ToString();
        await using var holder = new NpgsqlConnection(maintenance);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('gogobe.bench:' || $1))", holder))
        {
            take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
            Assert.Equal(true, await take.ExecuteScalarAsync());
        }

        // The running benchmark's main database is the prefix itself: a refused one used to drop it on its way out.
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{prefix}\"", holder))
        {
            await create.ExecuteNonQueryAsync();
        }

        var folder = Path.Combine(Path.GetTempPath(), $"gogobe-bench-{Guid.NewGuid():N}");
        var result = await GogobeProcess.RunAsync(
            new Dictionary<string, string> { ["GOGOBE_DB"] = connectionString }, TimeSpan.FromMinutes(2), "bench", "--scale", "0.001", "--out", folder, "--name", "busy");

        output.WriteLine(result.Output);
        Assert.Equal(3, result.ExitCode);
        Assert.Matches(@"Benchmark\s+not\s+started:(?s).*Another\s+benchmark\s+is\s+running", result.Output);
        Assert.False(Directory.Exists(folder));
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", holder);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
        Assert.Equal(1L, await exists.ExecuteScalarAsync());
    }

    [Fact]
    public async Task BenchParseOnly_TinyScale_ComparesBothParsersWithoutADatabase()
    {
        var result = await GogobeProcess.RunAsync(
            new Dictionary<string, string>(), TimeSpan.FromMinutes(2), "bench", "--parse-only", "--scale", "0.001", "--data-dir", Path.GetTempPath());

        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        // The console may wrap the line: any whitespace between words.
        Assert.Matches(@"Parse\s+only,\s+3\s+files,\s+3,\d{3}\s+rows:\s+fast\s+parser\s+[\d,]+\s+rows/s(?s).*XmlReader\s+parser\s+[\d,]+\s+rows/s", result.Output);
    }
}
