using Gogobe.Core.Diagnostics;
using Gogobe.Host.Configuration;
using Gogobe.Host.Hosting;
using Gogobe.Host.Logging;
using Gogobe.Scrapers.Chains;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests.Operations;

/// <summary><c>gogobe logs</c> as a user runs it, over log files written the way the host writes them.</summary>
public sealed class LogsCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Logs_Chain_PrintsThatChainsLinesOnly()
    {
        var runId = Guid.NewGuid();
        WriteRun(runId);

        var rami = await GogobeProcess.RunAsync(new Dictionary<string, string>(), Timeout, "logs", "--log-dir", _folder.Path, "--chain", "Rami Levy");
        var warnings = await GogobeProcess.RunAsync(
            new Dictionary<string, string>(), Timeout, "logs", "--log-dir", _folder.Path, "--chain", "7290058140886", "--level", "warning");
        var latest = await GogobeProcess.RunAsync(new Dictionary<string, string>(), Timeout, "logs", "--log-dir", _folder.Path);
        var unknown = await GogobeProcess.RunAsync(new Dictionary<string, string>(), Timeout, "logs", "--log-dir", _folder.Path, "--chain", "No Such");
        output.WriteLine(latest.Output);

        Assert.Equal(0, rami.ExitCode);
        Assert.Equal(["INF [Rami Levy] rami listing", "WRN [Rami Levy] rami file failed"], Messages(rami.Output));
        Assert.Equal(["WRN [Rami Levy] rami file failed"], Messages(warnings.Output));
        // The latest run's log: every chain's lines and the run's own, in order.
        Assert.Equal(["INF run started", "INF [Rami Levy] rami listing", "INF [Osher Ad] osher listing", "WRN [Rami Levy] rami file failed"],
            Messages(latest.Output));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No chain and no chain log matches 'No Such'", unknown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsFollow_LinesWrittenAfterItStarts_ArePrintedUntilSigterm()
    {
        var options = new LogsOptions { Directory = _folder.Path, FileSizeLimitBytes = 4096, RetainedFiles = 50 };
        using var factory = LoggerFactory.Create(builder => builder.AddGogobeLogFiles(options));
        var logger = factory.CreateLogger("Test");
        using var scope = logger.BeginScope(LogScope.ForChain(Guid.NewGuid(), new RamiLevy()));
        TestLog.Info(logger, "before follow");

        using var follow = GogobeChild.Start(new Dictionary<string, string>(), ["logs", "--log-dir", _folder.Path, "--chain", "RamiLevy", "--follow"]);
        await WaitForAsync(follow, "before follow");
        var padding = new string('z', 100);
        for (var i = 0; i < 60; i++)
        {
            TestLog.Line(logger, i, padding);
        }

        await WaitForAsync(follow, "line 59 ");
        Assert.True(ChildSignals.Terminate(follow.Process.Id));
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await follow.Process.WaitForExitAsync(wait.Token);
        }

        Assert.Equal(0, follow.Process.ExitCode);
        var layout = new LogFileLayout(_folder.Path);
        Assert.True(LogFileLayout.Segments(layout.ChainPath(nameof(RamiLevy), LogFileLayout.JsonExtension)).Count > 2, "the log rolled over while followed");
        var lines = Messages(follow.Output).Where(l => l.Contains("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"INF [Rami Levy] line {i} {padding}"), lines);
    }

    private void WriteRun(Guid runId)
    {
        using var factory = LoggerFactory.Create(builder => builder.AddGogobeLogFiles(new LogsOptions { Directory = _folder.Path }));
        var logger = factory.CreateLogger("Test");
        using var run = logger.BeginScope(LogScope.ForRun(runId));
        TestLog.Info(logger, "run started");
        using (logger.BeginScope(LogScope.ForChain(runId, new RamiLevy())))
        {
            TestLog.Info(logger, "rami listing");
        }

        using (logger.BeginScope(LogScope.ForChain(runId, new OsherAd())))
        {
            TestLog.Info(logger, "osher listing");
        }

        using (logger.BeginScope(LogScope.ForChain(runId, new RamiLevy())))
        {
            TestLog.Warn(logger, "rami file failed");
        }
    }

    /// <summary>The printed lines without their timestamps ("2026-11-25 18:38:28.591Z ").</summary>
    private static List<string> Messages(string printed) =>
        [.. printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Length > 25 && l[24] == ' ' && l[23] == 'Z')
            .Select(l => l[25..])];

    private static async Task WaitForAsync(GogobeChild child, string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!child.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(child.Process.HasExited, "gogobe logs --follow ended: " + child.Output);
            await Task.Delay(50, timeout.Token);
        }
    }
}
