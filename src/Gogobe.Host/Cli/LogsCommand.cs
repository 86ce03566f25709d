using System.CommandLine;
using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Host.Hosting;
using Gogobe.Host.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe logs</c>: prints the log files. Default: the latest run's log; <c>--run ID</c> another run's;
/// <c>--chain X</c> that chain's log (all runs), or its lines in the given run; <c>--follow</c> keeps printing lines as
/// they are written, across file rotation, until Ctrl+C (without <c>--run</c>/<c>--chain</c> it follows the whole host).
/// </summary>
internal static class LogsCommand
{
    private static readonly Option<string?> Run = new("--run") { Description = "The run's id (default: the latest run)." };
    private static readonly Option<string?> Chain = new("--chain") { Description = "A chain: name, class name or chain id." };
    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep printing new lines until Ctrl+C." };
    private static readonly Option<string?> Since = new("--since")
    {
        Description = "Only lines from this time on: a duration back from now (30s, 10m, 2h, 1d) or a date/time (2026-11-25T04:00Z).",
    };
    private static readonly Option<string> Level = new("--level")
    {
        Description = "The lowest level printed: trace, debug, info, warning, error, critical.",
        DefaultValueFactory = _ => "trace",
    };

    public static Command Create()
    {
        var command = new Command("logs", "Print the log files: the latest run's by default, a run's, a chain's; --follow to tail them.")
        {
            Run, Chain, Follow, Since, Level, OpsSettings.LogDir,
        };
        Level.Validators.Add(result =>
        {
            if (LogLine.ParseLevel(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError("--level is one of trace, debug, info, warning, error, critical.");
            }
        });
        Since.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } since && ParseSince(since, TimeProvider.System) is null)
            {
                result.AddError("--since is a duration (30s, 10m, 2h, 1d) or a date/time (2026-11-25T04:00Z).");
            }
        });
        command.SetAction(PrintAsync);
        return command;
    }

    private static async Task<int> PrintAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (ops, failure) = OpsSettings.Read(parse);
        if (ops is null || string.IsNullOrWhiteSpace(ops.Logs.Directory))
        {
            await System.Console.Error.WriteLineAsync(failure ?? "Log files are off (Gogobe:Logs:Directory is empty).").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var time = TimeProvider.System;
        var layout = new LogFileLayout(ops.Logs.Directory);
        var run = parse.GetValue(Run);
        var follow = parse.GetValue(Follow);
        string? chainKey = null;
        if (parse.GetValue(Chain) is { } chain)
        {
            chainKey = ChainKey(chain, layout);
            if (chainKey is null)
            {
                await System.Console.Error.WriteLineAsync($"No chain and no chain log matches '{chain}' (see gogobe chains).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        string basePath;
        if (run is not null)
        {
            basePath = layout.RunPath(run, LogFileLayout.JsonExtension);
        }
        else if (chainKey is not null)
        {
            basePath = layout.ChainPath(chainKey, LogFileLayout.JsonExtension);
            // The chain's own file holds only its lines: no need to filter on it.
            chainKey = null;
        }
        else if (follow)
        {
            basePath = layout.HostJsonPath;
        }
        else if (LogFileLayout.Logs(layout.RunsDirectory, LogFileLayout.JsonExtension) is [var latest, ..])
        {
            basePath = latest;
        }
        else
        {
            await System.Console.Error.WriteLineAsync($"No run logs in {layout.RunsDirectory} yet.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (!follow && LogFileLayout.Segments(basePath).Count == 0)
        {
            await System.Console.Error.WriteLineAsync($"No log at {basePath}.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var since = parse.GetValue(Since) is { } s ? ParseSince(s, time) : null;
        var filter = new LogFilter(LogLine.ParseLevel(parse.GetValue(Level)) ?? LogLevel.Trace, since, chainKey);
        var tail = new LogTail(basePath, filter, time);
        var output = System.Console.Out;
        Task Write(LogLine line) => output.WriteLineAsync(line.Format());
        if (!follow)
        {
            await tail.ReadAvailableAsync(Write, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        using var signals = new ShutdownSignals(TimeSpan.FromSeconds(2), time, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping);
        await tail.FollowAsync(async line =>
        {
            await Write(line).ConfigureAwait(false);
            // Line by line: whoever pipes this (a test, grep) sees each line when it is written.
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }, stop.Token).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The chain's log key: its scraper class when the registry knows the chain, else a chain log of that name.</summary>
    private static string? ChainKey(string chain, LogFileLayout layout)
    {
        try
        {
            return ScraperRegistry.Discover().Select([chain]) is [var scraper, ..] ? scraper.GetType().Name : null;
        }
        catch (ArgumentException)
        {
            var key = LogFileLayout.SafeKey(chain);
            return LogFileLayout.Segments(layout.ChainPath(key, LogFileLayout.JsonExtension)).Count > 0 ? key : null;
        }
    }

    internal static DateTimeOffset? ParseSince(string since, TimeProvider time)
    {
        if (since.Length >= 2 && double.TryParse(since.AsSpan(0, since.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            TimeSpan? back = since[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (back is { } span)
            {
                return time.GetUtcNow() - span;
            }
        }

        return DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
