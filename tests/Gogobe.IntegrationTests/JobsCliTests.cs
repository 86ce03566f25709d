using Gogobe.TestSupport;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary><c>gogobe run</c> through the job tables, then <c>jobs list</c>, <c>jobs abort</c> and <c>status</c> from other processes.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class JobsCliTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task JobsAndStatus_AfterDemoRun_ShowTheRunsTasksAndWorkers()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };
        var run = await GogobeProcess.RunAsync(env, Timeout, "run", "--demo", "--chains", "2", "--stores", "1", "--items", "200", "--parallel", "2");
        output.WriteLine(run.Output);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("queued: 2 tasks", run.Output, StringComparison.Ordinal);

        var list = await GogobeProcess.RunAsync(env, Timeout, "jobs", "list");
        var failed = await GogobeProcess.RunAsync(env, Timeout, "jobs", "list", "--state", "failed");
        var badState = await GogobeProcess.RunAsync(env, Timeout, "jobs", "list", "--state", "SLEEPING");
        var status = await GogobeProcess.RunAsync(env, Timeout, "status");
        var abortUnknown = await GogobeProcess.RunAsync(env, Timeout, "jobs", "abort", Guid.NewGuid().ToString());
        output.WriteLine(list.Output);
        output.WriteLine(status.Output);

        Assert.Equal(0, list.ExitCode);
        Assert.Equal(2, CountOccurrences(list.Output, "SUCCEEDED"));
        Assert.Contains("2 tasks", list.Output, StringComparison.Ordinal);
        Assert.Contains("0 tasks", failed.Output, StringComparison.Ordinal);
        Assert.Equal(2, badState.ExitCode);
        Assert.Contains("not a job state", badState.Output, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("No active run. Last run", status.Output, StringComparison.Ordinal);
        Assert.Contains("SUCCEEDED", status.Output, StringComparison.Ordinal);
        // The run's two in-process worker loops were seen.
        Assert.Contains("2 workers seen", status.Output, StringComparison.Ordinal);
        Assert.Equal(2, abortUnknown.ExitCode);
        Assert.Contains("No run or task", abortUnknown.Output, StringComparison.Ordinal);
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
