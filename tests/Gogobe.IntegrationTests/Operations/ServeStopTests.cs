using System.Diagnostics;
using System.Net.Http.Json;
using Dapper;
using Gogobe.Host.Hosting;
using Gogobe.Host.Logging;
using Gogobe.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests.Operations;

/// <summary>
/// SIGTERM to a real <c>gogobe serve</c> while its background run writes files: it stops the run (open file rolled back
/// and marked), exits 0 within the grace period, and the run's lines are in its own log file.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class ServeStopTests(PostgresFixture postgres, ITestOutputHelper output) : IDisposable
{
    private const int GraceSeconds = 20;
    private readonly TempFolder _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Serve_SigtermDuringRun_StopsTheRunCleanlyAndExitsZero()
    {
        var database = await postgres.CreateDatabaseAsync();
        var port = ServeProcess.FreePort();
        var env = new Dictionary<string, string>
        {
            ["GOGOBE_DB"] = database,
            ["Gogobe__Shutdown__GraceSeconds"] = GraceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gogobe__Runs__Schedule"] = string.Empty,
            ["Gogobe__Demo__Chains"] = "2",
            ["Gogobe__Demo__StoresPerChain"] = "2",
            ["Gogobe__Demo__ItemsPerStore"] = "10000",
        };
        using var serve = GogobeChild.Start(env, ["serve", "--demo", "--urls", $"http://127.0.0.1:{port}", "--log-dir", _logs.Path]);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilAsync(async () => await AliveAsync(client), serve);

        using var started = await client.PostAsync(new Uri("/api/runs", UriKind.Relative), content: null);
        started.EnsureSuccessStatusCode();
        var runId = (await started.Content.ReadFromJsonAsync<RunStarted>())!.RunId;
        await WaitUntilAsync(async () => await CountAsync(database, "completed") >= 1 && await CountAsync(database, "processing") >= 1, serve);

        Assert.True(ChildSignals.Terminate(serve.Process.Id));
        var signalled = Stopwatch.StartNew();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(GraceSeconds + 10)))
        {
            await serve.Process.WaitForExitAsync(wait.Token);
        }

        output.WriteLine(serve.Output);
        output.WriteLine($"exited {serve.Process.ExitCode} {signalled.Elapsed.TotalSeconds:F1} s after SIGTERM");
        Assert.Equal(0, serve.Process.ExitCode);
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(GraceSeconds), $"took {signalled.Elapsed}");
        Assert.Equal(0, await CountAsync(database, "processing"));
        Assert.True(await CountAsync(database, "failed") >= 1, "the open file was rolled back and marked failed");

        var runLog = new LogFileLayout(_logs.Path).RunPath(runId.ToString(), LogFileLayout.TextExtension);
        var text = File.ReadAllText(runLog);
        output.WriteLine(text);
        Assert.Contains($"Run {runId} queued", text, StringComparison.Ordinal);
        Assert.Matches(@"\[INF\] [^:\r\n]+: \S+ completed: \d+ rows", text);
    }

    private sealed record RunStarted(Guid RunId);

    private static async Task<bool> AliveAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<long> CountAsync(string database, string status)
    {
        await using var connection = new NpgsqlConnection(database);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM file_processing_log WHERE status = @status", new { status });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, GogobeChild serve)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            Assert.False(serve.Process.HasExited, "serve ended: " + serve.Output);
            await Task.Delay(25, timeout.Token);
        }
    }
}
