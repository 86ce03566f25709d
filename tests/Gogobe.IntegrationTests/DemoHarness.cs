using Dapper;
using Gogobe.Core;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Simulator;
using Gogobe.Storage;
using Gogobe.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gogobe.IntegrationTests;

/// <summary>
/// The real pipeline end to end for a test: the portal simulator on loopback, a fresh database of its own on the
/// fixture's PostgreSQL cluster, and the orchestrator with the PostgreSQL file log and price sink. Time is fixed so
/// "today" (the daily pass) and the simulator's day agree.
/// </summary>
internal sealed class DemoHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private DemoHarness(PortalSimulator simulator, NpgsqlDataSource dataSource, FixedTimeProvider time, IReadOnlyList<SupermarketScraper> scrapers)
    {
        Simulator = simulator;
        DataSource = dataSource;
        Time = time;
        Scrapers = scrapers;
    }

    public PortalSimulator Simulator { get; }

    public SimulatedWorld World => Simulator.World;

    public NpgsqlDataSource DataSource { get; }

    public FixedTimeProvider Time { get; }

    public IReadOnlyList<SupermarketScraper> Scrapers { get; }

    public static async Task<DemoHarness> StartAsync(
        PostgresFixture postgres, IReadOnlyList<SupermarketScraper> scrapers, int stores, int items, Action<SimulatorOptions>? configure = null)
    {
        var time = new FixedTimeProvider(Noon);
        var options = new SimulatorOptions
        {
            Seed = 7,
            Chains = [.. scrapers.Select(s => new SimulatedChain(s.Chain, s.Portal))],
            StoresPerChain = stores,
            ItemsPerStore = items,
            Day = IsraelClock.Today(time),
        };
        configure?.Invoke(options);
        var simulator = await PortalSimulator.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        var connectionString = await postgres.CreateDatabaseAsync();
        return new DemoHarness(simulator, NpgsqlDataSource.Create(connectionString), time, scrapers);
    }

    public static IReadOnlyList<SupermarketScraper> Chains(params string[] names) => ScraperRegistry.Discover().Select(names);

    /// <param name="portalAddress">Where the scrapers go instead of the simulator (the FTPS tests' vsftpd).</param>
    /// <param name="certificatePins">Certificate pins by host, for a self-signed test server.</param>
    public Task<RunReport> RunAsync(
        bool force = false, IRunObserver? observer = null, int batchSize = 5_000, Func<Uri, Uri>? portalAddress = null,
        IReadOnlyDictionary<string, string>? certificatePins = null)
    {
        var orchestrator = new Orchestrator(new PgFileLog(DataSource, Time), new PgPriceSink(DataSource, Time), Time, NullLoggerFactory.Instance);
        return orchestrator.RunAsync(
            Scrapers,
            new RunOptions
            {
                Force = force,
                BatchSize = batchSize,
                PortalAddress = portalAddress ?? Simulator.MapPortal,
                CertificatePins = certificatePins ?? new Dictionary<string, string>(),
                HttpClientFactory = _ => new HttpClient(new SocketsHttpHandler { CookieContainer = new() }),
            },
            observer,
            CancellationToken.None);
    }

    /// <summary>The current prices of one store as the database holds them: product key → price.</summary>
    public async Task<Dictionary<string, decimal>> PricesAsync(string chainId, int storeId)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Key, decimal Price)>(
            """
            SELECT p.product_key, pr.price
            FROM prices pr JOIN stores s ON s.id = pr.store_id JOIN products p ON p.id = pr.product_id
            WHERE s.chain_id = @chainId AND s.store_code = @storeId
            """,
            new { chainId, storeId });
        return rows.ToDictionary(r => r.Key, r => r.Price, StringComparer.Ordinal);
    }

    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public async Task<string?> TextAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>(sql, parameters);
    }

    public async Task<List<(string FileName, string Status, string? Error)>> FileLogAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<(string, string, string?)>("SELECT file_name, status, error FROM file_processing_log ORDER BY id")];
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
