using Gogobe.Host.Configuration;
using Gogobe.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Keeps a long-lived server's database bounded: shortly after start and then once a day, creates the coming months'
/// price_history partitions and prunes what <c>Gogobe:Retention</c> says is too old. A failure is logged and retried
/// the next day; it never stops the server.
/// </summary>
internal sealed partial class RetentionService(
    AppDatabase database, IOptions<Configuration.RetentionOptions> retention, TimeProvider time, ILogger<RetentionService> logger) : StoppableBackgroundService
{
    private static readonly TimeSpan FirstPassAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Every = TimeSpan.FromDays(1);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var options = new Storage.RetentionOptions
        {
            FileLogDays = retention.Value.FileLogDays,
            PriceHistoryDays = retention.Value.PriceHistoryDays,
        };
        options.Validate();
        await Task.Delay(FirstPassAfter, time, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var partitions = await PgPartitions.EnsureMonthlyAsync(database.DataSource, time.GetUtcNow(), 2, stoppingToken).ConfigureAwait(false);
                var pruned = await PgRetention.PruneAsync(database.DataSource, options, time, stoppingToken).ConfigureAwait(false);
                LogPruned(partitions.Created.Count, pruned.FileLogRowsDeleted, pruned.PartitionsDropped.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }

            await Task.Delay(Every, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Partitions} partitions created, {LogRows} log rows and {HistoryPartitions} history partitions pruned")]
    private partial void LogPruned(int partitions, long logRows, int historyPartitions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention pass failed; next try in a day")]
    private partial void LogFailed(Exception exception);
}
