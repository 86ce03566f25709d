namespace Gogobe.IntegrationTests.Operations;

/// <summary>The log, shutdown and worker settings are validated like the others: one line naming the key, before anything opens.</summary>
public sealed class OpsConfigurationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private const string UnreachableDatabase = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2";

    [Theory]
    [InlineData("Gogobe__Logs__RetainedFiles", "0", "Gogobe:Logs:RetainedFiles must be at least 1 (was 0).")]
    [InlineData("Gogobe__Logs__FileSizeLimitBytes", "100", "Gogobe:Logs:FileSizeLimitBytes must be at least 4096 (was 100).")]
    [InlineData("Gogobe__Logs__MinimumLevel", "None", "Gogobe:Logs:MinimumLevel must be Trace, Debug, Information, Warning, Error or Critical (was None).")]
    [InlineData("Gogobe__Shutdown__GraceSeconds", "0", "Gogobe:Shutdown:GraceSeconds must be at least 1 (was 0).")]
    [InlineData("Gogobe__Workers__Processes", "-1", "Gogobe:Workers:Processes must be at least 0 (was -1).")]
    [InlineData("Gogobe__Workers__MaxBackoffSeconds", "0.5", "Gogobe:Workers:MaxBackoffSeconds must be at least InitialBackoffSeconds (was 0.5).")]
    public async Task Serve_InvalidOpsSetting_ExitsWithOneLineNamingIt(string variable, string value, string expected)
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, [variable] = value };

        var result = await GogobeProcess.RunAsync(env, Timeout, "serve", "--urls", $"http://127.0.0.1:{ServeProcess.FreePort()}");

        AssertOneLineFailure(result, expected);
    }

    [Theory]
    [InlineData("Gogobe__Shutdown__GraceSeconds", "0", "Gogobe:Shutdown:GraceSeconds must be at least 1 (was 0).")]
    [InlineData("Gogobe__Logs__RetainedFiles", "0", "Gogobe:Logs:RetainedFiles must be at least 1 (was 0).")]
    public async Task Run_InvalidOpsSetting_ExitsWithUsageErrorNamingIt(string variable, string value, string expected)
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = UnreachableDatabase, [variable] = value };

        var result = await GogobeProcess.RunAsync(env, Timeout, "run", "--demo");

        Assert.Equal(2, result.ExitCode);
        AssertOneLineFailure(result, expected);
    }

    private static void AssertOneLineFailure(GogobeProcess.Result result, string expected)
    {
        Assert.True(result.ExitCode != 0, result.Output);
        var line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
