using System.Diagnostics;
using System.Net;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.IntegrationTests;

/// <summary><c>/health</c> and <c>/alive</c> of a real <c>gogobe serve</c>, with PostgreSQL up, down and back.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class HealthTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Health_DatabaseUpAndMigrated_Healthy()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };
        await using var server = await ServeProcess.StartAsync(env);

        await AssertAnswersAsync(server, "/health", HttpStatusCode.OK, "Healthy");
        await AssertAnswersAsync(server, "/alive", HttpStatusCode.OK, "Healthy");
    }

    [Fact]
    public async Task Health_MigrationMissing_Unhealthy()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var server = await ServeProcess.StartAsync(new Dictionary<string, string> { ["GOGOBE_DB"] = connectionString });
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)", connection);
            Assert.Equal(1, await forget.ExecuteNonQueryAsync());
        }

        await AssertAnswersAsync(server, "/health", HttpStatusCode.ServiceUnavailable, "Unhealthy");
        await AssertAnswersAsync(server, "/alive", HttpStatusCode.OK, "Healthy");
    }

    [Fact]
    public async Task Health_PostgresStoppedThenStarted_UnhealthyQuicklyThenHealthyAgain()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };
        await using var server = await ServeProcess.StartAsync(env);
        await AssertAnswersAsync(server, "/health", HttpStatusCode.OK, "Healthy");

        try
        {
            await postgres.Cluster.StopAsync(CancellationToken.None);

            // No hanging on a dead server: the probe answers within seconds.
            var watch = Stopwatch.StartNew();
            await AssertAnswersAsync(server, "/health", HttpStatusCode.ServiceUnavailable, "Unhealthy");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"/health took {watch.Elapsed} with PostgreSQL down");
            await AssertAnswersAsync(server, "/alive", HttpStatusCode.OK, "Healthy");
        }
        finally
        {
            // Other tests of the collection share the cluster: it must be back whatever happened above.
            await postgres.Cluster.StartAgainAsync(CancellationToken.None);
        }

        await EventuallyAsync(server, "/health", HttpStatusCode.OK);
        await AssertAnswersAsync(server, "/health", HttpStatusCode.OK, "Healthy");
    }

    private static async Task AssertAnswersAsync(ServeProcess server, string path, HttpStatusCode status, string body)
    {
        using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    private static async Task EventuallyAsync(ServeProcess server, string path, HttpStatusCode status)
    {
        var watch = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
            last = response.StatusCode;
            if (last == status)
            {
                return;
            }

            await Task.Delay(250);
        }
        while (watch.Elapsed < Patience);

        Assert.Fail($"{path} still answered {last} after {Patience}:{Environment.NewLine}{server.Output}");
    }
}
