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

    /// <summary>A run's file and row counts, per source and overall. Served by the run_id index.</summary>
    public async Task<RunTotals> RunTotalsAsync(Guid runId, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            """
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
            FROM file_processing_log
            WHERE run_id = $1
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
