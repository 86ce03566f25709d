using System.Diagnostics;
using Dapper;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Simulator;
using Gogobe.Storage;
using Gogobe.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary>Several real <c>gogobe worker</c> processes on one database: work split exactly once, and a kill -9 survived.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class SupervisorProcessTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task TwoWorkerProcesses_DemoRun_EveryTaskDoneExactlyOnce()
    {
        var chains = ScraperRegistry.Discover().Select(["Rami Levy", "Osher Ad", "Yohananof", "Super Cofix"]);
        await using var harness = await SupervisorHarness.StartAsync(postgres, chains, stores: 2, items: 2_000);
        await using var a = WorkerProcess.Start(harness.ConnectionString, "--idle-exit", "4");
        await using var b = WorkerProcess.Start(harness.ConnectionString, "--idle-exit", "4");
        // Both must be up before the work appears, or the first alone could take it all.
        await SupervisorHarness.UntilAsync(() => harness.ScalarAsync("SELECT count(*) FROM workers"), n => n == 2, Patience, "both workers register");

        var run = await harness.SubmitAsync();
        var ended = await harness.UntilRunEndsAsync(run.Id, Patience);

        output.WriteLine(a.Output);
        output.WriteLine(b.Output);
        Assert.Equal(JobState.Succeeded, ended.State);
        var tasks = await harness.Store.ListTasksAsync(run.Id, null, 100, CancellationToken.None);
        Assert.Equal(4, tasks.Count);
        Assert.All(tasks, t => Assert.Equal((JobState.Succeeded, 1), (t.State, t.Attempt)));
        var pids = tasks.Select(t => t.WorkerId!.Split(':')[1]).Distinct().ToList();
        Assert.Equal(2, pids.Count);
        Assert.Contains(a.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), pids);
        // Per chain: a Stores file, and PriceFull, Price, PromoFull, Promo per store; each written once, none failed.
        Assert.Equal(4 * (1 + (2 * 4)), await harness.ScalarAsync("SELECT count(*) FROM file_processing_log WHERE status = 'completed'"));
        Assert.Equal(0, await harness.ScalarAsync(
            "SELECT count(*) FROM (SELECT chain_id, file_name FROM file_processing_log WHERE status = 'completed' GROUP BY 1, 2 HAVING count(*) > 1) d"));
        Assert.Equal(0, await harness.ScalarAsync("SELECT count(*) FROM file_processing_log WHERE status <> 'completed'"));
        Assert.Equal(0, await a.WaitForExitAsync(Patience));
        Assert.Equal(0, await b.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task KillDashNine_WorkerMidFile_OrphanedWithin12sRequeuedAndResultIdenticalToCleanRun()
    {
        var chains = ScraperRegistry.Discover().Select(["Rami Levy", "Osher Ad"]);
        await using var harness = await SupervisorHarness.StartAsync(postgres, chains, stores: 2, items: 40_000);
        // Production timings (heartbeat 2 s, orphan after 10 s): those are what the 12 s promise is about.
        await using var victim = WorkerProcess.Start(harness.ConnectionString);
        // The survivor must outlive the orphan window (10 s without a heartbeat, up to 12 s after the kill) even when it
        // finishes its own chain right after the kill: with a 5 s idle exit it sometimes left before anyone could rescue.
        await using var survivor = WorkerProcess.Start(harness.ConnectionString, "--idle-exit", "30");
        await SupervisorHarness.UntilAsync(() => harness.ScalarAsync("SELECT count(*) FROM workers"), n => n == 2, Patience, "both workers register");
        var run = await harness.SubmitAsync();

        // Wait until the victim is writing a price file of its task, then kill it without warning.
        var victimId = $":{victim.Pid}:";
        var task = await SupervisorHarness.UntilAsync(
            async () =>
            {
                await using var connection = await harness.DataSource.OpenConnectionAsync();
                return await connection.QuerySingleOrDefaultAsync<Guid?>(
                    """
                    SELECT t.id FROM tasks t JOIN file_processing_log f ON f.chain_id = t.chain_id AND f.run_id = t.run_id
                    WHERE t.state = 'RUNNING' AND t.worker_id LIKE '%' || @victimId || '%' AND f.status = 'processing'
                      AND f.file_type IN ('PriceFull', 'Price')
                    LIMIT 1
                    """,
                    new { victimId });
            },
            id => id is not null, Patience, "the victim writes a price file");
        victim.KillHard();
        var killed = Stopwatch.StartNew();

        var requeued = await SupervisorHarness.UntilAsync(
            async () => (TaskRecord?)await harness.Store.GetTaskAsync(task!.Value, CancellationToken.None),
            t => t.Attempt == 2, TimeSpan.FromSeconds(30), "the killed worker's task is requeued");
        var orphanedAfter = killed.Elapsed;
        output.WriteLine($"orphaned and requeued {orphanedAfter.TotalSeconds:F1} s after kill -9");
        Assert.True(orphanedAfter <= TimeSpan.FromSeconds(12), $"orphaned after {orphanedAfter}");
        Assert.Contains("heartbeat lost", requeued.Reason, StringComparison.Ordinal);

        var ended = await harness.UntilRunEndsAsync(run.Id, Patience);
        output.WriteLine(survivor.Output);
        Assert.Equal(JobState.Succeeded, ended.State);
        var rescued = await harness.Store.GetTaskAsync(task!.Value, CancellationToken.None);
        Assert.Equal(JobState.Succeeded, rescued!.State);
        Assert.Equal(2, rescued.Attempt);
        Assert.Contains($":{survivor.Pid}:", rescued.WorkerId, StringComparison.Ordinal);

        // The same world scraped once, cleanly, into another database: the data must be identical row for row.
        var clean = await postgres.CreateDatabaseAsync();
        await using (var cleanSource = NpgsqlDataSource.Create(clean))
        {
            var orchestrator = new Orchestrator(new PgFileLog(cleanSource, TimeProvider.System), new PgPriceSink(cleanSource, TimeProvider.System),
                TimeProvider.System, NullLoggerFactory.Instance);
            var report = await orchestrator.RunAsync(chains, new RunOptions
            {
                PortalAddress = harness.Simulator!.MapPortal,
                HttpClientFactory = _ => new HttpClient(new SocketsHttpHandler { CookieContainer = new() }),
            }, observer: null, CancellationToken.None);
            Assert.True(report.Succeeded);
            var expectedPrices = await RowsAsync(cleanSource, PricesSql);
            var expectedHistory = await RowsAsync(cleanSource, HistorySql);
            Assert.Equal(2 * 2 * 40_000, expectedPrices.Count);
            Assert.Equal(expectedPrices, await RowsAsync(harness.DataSource, PricesSql));
            Assert.Equal(expectedHistory, await RowsAsync(harness.DataSource, HistorySql));
        }
    }

    private const string PricesSql =
        """
        SELECT concat_ws('|', s.chain_id, s.store_code, p.product_key, pr.price, pr.unit_price, pr.allow_discount, pr.item_status, pr.price_updated_at)
        FROM prices pr JOIN stores s ON s.id = pr.store_id JOIN products p ON p.id = pr.product_id
        ORDER BY 1
        """;

    private const string HistorySql =
        """
        SELECT concat_ws('|', s.chain_id, s.store_code, p.product_key, h.price, h.unit_price, h.price_updated_at)
        FROM price_history h JOIN stores s ON s.id = h.store_id JOIN products p ON p.id = h.product_id
        ORDER BY 1
        """;

    private static async Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(sql)];
    }
}
