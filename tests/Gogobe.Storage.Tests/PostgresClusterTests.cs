using System.Net;
using System.Net.Sockets;
using Gogobe.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gogobe.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PostgresClusterTests(PostgresFixture fixture)
{
    [Fact]
    public async Task StartAsync_ServerAlreadyRunningOnDirectory_ReusesItAndIsNotOwned()
    {
        Assert.True(fixture.Cluster.Owned);

        await using (var second = await PostgresCluster.StartAsync(fixture.DataDirectory, NullLogger.Instance, CancellationToken.None))
        {
            Assert.False(second.Owned);
            Assert.Equal(fixture.Cluster.Port, second.Port);
            Assert.Equal(1, await SelectOneAsync(second.ConnectionString("postgres")));
        }

        // Disposing the non-owning handle must leave the server running.
        Assert.Equal(1, await SelectOneAsync(fixture.Cluster.ConnectionString("postgres")));
    }

    [Fact]
    public async Task StopAsync_ThenStartAgainAsync_ServerComesBackWithData()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new PgPriceSink(dataSource, TimeProvider.System).EnsureChainsAsync([new("Kept", "7290000000099")], CancellationToken.None);
        }

        await fixture.Cluster.StopAsync(CancellationToken.None);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => SelectOneAsync(connectionString));

        await fixture.Cluster.StartAgainAsync(CancellationToken.None);
        await using var again = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(1, await TestData.CountAsync(again, "chains"));
        Assert.True(fixture.Cluster.Owned);
    }

    [Fact]
    public async Task StartAsync_EmptyDirectory_InitialisesAndDisposeStopsServer()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gogobe-test-fresh-" + Guid.NewGuid().ToString("N"));
        try
        {
            int port;
            await using (var cluster = await PostgresCluster.StartAsync(dir, NullLogger.Instance, CancellationToken.None))
            {
                port = cluster.Port;
                Assert.True(cluster.Owned);
                Assert.True(File.Exists(Path.Combine(dir, "PG_VERSION")));
                var passwordFile = Path.Combine(dir, PostgresCluster.PasswordFileName);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
                }
                Assert.Equal(1, await SelectOneAsync(cluster.ConnectionString("postgres")));

                // Password authentication is really on: a wrong password is refused.
                var wrong = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Password = "wrong" }.ToString();
                var refused = await Assert.ThrowsAsync<PostgresException>(() => SelectOneAsync(wrong));
                Assert.Equal("28P01", refused.SqlState);
            }

            Assert.False(File.Exists(Path.Combine(dir, "postmaster.pid")));
            using var client = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_ParentClosedToOthers_RootGetsErrorNamingDirectoryOtherUsersStart()
    {
        var parent = Path.Combine(Path.GetTempPath(), "gogobe-test-locked-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(parent);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var dataDirectory = Path.Combine(parent, "data");

            if (Environment.UserName == "root")
            {
                // PostgreSQL runs as 'postgres', which cannot enter a root-owned 0700 directory.
                var error = await Assert.ThrowsAsync<PostgresClusterException>(
                    () => PostgresCluster.StartAsync(dataDirectory, NullLogger.Instance, CancellationToken.None));
                Assert.Contains(parent, error.Message, StringComparison.Ordinal);
                Assert.Contains("chmod o+x", error.Message, StringComparison.Ordinal);
            }
            else
            {
                // Without root, PostgreSQL runs as the owner of the directory, so a private parent is fine.
                await using var cluster = await PostgresCluster.StartAsync(dataDirectory, NullLogger.Instance, CancellationToken.None);
                Assert.Equal(1, await SelectOneAsync(cluster.ConnectionString("postgres")));
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task OpenAsync_ExplicitServer_CreatesAndMigratesNamedDatabase()
    {
        var name = "explicit_" + Guid.NewGuid().ToString("N");
        await using (var first = await GogobeDatabase.OpenAsync(fixture.Cluster.ConnectionString("postgres"), "unused", name, NullLogger.Instance, CancellationToken.None))
        {
            Assert.Null(first.Cluster);
            Assert.Equal(name, new NpgsqlConnectionStringBuilder(first.ConnectionString).Database);
            Assert.Equal(Migrator.All, first.AppliedMigrations);
        }

        await using var second = await GogobeDatabase.OpenAsync(fixture.Cluster.ConnectionString("postgres"), "unused", name, NullLogger.Instance, CancellationToken.None);
        Assert.Empty(second.AppliedMigrations);
    }

    private static async Task<int> SelectOneAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
