namespace Gogobe.IntegrationTests;

/// <summary>
/// <c>gogobe serve</c>'s settings: invalid values stop it before it opens anything, with one line naming the setting;
/// the older variables keep working. No database is needed: validation comes first.
/// </summary>
public sealed class ConfigurationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    // Nothing listens on port 1: should validation wrongly pass, opening the database fails and the test sees it.
    private const string UnreachableDatabase = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2";

    [Theory]
    [InlineData("Gogobe__Runs__Parallelism", "0", "Gogobe:Runs:Parallelism must be at least 1 (was 0).")]
    [InlineData("Gogobe__Runs__PerHostConcurrency", "-3", "Gogobe:Runs:PerHostConcurrency must be at least 1 (was -3).")]
    [InlineData("Gogobe__Runs__Schedule", "0 25 * * *", "Gogobe:Runs:Schedule is not a valid cron expression ('0 25 * * *')")]
    [InlineData("Gogobe__Runs__Schedule", "every day", "Gogobe:Runs:Schedule is not a valid cron expression ('every day')")]
    [InlineData("Gogobe__Server__MaxRequestBodyBytes", "0", "Gogobe:Server:MaxRequestBodyBytes must be at least 1 (was 0).")]
    [InlineData("Gogobe__Retention__FileLogDays", "0", "Gogobe:Retention:FileLogDays must be at least 1 (was 0).")]
    [InlineData("Gogobe__Retention__PriceHistoryDays", "-1", "Gogobe:Retention:PriceHistoryDays must be at least 0 (was -1).")]
    [InlineData("Gogobe__Runs__Parallelism", "many", "'Gogobe:Runs:Parallelism'")]
    [InlineData("Gogobe__Http__AttemptTimeout", "00:00:00.001", "Gogobe:Http:AttemptTimeout must be between 00:00:00.0100000 and 1.00:00:00 (was 00:00:00.0010000).")]
    [InlineData("Gogobe__Http__Proxy", "ftp://proxy", "Gogobe:Http:Proxy must be an absolute http:// or https:// address (was 'ftp://proxy').")]
    public async Task Serve_InvalidSetting_ExitsWithOneLineNamingIt(string variable, string value, string expected)
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, [variable] = value };

        var result = await GogobeProcess.RunAsync(env, Timeout, "serve", "--urls", $"http://127.0.0.1:{ServeProcess.FreePort()}");

        AssertOneLineFailure(result, expected);
    }

    [Fact]
    public async Task Run_InvalidHttpSetting_ExitsWithOneLineNamingIt()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, ["Gogobe__Http__MaxRetries"] = "99" };

        var result = await GogobeProcess.RunAsync(env, Timeout, "run", "--demo");

        AssertOneLineFailure(result, "Gogobe:Http:MaxRetries must be 0..20 (was 99).");
    }

    [Fact]
    public async Task Serve_NonLoopbackBindWithoutToken_ExitsNamingToken()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase };

        var result = await GogobeProcess.RunAsync(env, Timeout, "serve", "--urls", $"http://0.0.0.0:{ServeProcess.FreePort()}");

        AssertOneLineFailure(result, "Gogobe:Server:Token is required when listening on a non-loopback address");
    }

    [Fact]
    public async Task Serve_ProtectReadsWithoutToken_ExitsNamingToken()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, ["Gogobe__Server__ProtectReadEndpoints"] = "true" };

        var result = await GogobeProcess.RunAsync(env, Timeout, "serve", "--urls", $"http://127.0.0.1:{ServeProcess.FreePort()}");

        AssertOneLineFailure(result, "Gogobe:Server:Token is required when Gogobe:Server:ProtectReadEndpoints is true.");
    }

    [Fact]
    public async Task Serve_ShortToken_ExitsNamingToken()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, ["Gogobe__Server__Token"] = "short" };

        var result = await GogobeProcess.RunAsync(env, Timeout, "serve", "--urls", $"http://127.0.0.1:{ServeProcess.FreePort()}");

        AssertOneLineFailure(result, "Gogobe:Server:Token must be at least 16 characters (was 5).");
    }

    [Fact]
    public async Task Serve_UrlsFromEnvironment_CommandLineWins()
    {
        // Gogobe__Server__Urls names a non-loopback address without a token, which would refuse to start; --urls replaces it.
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, ["Gogobe__Server__Urls"] = "http://0.0.0.0:1" };

        var result = await GogobeProcess.RunAsync(env, Timeout, "serve", "--urls", $"http://127.0.0.1:{ServeProcess.FreePort()}");

        // Past validation, it fails on the database it was given instead.
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Database unavailable", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid configuration", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_AspNetCoreUrlsVariable_StillHonoured()
    {
        var port = ServeProcess.FreePort();
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}" };

        var result = await GogobeProcess.RunAsync(env, Timeout, "serve");

        // ASPNETCORE_URLS became Gogobe:Server:Urls: a non-loopback address, so the token is demanded.
        AssertOneLineFailure(result, $"(http://0.0.0.0:{port})");
    }

    private static void AssertOneLineFailure(GogobeProcess.Result result, string expected)
    {
        Assert.True(result.ExitCode != 0, result.Output);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines); // one line: no stack trace, no second message
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
