using Gogobe.Host.Cli;
using Gogobe.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using Spectre.Console;

namespace Gogobe.Host.Hosting;

/// <summary>The process's database: the migrated database, its data source and the storage services built on it.</summary>
internal sealed class AppDatabase : IAsyncDisposable
{
    private readonly GogobeDatabase _database;

    private AppDatabase(GogobeDatabase database, TimeProvider time)
    {
        _database = database;
        DataSource = NpgsqlDataSource.Create(database.ConnectionString);
        FileLog = new PgFileLog(DataSource, time);
        PriceSink = new PgPriceSink(DataSource, time);
        Status = new PgStatusQueries(DataSource);
        Jobs = new PgJobStore(DataSource);
        ProbeDataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false, Timeout = 3, CommandTimeout = 3,
        }.ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Description = $"{builder.Database} on {builder.Host}:{builder.Port}"
            + (database.Cluster is { } cluster ? $" (local cluster {cluster.DataDirectory}{(cluster.Owned ? string.Empty : ", already running")})" : string.Empty);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The migrated database's connection string (holds the password: never print it).</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>
    /// Unpooled, with short timeouts, for health probes: a stopped server must read as unhealthy within seconds, and a
    /// pooled connection that died with the server must not be handed to the probe after it comes back.
    /// </summary>
    public NpgsqlDataSource ProbeDataSource { get; }

    public PgFileLog FileLog { get; }

    public PgPriceSink PriceSink { get; }

    public PgStatusQueries Status { get; }

    /// <summary>Durable runs and tasks (the supervisor).</summary>
    public PgJobStore Jobs { get; }

    /// <summary>Where the data goes, for humans (no password).</summary>
    public string Description { get; }

    public static async Task<AppDatabase> OpenAsync(
        string? connectionString, string dataDirectory, bool demo, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var database = await GogobeDatabase.OpenAsync(
            connectionString, Path.GetFullPath(dataDirectory), CommonOptions.DatabaseName(connectionString, demo),
            loggerFactory.CreateLogger<GogobeDatabase>(), cancellationToken).ConfigureAwait(false);
        return new AppDatabase(database, TimeProvider.System);
    }

    /// <summary>
    /// Opens the database, or says in one line why it cannot (PostgreSQL missing, server unreachable, bad
    /// connection string) and returns null: an operator needs the cause, not a stack trace.
    /// </summary>
    public static async Task<AppDatabase?> OpenOrReportAsync(
        string? connectionString, string dataDirectory, bool demo, ILoggerFactory loggerFactory, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            return await OpenAsync(connectionString, dataDirectory, demo, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PostgresClusterException or NpgsqlException or ArgumentException)
        {
            console.MarkupLine($"[red]Database unavailable:[/] {Markup.Escape(ex.Message)}");
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        await ProbeDataSource.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }
}
