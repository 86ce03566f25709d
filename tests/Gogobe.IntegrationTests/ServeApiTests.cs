using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>The runs API of a real <c>gogobe serve</c>: bearer-token guard, background demo runs, conflicts, cancellation.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ServeApiTests(PostgresFixture postgres)
{
    private const string Token = "test-token-0123456789abcdef";
    private static readonly TimeSpan RunPatience = TimeSpan.FromMinutes(2);
    private static readonly Uri Runs = new("/api/runs", UriKind.Relative);

    [Fact]
    public async Task PostRuns_NonLoopbackBindWithoutToken_Returns401ProblemDetails()
    {
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(token: Token), host: "0.0.0.0");

        using var anonymous = await server.Client.PostAsync(Runs, content: null);
        using var wrong = await SendAsync(server, HttpMethod.Post, Runs, "wrong-token-0123456789abcdef");

        foreach (var response in new[] { anonymous, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        }

        // Reads stay open unless ProtectReadEndpoints is set.
        using var status = await server.Client.GetAsync(new Uri("/api/status", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task PostRuns_WithBearerToken_AcceptedAndDemoRunFinishes()
    {
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(token: Token, items: 2_000, stores: 2), host: "0.0.0.0", "--demo");

        using var accepted = await SendAsync(server, HttpMethod.Post, Runs, Token);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = await RunIdAsync(accepted);
        Assert.Equal($"/api/runs/{runId}", accepted.Headers.Location?.OriginalString);

        // One run at a time: a second start while the first runs is a conflict.
        using var conflict = await SendAsync(server, HttpMethod.Post, Runs, Token);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);

        using var run = await WaitForStateAsync(server, runId, "Finished");
        var totals = run.RootElement.GetProperty("totals");
        // One chain, two stores: PriceFull, Price, PromoFull, Promo per store, and the chain's Stores file.
        Assert.Equal(2 * 4 + 1, totals.GetProperty("files").GetInt32());
        Assert.Equal(totals.GetProperty("files").GetInt32(), totals.GetProperty("completed").GetInt32());
        Assert.Equal(0, totals.GetProperty("failed").GetInt32());
        Assert.True(totals.GetProperty("rowsRead").GetInt64() >= 2 * 2_000);
        Assert.True(run.RootElement.GetProperty("succeeded").GetBoolean());

        // Cancelling a run that is over is a conflict, not a success.
        using var late = await SendAsync(server, HttpMethod.Delete, new Uri($"/api/runs/{runId}", UriKind.Relative), Token);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);

        // The first run is over, so a new one may start.
        using var again = await SendAsync(server, HttpMethod.Post, Runs, Token);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task PostRuns_LoopbackBindWithoutToken_Accepted()
    {
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(token: null), "127.0.0.1", "--demo");

        using var accepted = await server.Client.PostAsync(Runs, content: null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var run = await WaitForStateAsync(server, await RunIdAsync(accepted), "Finished");
        Assert.Equal(0, run.RootElement.GetProperty("totals").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task DeleteRun_ActiveRun_CancelsIt()
    {
        // Large enough that the run is still going when the DELETE arrives.
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(token: Token, items: 100_000, stores: 4), "0.0.0.0", "--demo");
        using var accepted = await SendAsync(server, HttpMethod.Post, Runs, Token);
        var runId = await RunIdAsync(accepted);
        var runUri = new Uri($"/api/runs/{runId}", UriKind.Relative);

        using var anonymous = await server.Client.DeleteAsync(runUri);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var cancel = await SendAsync(server, HttpMethod.Delete, runUri, Token);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        using var run = await WaitForStateAsync(server, runId, "Cancelled");
        using var unknown = await SendAsync(server, HttpMethod.Delete, new Uri($"/api/runs/{Guid.NewGuid()}", UriKind.Relative), Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetRun_UnknownOrMissingPage_Returns404ProblemDetails()
    {
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(token: null));

        using var response = await server.Client.GetAsync(new Uri($"/api/runs/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());

        // Any other error status is ProblemDetails too.
        using var noPage = await server.Client.GetAsync(new Uri("/no-such-page", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, noPage.StatusCode);
        Assert.Equal("application/problem+json", noPage.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetStatus_ProtectReadEndpoints_NeedsToken()
    {
        var env = await EnvironmentAsync(token: Token);
        env["Gogobe__Server__ProtectReadEndpoints"] = "true";
        await using var server = await ServeProcess.StartAsync(env);
        var status = new Uri("/api/status", UriKind.Relative);

        using var anonymous = await server.Client.GetAsync(status);
        using var authorised = await SendAsync(server, HttpMethod.Get, status, Token);
        using var health = await server.Client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task PostRuns_BadBody_400NamingTheProblem_NothingStarts()
    {
        await using var server = await ServeProcess.StartAsync(await EnvironmentAsync(token: null), "127.0.0.1", "--demo");

        async Task<string> RefusedAsync(string body)
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await server.Client.PostAsync(Runs, content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return problem.RootElement.GetProperty("detail").GetString()!;
        }

        Assert.StartsWith("The body is not valid JSON", await RefusedAsync("{\"chains\": 5"), StringComparison.Ordinal);
        Assert.StartsWith("\"chains\" must be an array of chain names (strings), not a number", await RefusedAsync("{\"chains\": 5}"), StringComparison.Ordinal);
        Assert.StartsWith("\"force\" must be true or false, not a string", await RefusedAsync("{\"force\": \"yes\"}"), StringComparison.Ordinal);
        Assert.StartsWith("Unknown property \"chain\"", await RefusedAsync("{\"chain\": [\"Rami Levy\"]}"), StringComparison.Ordinal);
        Assert.StartsWith("The body must be a JSON object", await RefusedAsync("[\"Rami Levy\"]"), StringComparison.Ordinal);
        Assert.StartsWith("Unknown chains: \"Nope\", \"Nor This\". Known chains: ", await RefusedAsync("{\"chains\": [\"Rami Levy\", \"Nope\", \"Nor This\"]}"), StringComparison.Ordinal);

        // Nothing started: a good request of one chain is accepted now, and its run has that chain alone.
        using var good = new StringContent("{\"chains\": [\"Osher Ad\"], \"force\": true}", System.Text.Encoding.UTF8, "application/json");
        using var accepted = await server.Client.PostAsync(Runs, good);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var run = await WaitForStateAsync(server, await RunIdAsync(accepted), "Finished");
        var tasks = run.RootElement.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal("Osher Ad", Assert.Single(tasks).GetProperty("chainName").GetString());
    }

    [Fact]
    public async Task PostRuns_BodyOverLimit_Rejected()
    {
        var env = await EnvironmentAsync(token: null);
        env["Gogobe__Server__MaxRequestBodyBytes"] = "1024";
        await using var server = await ServeProcess.StartAsync(env, "127.0.0.1", "--demo");

        using var content = new ByteArrayContent(new byte[4096]);
        using var response = await server.Client.PostAsync(Runs, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // Refused before anything started: the launcher has no run, so a start now is accepted.
        using var small = await server.Client.PostAsync(Runs, content: null);
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
    }

    [Fact]
    public async Task Schedule_EveryMinute_StartsDemoRun()
    {
        var env = await EnvironmentAsync(token: null);
        env["Gogobe__Runs__Schedule"] = "* * * * *";
        await using var server = await ServeProcess.StartAsync(env, "127.0.0.1", "--demo");

        // Nobody posts a run: the schedule starts one within the minute, and the chain's files complete.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < RunPatience)
        {
            using var status = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
            if (status.RootElement.GetProperty("chains").EnumerateArray().Any(c => c.GetProperty("state").GetString() == "Done"))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"No scheduled run completed within {RunPatience}:{Environment.NewLine}{server.Output}");
    }

    [Fact]
    public async Task Serve_PortTaken_ExitsWithOneLine()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await GogobeProcess.RunAsync(await EnvironmentAsync(token: null), TimeSpan.FromMinutes(1), "serve", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"Cannot listen on http://127.0.0.1:{port}", result.Output, StringComparison.Ordinal);
        Assert.True(!result.Output.Contains("   at ", StringComparison.Ordinal), result.Output);
    }

    private async Task<Dictionary<string, string>> EnvironmentAsync(string? token, int items = 200, int stores = 1)
    {
        var env = new Dictionary<string, string>
        {
            ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync(),
            // No scheduled runs: a test must not meet one it did not start.
            ["Gogobe__Runs__Schedule"] = string.Empty,
            ["Gogobe__Demo__Chains"] = "1",
            ["Gogobe__Demo__StoresPerChain"] = stores.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gogobe__Demo__ItemsPerStore"] = items.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (token is not null)
        {
            env["Gogobe__Server__Token"] = token;
        }

        return env;
    }

    private static async Task<HttpResponseMessage> SendAsync(ServeProcess server, HttpMethod method, Uri uri, string token)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await server.Client.SendAsync(request);
    }

    private static async Task<Guid> RunIdAsync(HttpResponseMessage accepted)
    {
        using var body = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("runId").GetGuid();
    }

    private static async Task<JsonDocument> WaitForStateAsync(ServeProcess server, Guid runId, string state)
    {
        var watch = Stopwatch.StartNew();
        string? last = null;
        while (watch.Elapsed < RunPatience)
        {
            using var response = await server.Client.GetAsync(new Uri($"/api/runs/{runId}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            last = document.RootElement.GetProperty("state").GetString();
            if (last == state)
            {
                return document;
            }

            document.Dispose();
            await Task.Delay(250);
        }

        Assert.Fail($"Run {runId} is {last}, not {state}, after {RunPatience}:{Environment.NewLine}{server.Output}");
        return null!;
    }
}
