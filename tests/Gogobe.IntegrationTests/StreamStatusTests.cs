using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>The live event stream of a real <c>gogobe serve --demo</c> over a real PostgreSQL, read as a browser would.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class StreamStatusTests(PostgresFixture postgres)
{
    private const int DemoChains = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private static readonly Uri Runs = new("/api/runs", UriKind.Relative);

    [Fact]
    public async Task StreamStatus_DemoRun_ChipsGoWaitingRunningDoneWithIncreasingIds()
    {
        // Big enough files that a chain is caught running by a fleet tick or two.
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(items: 20_000), "127.0.0.1", "--demo");
        using var stream = await SseStream.OpenAsync(server.Port, lastEventId: null);
        var first = await stream.NextAsync();
        Assert.Equal(TimeSpan.FromSeconds(3), first.ReconnectionInterval);
        // Before any run every chain waits.
        var before = await stream.UntilAsync(i => i.EventType == "fleet");
        using (var fleet = JsonDocument.Parse(before.Data))
        {
            Assert.All(fleet.RootElement.GetProperty("chains").EnumerateArray(), c => Assert.Equal("Waiting", c.GetProperty("state").GetString()));
        }

        using var accepted = await server.Client.PostAsync(Runs, content: null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using (var fleet = JsonDocument.Parse(before.Data))
        {
            foreach (var chain in fleet.RootElement.GetProperty("chains").EnumerateArray())
            {
                seen[chain.GetProperty("id").GetString()!] = [chain.GetProperty("state").GetString()!];
            }
        }

        var finished = false;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Patience)
        {
            var item = await stream.NextAsync();
            using var data = JsonDocument.Parse(item.Data);
            if (item.EventType == "run" && data.RootElement.GetProperty("state").GetString() == "Finished")
            {
                finished = true;
            }

            if (item.EventType != "fleet")
            {
                continue;
            }

            foreach (var chain in data.RootElement.GetProperty("chains").EnumerateArray())
            {
                var states = seen.TryGetValue(chain.GetProperty("id").GetString()!, out var s) ? s : seen[chain.GetProperty("id").GetString()!] = [];
                states.Add(chain.GetProperty("state").GetString()!);
            }

            var ran = seen.Where(c => c.Value.Any(s => s != "Waiting")).ToList();
            if (finished && ran.Count == DemoChains && ran.All(c => c.Value[^1] == "Done"))
            {
                foreach (var (id, states) in ran)
                {
                    var done = states.IndexOf("Done");
                    Assert.True(states.Take(done).Any(s => s is "Waiting" or "Running"), $"{id}: {string.Join(",", states)}");
                    Assert.DoesNotContain("Error", states);
                }

                Assert.True(stream.IdsIncreasing, string.Join(",", stream.Ids));
                return;
            }
        }

        Assert.Fail($"The demo chains did not all end Done: {JsonSerializer.Serialize(seen)}{Environment.NewLine}{server.Output}");
    }

    [Fact]
    public async Task StreamStatus_ReconnectWithLastEventId_ReceivesMissedLogLines()
    {
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(), "127.0.0.1", "--demo");
        var logs = new List<SseItem<string>>();
        using (var stream = await SseStream.OpenAsync(server.Port, lastEventId: null))
        {
            using var accepted = await server.Client.PostAsync(Runs, content: null);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < Patience)
            {
                var item = await stream.NextAsync();
                if (item.EventType == "log")
                {
                    logs.Add(item);
                }

                using var data = JsonDocument.Parse(item.Data);
                if (item.EventType == "run" && data.RootElement.GetProperty("state").GetString() == "Finished")
                {
                    break;
                }
            }
        }

        // One chain, two stores: at least a start and a finish line per file.
        Assert.True(logs.Count >= 4, $"{logs.Count} log lines{Environment.NewLine}{server.Output}");
        var resumeAfter = long.Parse(logs[1].EventId!, CultureInfo.InvariantCulture);
        var missed = logs.Skip(2).ToList();

        using var resumed = await SseStream.OpenAsync(server.Port, resumeAfter);
        var replayed = new List<SseItem<string>>();
        while (true)
        {
            var item = await resumed.NextAsync();
            if (item.EventType != "log")
            {
                break;
            }

            replayed.Add(item);
        }

        Assert.Equal(missed.Select(l => (l.EventId, l.Data)), replayed.Select(l => (l.EventId, l.Data)));
        Assert.Contains(replayed, l => l.Data.Contains("\"level\":\"info\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StreamStatus_DatabaseStopped_SendsDbDownKeepsStreamAndResumes()
    {
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(), "127.0.0.1");
        using var stream = await SseStream.OpenAsync(server.Port, lastEventId: null);
        await stream.UntilAsync(i => i.EventType == "db" && Ok(i));
        await stream.UntilAsync(i => i.EventType == "metrics");
        try
        {
            await postgres.Cluster.StopAsync(CancellationToken.None);
            var down = await stream.UntilAsync(i => i.EventType == "db");
            Assert.False(Ok(down));
            using (var data = JsonDocument.Parse(down.Data))
            {
                Assert.False(string.IsNullOrEmpty(data.RootElement.GetProperty("error").GetString()));
            }
        }
        finally
        {
            await postgres.Cluster.StartAgainAsync(CancellationToken.None);
        }

        // The same stream carries on: the database is back and the metrics flow again.
        await stream.UntilAsync(i => i.EventType == "db" && Ok(i));
        var metrics = await stream.UntilAsync(i => i.EventType == "metrics");
        using var after = JsonDocument.Parse(metrics.Data);
        Assert.True(after.RootElement.GetProperty("ramTotalMb").GetDouble() > 0);
        Assert.True(stream.IdsIncreasing, string.Join(",", stream.Ids));
    }

    [Fact]
    public async Task DeleteRunChain_RunningChain_OnlyThatChainEndsAborted()
    {
        var env = await EnvironmentAsync(items: 100_000);
        env["Gogobe__Demo__StoresPerChain"] = "3";
        env["Gogobe__Runs__Parallelism"] = "2";
        await using var server = await ServeProcess.StartAsync(env, "127.0.0.1", "--demo");
        using var stream = await SseStream.OpenAsync(server.Port, lastEventId: null);
        using var accepted = await server.Client.PostAsync(Runs, content: null);
        using var body = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync());
        var runId = body.RootElement.GetProperty("runId").GetGuid();

        var running = await stream.UntilAsync(i => i.EventType == "fleet" && States(i).Values.Count(s => s == "Running") == DemoChains);
        var victim = States(running).First(c => c.Value == "Running").Key;
        using var unknown = await server.Client.DeleteAsync(new Uri($"/api/runs/{runId}/chains/no-such-chain", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var abort = await server.Client.DeleteAsync(new Uri($"/api/runs/{runId}/chains/{victim}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Accepted, abort.StatusCode);

        await stream.UntilAsync(i => i.EventType == "run" && i.Data.Contains("\"Finished\"", StringComparison.Ordinal));
        var final = await stream.UntilAsync(i => i.EventType == "fleet");
        using var fleet = JsonDocument.Parse(final.Data);
        var chains = fleet.RootElement.GetProperty("chains").EnumerateArray().Where(c => c.GetProperty("state").GetString() != "Waiting").ToList();
        Assert.Equal(DemoChains, chains.Count);
        var aborted = Assert.Single(chains, c => c.GetProperty("id").GetString() == victim);
        Assert.Equal("Error", aborted.GetProperty("state").GetString());
        Assert.Equal("aborted", aborted.GetProperty("lastError").GetString());
        var other = Assert.Single(chains, c => c.GetProperty("id").GetString() != victim);
        Assert.Equal("Done", other.GetProperty("state").GetString());
        Assert.Equal(0, other.GetProperty("files").GetProperty("failed").GetInt32());

        // The run is over: aborting a chain of it now is a conflict.
        using var late = await server.Client.DeleteAsync(new Uri($"/api/runs/{runId}/chains/{victim}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    private static Dictionary<string, string> States(SseItem<string> fleet)
    {
        using var data = JsonDocument.Parse(fleet.Data);
        return data.RootElement.GetProperty("chains").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("state").GetString()!, StringComparer.Ordinal);
    }

    private static bool Ok(SseItem<string> db)
    {
        using var data = JsonDocument.Parse(db.Data);
        return data.RootElement.GetProperty("ok").GetBoolean();
    }

    private async Task<Dictionary<string, string>> EnvironmentAsync(int items = 2_000) => new(StringComparer.Ordinal)
    {
        ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync(),
        ["Gogobe__Runs__Schedule"] = string.Empty,
        ["Gogobe__Demo__Chains"] = DemoChains.ToString(CultureInfo.InvariantCulture),
        ["Gogobe__Demo__StoresPerChain"] = "2",
        ["Gogobe__Demo__ItemsPerStore"] = items.ToString(CultureInfo.InvariantCulture),
        ["Gogobe__Dashboard__FleetSeconds"] = "1",
    };

    /// <summary>One open <c>/api/stream-status</c> connection, parsed with the framework's own SSE parser.</summary>
    private sealed class SseStream : IDisposable
    {
        private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly IAsyncEnumerator<SseItem<string>> _items;

        private SseStream(HttpClient client, HttpResponseMessage response, Stream body)
        {
            _client = client;
            _response = response;
            _items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        }

        public List<long> Ids { get; } = [];

        public bool IdsIncreasing => Ids.Zip(Ids.Skip(1)).All(p => p.Second > p.First);

        public static async Task<SseStream> OpenAsync(int port, long? lastEventId)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream-status");
            if (lastEventId is { } id)
            {
                request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new SseStream(client, response, await response.Content.ReadAsStreamAsync());
        }

        public async Task<SseItem<string>> NextAsync()
        {
            var next = _items.MoveNextAsync().AsTask();
            if (await Task.WhenAny(next, Task.Delay(EventTimeout)) != next || !await next)
            {
                throw new TimeoutException($"No event within {EventTimeout} (or the stream ended).");
            }

            var item = _items.Current;
            Ids.Add(long.Parse(item.EventId!, CultureInfo.InvariantCulture));
            return item;
        }

        public async Task<SseItem<string>> UntilAsync(Func<SseItem<string>, bool> match)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < Patience)
            {
                var item = await NextAsync();
                if (match(item))
                {
                    return item;
                }
            }

            throw new TimeoutException($"No matching event within {Patience}.");
        }

        public void Dispose()
        {
            _response.Dispose();
            _client.Dispose();
        }
    }
}
