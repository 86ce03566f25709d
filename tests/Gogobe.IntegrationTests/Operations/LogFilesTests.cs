using Gogobe.Core.Diagnostics;
using Gogobe.Core.Scraping;
using Gogobe.Host.Configuration;
using Gogobe.Host.Logging;
using Gogobe.Scrapers.Chains;
using Microsoft.Extensions.Logging;

namespace Gogobe.IntegrationTests.Operations;

/// <summary>The log files: routing by the orchestrator's scopes, size rotation with a bounded count, reading them back.</summary>
public sealed class LogFilesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Write_PastSizeLimit_RollsOverAndKeepsRetainedCount()
    {
        var options = new LogsOptions { Directory = _folder.Path, FileSizeLimitBytes = 4096, RetainedFiles = 3 };
        var runId = Guid.NewGuid();
        using (var factory = Factory(options))
        {
            var logger = factory.CreateLogger("Test");
            using var scope = logger.BeginScope(LogScope.ForChain(runId, new RamiLevy()));
            var padding = new string('x', 80);
            for (var i = 0; i < 400; i++)
            {
                TestLog.Line(logger, i, padding);
            }
        }

        var layout = new LogFileLayout(_folder.Path);
        foreach (var basePath in new[]
        {
            layout.ChainPath(nameof(RamiLevy), LogFileLayout.TextExtension), layout.ChainPath(nameof(RamiLevy), LogFileLayout.JsonExtension),
            layout.RunPath(runId.ToString(), LogFileLayout.TextExtension), layout.HostJsonPath,
        })
        {
            var segments = LogFileLayout.Segments(basePath);
            // 400 lines of over 100 bytes are over 40 KB: many rollovers, of which only the newest 3 files are kept.
            Assert.Equal(3, segments.Count);
            Assert.DoesNotContain(basePath, segments);
            // A file stops taking lines once it reaches the limit, so it passes it by at most one line.
            Assert.All(segments, s => Assert.InRange(new FileInfo(s).Length, 1, 4096 + 1024));
            Assert.Matches("_[0-9]{3}\\.(log|jsonl)$", segments[^1]);
        }

        // The newest file ends with the last line; the lines kept are the newest, in order.
        var kept = LogFileLayout.Segments(layout.ChainPath(nameof(RamiLevy), LogFileLayout.JsonExtension))
            .SelectMany(File.ReadAllLines).Select(LogLine.Parse).ToList();
        Assert.StartsWith("line 399 ", kept[^1]!.Message, StringComparison.Ordinal);
        var numbers = kept.Select(l => int.Parse(l!.Message.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
        Assert.True(numbers[0] > 0, "the oldest lines were deleted with their files");
    }

    [Fact]
    public void Write_InChainScopes_RoutesEachChainToItsFileAndTheRunToOne()
    {
        var options = new LogsOptions { Directory = _folder.Path };
        var runId = Guid.NewGuid();
        using (var factory = Factory(options))
        {
            var logger = factory.CreateLogger("Test");
            using var run = logger.BeginScope(LogScope.ForRun(runId));
            TestLog.Info(logger, "run-level line");
            using (logger.BeginScope(LogScope.ForChain(runId, new RamiLevy())))
            {
                TestLog.Warn(factory.CreateLogger("Other"), "rami line from another logger");
            }

            using (logger.BeginScope(LogScope.ForChain(runId, new OsherAd())))
            {
                TestLog.Info(logger, "osher line");
            }

            TestLog.Debug(logger, "below the minimum level");
        }

        var layout = new LogFileLayout(_folder.Path);
        var rami = File.ReadAllText(layout.ChainPath(nameof(RamiLevy), LogFileLayout.TextExtension));
        var osher = File.ReadAllText(layout.ChainPath(nameof(OsherAd), LogFileLayout.TextExtension));
        var runText = File.ReadAllText(layout.RunPath(runId.ToString(), LogFileLayout.TextExtension));
        Assert.Contains("[WRN] run " + runId + ": rami line from another logger", rami, StringComparison.Ordinal);
        Assert.DoesNotContain("osher line", rami, StringComparison.Ordinal);
        Assert.DoesNotContain("run-level line", rami, StringComparison.Ordinal);
        Assert.Contains("osher line", osher, StringComparison.Ordinal);
        Assert.DoesNotContain("rami line", osher, StringComparison.Ordinal);
        Assert.Contains("[INF] run-level line", runText, StringComparison.Ordinal);
        Assert.Contains("[WRN] Rami Levy: rami line from another logger", runText, StringComparison.Ordinal);
        Assert.Contains("[INF] Osher Ad: osher line", runText, StringComparison.Ordinal);
        Assert.DoesNotContain("below the minimum level", runText, StringComparison.Ordinal);

        var json = File.ReadAllLines(layout.ChainPath(nameof(RamiLevy), LogFileLayout.JsonExtension)).Select(LogLine.Parse).ToList();
        var line = Assert.Single(json);
        Assert.Equal(LogLevel.Warning, line!.Level);
        Assert.Equal("Rami Levy", line.Chain);
        Assert.Equal(nameof(RamiLevy), line.ChainKey);
        Assert.Equal(runId.ToString(), line.RunId);
        Assert.Equal(3, File.ReadAllLines(layout.HostJsonPath).Length);
    }

    [Fact]
    public async Task Follow_LinesAppendedAcrossRotation_SeesEachOnceInOrder()
    {
        var options = new LogsOptions { Directory = _folder.Path, FileSizeLimitBytes = 4096, RetainedFiles = 50 };
        var layout = new LogFileLayout(_folder.Path);
        var seen = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tail = new LogTail(layout.ChainPath(nameof(RamiLevy), LogFileLayout.JsonExtension), new LogFilter(LogLevel.Trace, null, null), TimeProvider.System);
        var following = tail.FollowAsync(line =>
        {
            lock (seen)
            {
                seen.Add(line.Message);
            }

            return Task.CompletedTask;
        }, stop.Token);

        using (var factory = Factory(options))
        {
            var logger = factory.CreateLogger("Test");
            using var scope = logger.BeginScope(LogScope.ForChain(Guid.NewGuid(), new RamiLevy()));
            var padding = new string('y', 60);
            for (var i = 0; i < 200; i++)
            {
                TestLog.Line(logger, i, padding);
                if (i % 50 == 0)
                {
                    await Task.Delay(300);
                }
            }
        }

        while (!stop.IsCancellationRequested)
        {
            lock (seen)
            {
                if (seen.Count >= 200)
                {
                    break;
                }
            }

            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await following;
        Assert.True(LogFileLayout.Segments(layout.ChainPath(nameof(RamiLevy), LogFileLayout.JsonExtension)).Count > 3, "the log rolled over several times");
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"line {i} {new string('y', 60)}"), seen);
    }

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void ParseSince_Duration_CountsBackFromNow(string since, int seconds)
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddSeconds(-seconds), Host.Cli.LogsCommand.ParseSince(since, new Gogobe.TestSupport.FixedTimeProvider(now)));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero), Host.Cli.LogsCommand.ParseSince("2026-11-25T04:00Z", TimeProvider.System));
        Assert.Null(Host.Cli.LogsCommand.ParseSince("yesterday", TimeProvider.System));
    }

    private static ILoggerFactory Factory(LogsOptions options) =>
        LoggerFactory.Create(builder => builder.AddGogobeLogFiles(options));
}
