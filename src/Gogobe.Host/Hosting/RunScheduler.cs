using Gogobe.Core;
using Gogobe.Host.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Starts a run at every occurrence of <c>Gogobe:Runs:Schedule</c> (cron, Israel local time, so "0 4 * * *" is 04:00
/// in Israel whatever the server's zone and across daylight-saving changes). An empty schedule turns it off. A run
/// still going at the next occurrence is left alone: that occurrence is skipped, not queued.
/// </summary>
internal sealed partial class RunScheduler(RunLauncher launcher, IOptions<RunsOptions> runs, TimeProvider time, ILogger<RunScheduler> logger)
    : StoppableBackgroundService
{
    // Long waits are cut into pieces so a far-off occurrence never exceeds what a timer can wait.
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(12);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(runs.Value.Schedule))
        {
            return;
        }

        var schedule = RunsOptionsValidator.ParseSchedule(runs.Value.Schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(time.GetUtcNow(), IsraelClock.Zone);
            if (next is not { } due)
            {
                return;
            }

            LogNextRun(due);
            for (var wait = due - time.GetUtcNow(); wait > TimeSpan.Zero; wait = due - time.GetUtcNow())
            {
                await Task.Delay(wait < LongestWait ? wait : LongestWait, time, stoppingToken).ConfigureAwait(false);
            }

            // The database decides: a run active in any process (this serve, another serve, a `gogobe run`) is not started twice.
            var start = await launcher.TryStartAsync(stoppingToken).ConfigureAwait(false);
            if (start.RunId is { } runId)
            {
                LogStarted(runId);
            }
            else
            {
                LogSkipped(start.ActiveRunId!.Value);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Next scheduled run at {Due}")]
    private partial void LogNextRun(DateTimeOffset due);

    [LoggerMessage(LogLevel.Warning, "Scheduled run {RunId} started")]
    private partial void LogStarted(Guid runId);

    [LoggerMessage(LogLevel.Warning, "Scheduled run skipped: run {RunId} is still in progress")]
    private partial void LogSkipped(Guid runId);
}
