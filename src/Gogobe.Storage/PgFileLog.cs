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
    public async Task<IReadOnlySet<(int StoreId, FileKind Kind)>> CompletedOnAsync(
        string chainId, DateOnly israelDay, CancellationToken cancellationToken)
    {
        var (start, end) = IsraelClock.DayBounds(israelDay);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Served by file_processing_log_daily_pass_idx (chain_id, store_id, file_type, finished_at) WHERE completed.
            var rows = await connection.QueryAsync<(int StoreId, string Kind)>(new CommandDefinition(
                """
                SELECT DISTINCT store_id, file_type FROM file_processing_log
                WHERE chain_id = @chainId AND status = 'completed' AND finished_at >= @start AND finished_at < @end
                  AND store_id IS NOT NULL AND file_type IS NOT NULL
                """,
                new { chainId, start = start.UtcDateTime, end = end.UtcDateTime },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var completed = new HashSet<(int StoreId, FileKind Kind)>();
            foreach (var (storeId, kind) in rows)
            {
                if (Enum.TryParse<FileKind>(kind, out var parsed))
                {
                    completed.Add((storeId, parsed));
                }
            }

            return completed;
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

    public async Task SkipAsync(IReadOnlyCollection<FileLogStart> entries, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (entries.Count == 0)
        {
            return;
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One statement (one commit) for a chain's skipped files: the daily pass over a national day skips thousands.
            using var command = new NpgsqlCommand(
                """
                INSERT INTO file_processing_log (run_id, source, chain_id, store_id, file_name, file_type, status, error, started_at, finished_at)
                SELECT e.run_id, e.source, e.chain_id, e.store_id, e.file_name, e.file_type, 'skipped', $7, $8, $8
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
                     WITH ORDINALITY AS e (run_id, source, chain_id, store_id, file_name, file_type, n)
                ORDER BY e.n
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. entries.Select(e => e.RunId)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.Source)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.ChainId)] });
            command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = [.. entries.Select(e => e.StoreId)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.FileName)] });
            command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. entries.Select(e => e.Kind?.ToString())] });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = time.GetUtcNow().UtcDateTime });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
