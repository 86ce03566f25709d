using System.Security.Cryptography;
using Gogobe.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Gogobe.TestSupport;

/// <summary>
/// One real PostgreSQL cluster for a test assembly, started through the product's own <see cref="PostgresCluster"/>
/// in a fresh temp directory (deleted at the end). Each test calls <see cref="CreateDatabaseAsync"/> for a database of
/// its own, so tests never depend on each other's data or order. Never skips: without PostgreSQL it fails with the
/// install instructions.
/// <para>
/// xunit only honours a [CollectionDefinition] declared in the test assembly itself, so each test project adds:
/// <code>
/// [CollectionDefinition(PostgresFixture.Collection)]
/// public sealed class PostgresCollectionDefinition : ICollectionFixture&lt;PostgresFixture&gt;;
/// </code>
/// and marks its test classes <c>[Collection(PostgresFixture.Collection)]</c> with a <see cref="PostgresFixture"/> constructor parameter.
/// </para>
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The collection name test projects use in their [CollectionDefinition] and [Collection] attributes.</summary>
    public const string Collection = "postgres";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private PostgresCluster? _cluster;

    /// <summary>The cluster's data directory (under the system temp folder).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "gogobe-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));

    /// <summary>The running cluster, for tests that stop and start PostgreSQL.</summary>
    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        _cluster = await PostgresCluster.StartAsync(DataDirectory, NullLogger.Instance, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Creates a new, uniquely named, migrated database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return await GogobeDatabase.EnsureDatabaseAsync(Cluster.ConnectionString("postgres"), name, NullLogger.Instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a new, uniquely named database without running migrations (for migration tests).</summary>
    public async Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "empty_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var connection = new NpgsqlConnection(Cluster.ConnectionString("postgres"));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return Cluster.ConnectionString(name);
    }

    /// <summary>A data source for a fresh database; the caller disposes it.</summary>
    public async Task<NpgsqlDataSource> CreateDataSourceAsync(CancellationToken cancellationToken = default) =>
        NpgsqlDataSource.Create(await CreateDatabaseAsync(cancellationToken).ConfigureAwait(false));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
