using Npgsql;

namespace Gogobe.Storage;

/// <summary>The newest run in the file log: its id, when its first file started, and whether any file is still processing.</summary>
public sealed record NewestRun(Guid RunId, DateTimeOffset StartedAt, bool Processing);

/// <summary>One file log row as the live log shows it.</summary>
public sealed record FileLogEvent(
    long Id, string Source, string FileName, string Status, int RowsRead, int RowsChanged, string? Error, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

/// <summary>Files and stores over the last day, for the dashboard's reliability and coverage tiles.</summary>
public sealed record DailyActivity(int Completed, int Failed, int StoresCovered, int StoresKnown);

/// <summary>A run's counters the dashboard turns into rates and an ETA.</summary>
public sealed record SessionCounters(long RowsChanged, long Products, double? AverageChainSeconds);

/// <summary>
/// Read-side queries for the live dashboard. Each is served by an index (the primary key, the run_id index or the
/// retention index on coalesce(finished_at, started_at)): the stream's producer runs them every tick, however big the log.
/// </summary>
public sealed class PgDashboardQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The newest run (by the newest log row's id, a primary-key lookup), or null when the log is empty.</summary>
    public async Task<NewestRun?> NewestRunAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            """
            WITH newest AS (SELECT run_id FROM file_processing_log ORDER BY id DESC LIMIT 1)
            SELECT n.run_id, min(f.started_at), coalesce(bool_or(f.status = 'processing'), false)
            FROM newest n JOIN file_processing_log f ON f.run_id = n.run_id
            GROUP BY n.run_id
            """);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new NewestRun(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2))
                    : null;
            }
        }
    }

    /// <summary>The highest log row id (0 when empty): where the live log starts.</summary>
    public async Task<long> MaxLogIdAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("SELECT coalesce(max(id), 0) FROM file_processing_log");
        await using (command.ConfigureAwait(false))
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>Rows added after <paramref name="afterId"/> plus the rows in <paramref name="watched"/> (still processing when last seen).</summary>
    public async Task<IReadOnlyList<FileLogEvent>> LogChangesAsync(long afterId, IReadOnlyCollection<long> watched, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            """
            SELECT id, source, file_name, status, rows_read, rows_changed, error, started_at, finished_at
            FROM file_processing_log
            WHERE id > $1 OR id = ANY($2)
            ORDER BY id
            LIMIT 5000
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterId });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. watched] });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<FileLogEvent>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(new FileLogEvent(
                        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
                }

                return rows;
            }
        }
    }

    /// <summary>Rows changed in <paramref name="runId"/>, products known (the sequence's high-water mark) and the run's average chain time.</summary>
    public async Task<SessionCounters> SessionCountersAsync(Guid? runId, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            """
            SELECT (SELECT coalesce(sum(rows_changed), 0)::bigint FROM file_processing_log WHERE run_id = $1),
                   (SELECT coalesce(max(id), 0) FROM products),
                   (SELECT avg(extract(epoch FROM d))::float8 FROM (
                        SELECT max(finished_at) - min(started_at) AS d FROM file_processing_log WHERE run_id = $1
                        GROUP BY source HAVING bool_and(status <> 'processing')) c)
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId ?? Guid.Empty });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new SessionCounters(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
            }
        }
    }

    /// <summary>Files completed and failed since <paramref name="since"/>, stores with a completed file since then, and stores known.</summary>
    public async Task<DailyActivity> ActivitySinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(
            """
            SELECT count(*) FILTER (WHERE status = 'completed')::int,
                   count(*) FILTER (WHERE status = 'failed')::int,
                   -- Known stores with a completed file since then (a chain's Stores file, store 0, is no store;
                   -- served by the daily-pass index).
                   (SELECT count(*) FROM stores s
                    WHERE EXISTS (SELECT 1 FROM file_processing_log l
                                  WHERE l.chain_id = s.chain_id AND l.store_id = s.store_code
                                    AND l.status = 'completed' AND l.finished_at >= $1))::int,
                   (SELECT count(*) FROM stores)::int
            FROM file_processing_log
            WHERE coalesce(finished_at, started_at) >= $1
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new DailyActivity(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
            }
        }
    }
}
