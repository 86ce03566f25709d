using Gogobe.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gogobe.Host.Bench;

/// <summary>
/// The benchmark's PostgreSQL: the managed cluster (or the server of <c>--db</c>), on which every measured path gets a
/// fresh, migrated database of its own, dropped at the end.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly GogobeDatabase _server;
    private readonly string _maintenance;
    private readonly ILogger _logger;
    private readonly List<string> _created = [];
    private readonly List<NpgsqlDataSource> _sources = [];
    private NpgsqlConnection? _lock;

    private BenchDatabase(GogobeDatabase server, string prefix, ILogger logger)
    {
        _server = server;
        _logger = logger;
        Prefix = prefix;
        _maintenance = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ToString();
    }

    /// <summary>
    /// The prefix of every database the benchmark creates: <c>gogobe_bench</c> in the managed cluster, else the
    /// <c>--db</c> database's name + <c>_bench</c>, so benchmarks given different databases on one server never clash.
    /// </summary>
    public string Prefix { get; }

    public static async Task<BenchDatabase> OpenAsync(string? connectionString, string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var prefix = string.IsNullOrWhiteSpace(connectionString)
            ? "gogobe_bench"
            : (new NpgsqlConnectionStringBuilder(connectionString).Database ?? "gogobe") + "_bench";
        var server = await GogobeDatabase.OpenAsync(connectionString, Path.GetFullPath(dataDirectory), prefix, logger, cancellationToken)
            .ConfigureAwait(false);
        var database = new BenchDatabase(server, prefix, logger);
        try
        {
            await database.LockAsync(cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Takes the server's benchmark lock (an advisory lock keyed by <see cref="Prefix"/>), held by a session of its own
    /// until disposal; a crashed benchmark's session ends, and its lock with it. Two benchmarks on one server would drop
    /// and re-create each other's databases mid-run.
    /// </summary>
    private async Task LockAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_maintenance);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('gogobe.bench:' || $1))", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Prefix });
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                throw new BenchBusyException(
                    $"Another benchmark is running on this PostgreSQL server ({connection.Host}:{connection.Port}, databases {Prefix}*): " +
                    "wait for it to finish, or give this one another --data-dir (or --db database).");
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _lock = connection;
    }

    /// <summary>The server's version, for the report.</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_maintenance);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return "PostgreSQL " + connection.PostgreSqlVersion;
        }
    }

    /// <summary>Drops <see cref="Prefix"/> + <paramref name="suffix"/> if it exists, creates and migrates it, and returns a data source on it.</summary>
    public async Task<NpgsqlDataSource> FreshAsync(string suffix, CancellationToken cancellationToken)
    {
        var name = Prefix + suffix;
        await DropAsync(name, cancellationToken).ConfigureAwait(false);
        var connectionString = await GogobeDatabase.EnsureDatabaseAsync(_maintenance, name, _logger, cancellationToken).ConfigureAwait(false);
        _created.Add(name);
        // Pooled like the application's own data source: the string comes from the maintenance one (unpooled), and
        // without pooling every file's connections were new server processes (a fork and a login each, ~300 per
        // scenario at scale 0.05: measured as postgres processes living under a second).
        var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0, Pooling = true }.ToString());
        _sources.Add(source);
        return source;
    }

    public static async Task<long> CountAsync(NpgsqlDataSource source, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var command = source.CreateCommand("SELECT count(*) FROM " + table);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        // Only the lock's holder drops the databases: a refused second benchmark leaves the running one's alone.
        if (_lock is not null)
        {
            foreach (var name in _created.Append(Prefix).Distinct())
            {
                await DropAsync(name, CancellationToken.None).ConfigureAwait(false);
            }

            await _lock.DisposeAsync().ConfigureAwait(false);
        }

        await _server.DisposeAsync().ConfigureAwait(false);
    }

    private async Task DropAsync(string name, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_maintenance);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Identifiers cannot be parameters; the names are the benchmark's own constants, quoted anyway.
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
