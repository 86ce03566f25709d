using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// Finds or makes Gogobe's database: an explicit server (<c>GOGOBE_DB</c>) or, when none is given, the
/// application's own <see cref="PostgresCluster"/> under the data folder. The database is created when missing
/// and migrated. Dispose this object when the process ends: it stops the cluster it started.
/// </summary>
public sealed class GogobeDatabase : IAsyncDisposable
{
    /// <summary>The database normal runs use. The demo uses <c>gogobe_demo</c> so it never mixes with real data.</summary>
    public const string DefaultName = "gogobe";

    private const string MaintenanceDatabase = "postgres";
    private const string InvalidCatalogName = "3D000";
    private const string DuplicateDatabase = "42P04";

    private GogobeDatabase(string connectionString, PostgresCluster? cluster, IReadOnlyList<Migration> appliedMigrations)
    {
        ConnectionString = connectionString;
        Cluster = cluster;
        AppliedMigrations = appliedMigrations;
    }

    /// <summary>A connection string for the ready, migrated database.</summary>
    public string ConnectionString { get; }

    /// <summary>The local cluster, when no explicit connection string was given; null otherwise.</summary>
    public PostgresCluster? Cluster { get; }

    /// <summary>The migrations this start applied (empty when the schema was already current).</summary>
    public IReadOnlyList<Migration> AppliedMigrations { get; }

    /// <summary>
    /// Opens the database. <paramref name="connectionString"/> (may be null or empty) names an existing server; without it a
    /// local cluster is started in <paramref name="dataDirectory"/>. The database is <paramref name="databaseName"/> when given,
    /// else the connection string's own database, else <see cref="DefaultName"/>.
    /// </summary>
    public static async Task<GogobeDatabase> OpenAsync(string? connectionString, string dataDirectory, string? databaseName, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var name = databaseName ?? new NpgsqlConnectionStringBuilder(connectionString).Database ?? DefaultName;
            var (ready, applied) = await EnsureAsync(connectionString, name, logger, cancellationToken).ConfigureAwait(false);
            return new GogobeDatabase(ready, cluster: null, applied);
        }

        var cluster = await PostgresCluster.StartAsync(dataDirectory, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var (ready, applied) = await EnsureAsync(cluster.ConnectionString(MaintenanceDatabase), databaseName ?? DefaultName, logger, cancellationToken).ConfigureAwait(false);
            return new GogobeDatabase(ready, cluster, applied);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates <paramref name="databaseName"/> on the server of <paramref name="serverConnectionString"/> if it does not exist,
    /// applies the migrations, and returns the database's connection string.
    /// </summary>
    public static async Task<string> EnsureDatabaseAsync(string serverConnectionString, string databaseName, ILogger logger, CancellationToken cancellationToken) =>
        (await EnsureAsync(serverConnectionString, databaseName, logger, cancellationToken).ConfigureAwait(false)).ConnectionString;

    public ValueTask DisposeAsync() => Cluster?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<(string ConnectionString, IReadOnlyList<Migration> Applied)> EnsureAsync(
        string serverConnectionString, string databaseName, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseName);

        var target = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = databaseName }.ToString();
        if (!await ExistsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            await CreateAsync(new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = MaintenanceDatabase }.ToString(), databaseName, logger, cancellationToken)
                .ConfigureAwait(false);
        }

        var dataSource = NpgsqlDataSource.Create(target);
        await using (dataSource.ConfigureAwait(false))
        {
            var applied = await Migrator.ApplyAsync(dataSource, logger, cancellationToken).ConfigureAwait(false);
            return (target, applied);
        }
    }

    /// <summary>Probes by connecting: works even for a user that may not read the maintenance database.</summary>
    private static async Task<bool> ExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            // No pooling: a probe connection should not linger in a pool for a database that may be dropped (tests).
            var probe = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            await using (probe.ConfigureAwait(false))
            {
                await probe.OpenAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
        catch (PostgresException e) when (e.SqlState == InvalidCatalogName)
        {
            return false;
        }
    }

    private static async Task CreateAsync(string maintenanceConnectionString, string databaseName, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(maintenanceConnectionString) { Pooling = false }.ToString());
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // CREATE DATABASE takes no parameters; the name is a quoted identifier, so any text is safe.
            var quoted = "\"" + databaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            using var command = new NpgsqlCommand("CREATE DATABASE " + quoted, connection);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                logger.CreatedDatabase(databaseName);
            }
            catch (PostgresException e) when (e.SqlState == DuplicateDatabase)
            {
                // Another process created it between our probe and now: that is the outcome we wanted.
            }
        }
    }
}
