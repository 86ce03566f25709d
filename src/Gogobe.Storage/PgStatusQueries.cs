using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>Read-side queries over <c>file_processing_log</c> for the CLI summary and the dashboard.</summary>
public sealed class PgStatusQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The newest file per source, as <c>SELECT DISTINCT ON (source) ... ORDER BY source, started_at DESC, id DESC</c>
    /// would return it, but written as a skip scan: a recursive CTE hops from one source to the next through the
    /// (source, started_at DESC) index, then reads each source's newest row from the same index. A plain DISTINCT ON
    /// reads every row of the log (a year of daily runs is millions); this reads a few index pages per source.
    /// See docs/RETENTION.md for the timings.
    /// </summary>
    internal const string LatestPerChainSql = """
        WITH RECURSIVE sources AS (
            (SELECT source FROM file_processing_log ORDER BY source LIMIT 1)
            UNION ALL
            SELECT (SELECT f.source FROM file_processing_log f WHERE f.source > s.source ORDER BY f.source LIMIT 1)
            FROM sources s
            WHERE s.source IS NOT NULL
        )
        SELECT l.source, l.chain_id, l.run_id, l.store_id, l.file_name, l.file_type, l.status, l.rows_read, l.duplicates_removed,
               l.rows_rejected, l.rows_changed, l.error, l.started_at, l.finished_at, l.rejects::text, l.note
        FROM sources s
        CROSS JOIN LATERAL (
            SELECT f.*
            FROM file_processing_log f
            WHERE f.source = s.source
            ORDER BY f.started_at DESC, f.id DESC
            LIMIT 1
        ) l
        WHERE s.source IS NOT NULL
        ORDER BY l.source
        """;

    /// <summary>The newest file per source (see <see cref="LatestPerChainSql"/>), ordered by source.</summary>
    public async Task<IReadOnlyList<ChainFileStatus>> LatestPerChainAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(LatestPerChainSql);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var result = new List<ChainFileStatus>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(new ChainFileStatus(
                        Source: reader.GetString(0),
                        ChainId: reader.GetString(1),
                        RunId: reader.GetGuid(2),
                        StoreId: reader.IsDBNull(3) ? null : reader.GetInt32(3),
                        FileName: reader.GetString(4),
                        FileType: reader.IsDBNull(5) ? null : reader.GetString(5),
                        Status: reader.GetString(6),
                        RowsRead: reader.GetInt32(7),
                        DuplicatesRemoved: reader.GetInt32(8),
                        RowsRejected: reader.GetInt32(9),
                        RowsChanged: reader.GetInt32(10),
                        Error: reader.IsDBNull(11) ? null : reader.GetString(11),
                        StartedAt: reader.GetFieldValue<DateTimeOffset>(12),
                        FinishedAt: reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                        RejectsByReason: RejectsJson.Parse(reader.IsDBNull(14) ? null : reader.GetString(14)),
                        Note: reader.IsDBNull(15) ? null : reader.GetString(15)));
                }

                return result;
            }
        }
    }

    /// <summary>
    /// A run's log rows, each file (and each chain's <c>(listing)</c> row) at its last attempt: a file redone after a stop
    /// or a lost worker counts as how it ended the second time, in the summary, the runs API and the fleet alike.
    /// </summary>
    private const string LastAttempts =
        "SELECT DISTINCT ON (chain_id, file_name) * FROM file_processing_log WHERE run_id = $1 ORDER BY chain_id, file_name, id DESC";

    /// <summary>
    /// Every file of a run as the log holds it, whoever processed it, each at its last attempt (the chains' <c>(listing)</c>
    /// rows and unrecognised names, which have no kind, left out):
    /// the run's summary is built from these, so it tells the database's truth. Served by the run_id index.
    /// </summary>
    public async Task<IReadOnlyList<(string ChainId, FileOutcome Outcome)>> RunFilesAsync(Guid runId, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            $$"""
            SELECT chain_id, file_name, file_type, store_id, status, rows_read, duplicates_removed, rows_rejected, rows_changed, error,
                   extract(epoch FROM coalesce(finished_at, started_at) - started_at)::float8
            FROM ({{LastAttempts}}) last
            WHERE file_name <> '(listing)' AND file_type IS NOT NULL
            ORDER BY id
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var files = new List<(string, FileOutcome)>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var status = reader.GetString(4) switch
                    {
                        "completed" => Core.Orchestration.FileStatus.Completed,
                        "skipped" => Core.Orchestration.FileStatus.Skipped,
                        _ => Core.Orchestration.FileStatus.Failed, // failed, or processing: not completed in this run
                    };
                    var kind = !reader.IsDBNull(2) && Enum.TryParse<FileKind>(reader.GetString(2), ignoreCase: true, out var k) ? k : (FileKind?)null;
                    files.Add((reader.GetString(0), new FileOutcome(
                        reader.GetString(1), kind, reader.IsDBNull(3) ? null : reader.GetInt32(3), status,
                        reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8),
                        reader.IsDBNull(9) ? null : reader.GetString(9), TimeSpan.FromSeconds(reader.GetDouble(10)))));
                }

                return files;
            }
        }
    }

    /// <summary>A run's file and row counts (each file at its last attempt), per source and overall. Served by the run_id index.</summary>
    public async Task<RunTotals> RunTotalsAsync(Guid runId, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            $$"""
            SELECT source, chain_id,
                   count(*)::int,
                   count(*) FILTER (WHERE status = 'processing')::int,
                   count(*) FILTER (WHERE status = 'completed')::int,
                   count(*) FILTER (WHERE status = 'failed')::int,
                   count(*) FILTER (WHERE status = 'skipped')::int,
                   coalesce(sum(rows_read), 0)::bigint,
                   coalesce(sum(duplicates_removed), 0)::bigint,
                   coalesce(sum(rows_rejected), 0)::bigint,
                   coalesce(sum(rows_changed), 0)::bigint
            FROM ({{LastAttempts}}) last
            GROUP BY source, chain_id
            ORDER BY source, chain_id
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var chains = new List<ChainRunTotals>();
                var total = FileTotals.Zero;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var totals = new FileTotals(
                        reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6),
                        reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10));
                    chains.Add(new ChainRunTotals(reader.GetString(0), reader.GetString(1), totals));
                    total = total.Add(totals);
                }

                return new RunTotals(runId, total, chains);
            }
        }
    }
}
