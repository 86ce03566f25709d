using Dapper;
using Gogobe.Core;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// <see cref="IFileLog"/> on <c>file_processing_log</c>. Every call is its own short autocommitted statement, so a
/// file's <c>processing</c> row is visible to the dashboard at once; <c>completed</c> is written by the file's writer.
/// </summary>
public sealed class PgFileLog(NpgsqlDataSource dataSource, TimeProvider time) : IFileLog
{
    public async Task<bool> CompletedOnAsync(string chainId, int storeId, FileKind kind, DateOnly israelDay, CancellationToken cancellationToken)
    {
        var (start, end) = IsraelClock.DayBounds(israelDay);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                SELECT EXISTS (
                    SELECT 1 FROM file_processing_log
                    WHERE chain_id = @chainId AND store_id = @storeId AND file_type = @kind
                      AND status = 'completed' AND finished_at >= @start AND finished_at < @end)
                """,
                new { chainId, storeId, kind = kind.ToString(), start = start.UtcDateTime, end = end.UtcDateTime },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<long> StartAsync(FileLogStart entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO file_processing_log (run_id, source, chain_id, store_id, file_name, file_type, status, started_at)
                VALUES (@RunId, @Source, @ChainId, @StoreId, @FileName, @Kind, 'processing', @Now)
                RETURNING id
                """,
                Parameters(entry, time.GetUtcNow().UtcDateTime),
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task SkipAsync(FileLogStart entry, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var parameters = Parameters(entry, time.GetUtcNow().UtcDateTime);
            parameters.Add("Reason", reason);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO file_processing_log (run_id, source, chain_id, store_id, file_name, file_type, status, error, started_at, finished_at)
                VALUES (@RunId, @Source, @ChainId, @StoreId, @FileName, @Kind, 'skipped', @Reason, @Now, @Now)
                """,
                parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Marks the row failed, with the counts' reject breakdown and note. A row that is no longer <c>processing</c> is left alone: if the file's transaction already
    /// committed, <c>completed</c> is the truth and a late failure (say, a cancelled cleanup) must not overwrite it.
    /// </summary>
    public async Task FailAsync(long logId, string reason, FileCounts counts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentNullException.ThrowIfNull(counts);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE file_processing_log
                SET status = 'failed', error = @reason, rows_read = @RowsRead, duplicates_removed = @DuplicatesRemoved,
                    rows_rejected = @RowsRejected, rejects = @rejects::jsonb, note = @Note, finished_at = @now
                WHERE id = @logId AND status = 'processing'
                """,
                new
                {
                    logId,
                    reason,
                    counts.RowsRead,
                    counts.DuplicatesRemoved,
                    counts.RowsRejected,
                    rejects = RejectsJson.Serialize(counts.RejectsByReason),
                    counts.Note,
                    now = time.GetUtcNow().UtcDateTime,
                },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private static DynamicParameters Parameters(FileLogStart entry, DateTime now)
    {
        var parameters = new DynamicParameters();
        parameters.Add("RunId", entry.RunId);
        parameters.Add("Source", entry.Source);
        parameters.Add("ChainId", entry.ChainId);
        parameters.Add("StoreId", entry.StoreId, System.Data.DbType.Int32);
        parameters.Add("FileName", entry.FileName);
        parameters.Add("Kind", entry.Kind?.ToString(), System.Data.DbType.String);
        parameters.Add("Now", now);
        return parameters;
    }
}
