using Dapper;
using Gogobe.Core;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Simulator;
using Gogobe.Storage;
using Gogobe.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gogobe.IntegrationTests;

/// <summary>
/// A database of its own, the job store on it, the portal simulator for the simulated chains, and in-process worker
/// loops (the same <see cref="JobWorker"/> that <c>gogobe worker</c> runs). Real time: heartbeats and timeouts are real.
/// </summary>
internal sealed class SupervisorHarness : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task Loop)> _workers = [];

    private SupervisorHarness(string connectionString, PortalSimulator? simulator, IReadOnlyList<SupermarketScraper> scrapers, DemoWorld? world)
    {
        World = world;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Store = new PgJobStore(DataSource);
        Simulator = simulator;
        Scrapers = scrapers;
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public PgJobStore Store { get; }

    public PortalSimulator? Simulator { get; }

    public IReadOnlyList<SupermarketScraper> Scrapers { get; }

    /// <summary>What the simulator serves, stored with each run: a `gogobe worker` process serves the same from it.</summary>
    public DemoWorld? World { get; }

    /// <summary>Starts the harness; the simulator serves the chains of <paramref name="scrapers"/> it can (Cerberus and Shufersal families).</summary>
    public static async Task<SupervisorHarness> StartAsync(PostgresFixture postgres, IReadOnlyList<SupermarketScraper> scrapers, int stores = 1, int items = 500)
    {
        var simulated = scrapers.Where(s => s.Portal.Family is PortalFamilies.Cerberus or PortalFamilies.ShufersalHtml).ToList();
        var world = new DemoWorld(stores, items, Seed: 11, IsraelClock.Today(TimeProvider.System));
        var simulator = simulated.Count == 0
            ? null
            : await PortalSimulator.StartAsync(
                new SimulatorOptions
                {
                    Seed = world.Seed,
                    Chains = [.. simulated.Select(s => new SimulatedChain(s.Chain, s.Portal))],
                    StoresPerChain = world.StoresPerChain,
                    ItemsPerStore = world.ItemsPerStore,
                    Day = world.Day,
                },
                NullLoggerFactory.Instance, CancellationToken.None);
        // Worker processes rebuild the demo world from the run's settings, so it is stored only when every chain is simulated.
        return new SupervisorHarness(await postgres.CreateDatabaseAsync(), simulator, scrapers, simulated.Count == scrapers.Count ? world : null);
    }

    public Task<RunRecord> SubmitAsync(int maxAttempts = 3, TimeSpan? taskTimeout = null) =>
        Store.SubmitRunAsync(
            new RunSubmission(
                Guid.CreateVersion7(),
                new JobSettings(false, 5_000, 0.2, null, World, [.. Scrapers.Select(s => s.Chain.Id)]),
                [.. Scrapers.Select(s => new TaskSpec(s.Chain.Id, s.Chain.Name))],
                maxAttempts,
                taskTimeout ?? TimeSpan.FromMinutes(5),
                "test"),
            CancellationToken.None);

    /// <summary>Starts <paramref name="loops"/> worker loops in this process; they stop when the harness is disposed.</summary>
    public void StartWorkers(int loops, SupervisorOptions options)
    {
        var orchestrator = new Orchestrator(new PgFileLog(DataSource, TimeProvider.System), new PgPriceSink(DataSource, TimeProvider.System),
            TimeProvider.System, NullLoggerFactory.Instance);
        for (var n = 0; n < loops; n++)
        {
            var worker = new JobWorker($"test:{Environment.ProcessId}:{_workers.Count + 1}", Store, orchestrator, Scrapers, Options, options,
                TimeProvider.System, NullLoggerFactory.Instance);
            var stop = new CancellationTokenSource();
            _workers.Add((stop, Task.Run(() => worker.RunAsync(new WorkerLimits(), stop.Token))));
        }
    }

    /// <summary>Stops every worker loop started so far, gracefully (as Ctrl+C stops `gogobe worker`), and waits for them.</summary>
    public async Task StopWorkersAsync()
    {
        foreach (var (stop, _) in _workers)
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(_workers.Select(w => w.Loop));
        foreach (var (stop, _) in _workers)
        {
            stop.Dispose();
        }

        _workers.Clear();
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="patience"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, Func<T, bool> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value && condition(value))
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Not within {patience}: {what}");
    }

    public Task<RunRecord> UntilRunEndsAsync(Guid runId, TimeSpan patience) =>
        UntilAsync(() => Store.GetRunAsync(runId, CancellationToken.None), r => r.State.IsTerminal(), patience, $"run {runId} ends");

    public async Task<TaskRecord> TaskOfAsync(Guid runId, string chainId) =>
        (await Store.ListTasksAsync(runId, null, 100, CancellationToken.None)).Single(t => t.ChainId == chainId);

    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkersAsync();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        await DataSource.DisposeAsync();
    }

    /// <summary>The harness's own simulator stands in for every simulated chain's portal.</summary>
    private ValueTask<RunOptions> Options(JobSettings settings, CancellationToken cancellationToken) => ValueTask.FromResult(new RunOptions
    {
        Force = settings.Force,
        BatchSize = settings.BatchSize,
        MaxRejectedShare = settings.MaxRejectedShare,
        PortalAddress = Simulator is { } simulator ? simulator.MapPortal : null,
        HttpClientFactory = _ => new HttpClient(new SocketsHttpHandler { CookieContainer = new() }),
    });
}
