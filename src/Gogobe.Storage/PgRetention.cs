using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// Prunes what a year of daily runs piles up, so queries stay fast: old <c>file_processing_log</c> rows (deleted in
/// small batches, each its own short transaction, so the log stays writable while a run is going) and, when
/// <see cref="RetentionOptions.PriceHistoryDays"/> is set, whole monthly partitions of <c>price_history</c>.
/// <para>
/// Dropping history is safe for current data: <c>price_history</c> only records changes, the current price of every
/// store and product lives in <c>prices</c> and is never touched here.
/// </para>
/// </summary>
public static partial class PgRetention
{
    /// <summary>Prunes and returns what went.</summary>
    public static Task<RetentionResult> PruneAsync(NpgsqlDataSource dataSource, RetentionOptions options, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(dataSource, options, time, dryRun: false, cancellationToken);

    /// <summary>Counts what <see cref="PruneAsync"/> would prune now, changing nothing.</summary>
    public static Task<RetentionResult> PreviewAsync(NpgsqlDataSource dataSource, RetentionOptions options, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(dataSource, options, time, dryRun: true, cancellationToken);

    private static async Task<RetentionResult> RunAsync(NpgsqlDataSource dataSource, RetentionOptions options, TimeProvider time, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();

        var now = time.GetUtcNow();
        DateTimeOffset? logCutoff = options.FileLogDays > 0 ? now.AddDays(-options.FileLogDays) : null;
        DateTimeOffset? historyCutoff = options.PriceHistoryDays > 0 ? now.AddDays(-options.PriceHistoryDays) : null;

        var logRows = logCutoff is { } lc
            ? await PruneFileLogAsync(dataSource, lc, options.DeleteBatchSize, dryRun, cancellationToken).ConfigureAwait(false)
            : 0;

        var dropped = new List<string>();
        long historyRows = 0;
        if (historyCutoff is { } hc)
        {
            foreach (var partition in await PartitionsEndingByAsync(dataSource, hc, cancellationToken).ConfigureAwait(false))
            {
                historyRows += await DropPartitionAsync(dataSource, partition, dryRun, cancellationToken).ConfigureAwait(false);
                dropped.Add(partition);
            }
        }

        // The runs and tasks tables (not created yet) get their own prune step here, with their own *Days option.
        return new RetentionResult(dryRun, logCutoff, logRows, historyCutoff, dropped, historyRows);
    }

    /// <summary>
    /// Log rows finished before the cutoff (a row a crashed run left <c>processing</c> counts by its start), served by
    /// the expression index of migration 0003.
    /// </summary>
    private static async Task<long> PruneFileLogAsync(NpgsqlDataSource dataSource, DateTimeOffset cutoff, int batchSize, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            var count = dataSource.CreateCommand("SELECT count(*) FROM file_processing_log WHERE coalesce(finished_at, started_at) < $1");
            await using (count.ConfigureAwait(false))
            {
                count.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = cutoff.UtcDateTime });
                return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
        }

        long total = 0;
        while (true)
        {
            var delete = dataSource.CreateCommand(
                """
                DELETE FROM file_processing_log
                WHERE id IN (SELECT id FROM file_processing_log WHERE coalesce(finished_at, started_at) < $1 LIMIT $2)
                """);
            await using (delete.ConfigureAwait(false))
            {
                delete.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = cutoff.UtcDateTime });
                delete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
                var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                total += deleted;
                if (deleted < batchSize)
                {
                    return total;
                }
            }
        }
    }

    /// <summary>
    /// The monthly partitions whose whole month (UTC) ends at or before the cutoff, oldest first. Only partitions named
    /// as <see cref="PgPartitions"/> names them are considered; DEFAULT is never dropped (EnsureMonthlyAsync drains it).
    /// </summary>
    private static async Task<List<string>> PartitionsEndingByAsync(NpgsqlDataSource dataSource, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            """
            SELECT c.relname
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'partitions'
            WHERE i.inhparent = 'price_history'::regclass
            """);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var result = new SortedList<DateOnly, string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var name = reader.GetString(0);
                    var match = MonthlyPartition().Match(name);
                    if (!match.Success)
                    {
                        continue;
                    }

                    var month = new DateOnly(
                        int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 1);
                    var end = new DateTimeOffset(month.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    if (end <= cutoff)
                    {
                        result.Add(month, name);
                    }
                }

                return [.. result.Values];
            }
        }
    }

    /// <summary>Detaches and drops one partition in one transaction; returns its row count (counted, not dropped, in a dry run).</summary>
    private static async Task<long> DropPartitionAsync(NpgsqlDataSource dataSource, string partition, bool dryRun, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                // The name matched ^price_history_\d{4}_\d{2}$ and comes from the catalog, so quoting it is enough.
                var quoted = $"partitions.\"{partition}\"";

                // DETACH locks price_history; better to fail this prune than to stall a run's writers for long.
                await ExecuteAsync(connection, tx, "SET LOCAL lock_timeout = '30s'", cancellationToken).ConfigureAwait(false);
                long rows;
                using (var count = new NpgsqlCommand($"SELECT count(*) FROM {quoted}", connection, tx))
                {
                    rows = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                if (!dryRun)
                {
                    await ExecuteAsync(connection, tx, $"ALTER TABLE price_history DETACH PARTITION {quoted}", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, tx, $"DROP TABLE {quoted}", cancellationToken).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                return rows;
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^price_history_(\d{4})_(\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthlyPartition();
}
