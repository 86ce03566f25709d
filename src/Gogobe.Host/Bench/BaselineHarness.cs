using System.Diagnostics;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.Core.Scraping;
using Gogobe.Storage;
using Npgsql;

namespace Gogobe.Host.Bench;

/// <summary>A file of the baseline subset: where it lies on disk and its chain.</summary>
internal sealed record BenchFile(Chain Chain, string Name, string Path);

/// <summary>
/// Compares write paths like with like: the same files, the same harness (files as many at a time as there are cores,
/// each read and deduplicated in memory, then written in one transaction with its file-log row), the same schema,
/// a fresh database per method. Only the write step differs.
/// </summary>
internal static class BaselineHarness
{
    public const string PerRow = "one INSERT … ON CONFLICT per row";
    public const string MultiRow = "1,000-row multi-row upserts";
    public const string Gogobe = "Gogobe (direct COPY of narrow rows)";

    /// <summary>The straightforward pipeline of issue 7: the XmlReader parser, COPY to a staging table, one upsert.</summary>
    public const string Staged = "XmlReader + COPY to staging + one upsert";

    /// <summary>
    /// The reader alone (decompress, decode, parse, validate; no dedup, no database), on this one thread: rows/s per
    /// core, by the fast parser (the product's) and, over the same files in the same run, by the XmlReader parser it
    /// falls back to. CPU time is the process's, which is this loop while nothing else runs. Both are warmed up first
    /// (JIT), then run twice in turn; the better pass of each counts.
    /// </summary>
    public static ParseOnlyResult ParseOnly(IReadOnlyList<BenchFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var warmUp = files.Take(3).ToArray();
        ParsePass(warmUp, PriceParser.Fast, cancellationToken);
        ParsePass(warmUp, PriceParser.XmlReader, cancellationToken);
        var xml = ParsePass(files, PriceParser.XmlReader, cancellationToken);
        var fast = ParsePass(files, PriceParser.Fast, cancellationToken);
        var xmlAgain = ParsePass(files, PriceParser.XmlReader, cancellationToken);
        var fastAgain = ParsePass(files, PriceParser.Fast, cancellationToken);
        if (xmlAgain.Cpu < xml.Cpu)
        {
            xml = xmlAgain;
        }

        if (fastAgain.Cpu < fast.Cpu)
        {
            fast = fastAgain;
        }

        return new ParseOnlyResult(
            files.Count, fast.Rows, fast.Wall, fast.Cpu, fast.RowsPerCoreSecond, xml.Cpu, xml.RowsPerCoreSecond, xml.Rows == fast.Rows);
    }

    private static (long Rows, double Wall, double Cpu, double RowsPerCoreSecond) ParsePass(
        IReadOnlyList<BenchFile> files, PriceParser parser, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        long rows = 0;
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file.Path);
            using var decoded = PriceFileReader.Open(stream);
            var stats = new ReadStats();
            foreach (var _ in PriceFileReader.ReadPrices(decoded, stats, parser, cancellationToken))
            {
                rows++;
            }
        }

        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        self.Refresh();
        var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        // Per core by CPU time: on a shared machine wall time also counts other processes' turns.
        return (rows, wall, cpuSeconds, rows / Math.Max(cpuSeconds > 0 ? cpuSeconds : wall, 1e-9));
    }

    public static async Task<BaselineResult> RunAsync(
        string method, BenchDatabase database, string databaseName, IReadOnlyList<BenchFile> files, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(files);
        var source = await database.FreshAsync(databaseName, cancellationToken).ConfigureAwait(false);
        var sink = new PgPriceSink(source, time);
        var log = new PgFileLog(source, time);
        await sink.EnsureChainsAsync([.. files.Select(f => f.Chain).DistinctBy(c => c.Id)], cancellationToken).ConfigureAwait(false);
        var first = await PassAsync(method, source, sink, log, files, time, cancellationToken).ConfigureAwait(false);
        var again = await PassAsync(method, source, sink, log, files, time, cancellationToken).ConfigureAwait(false);
        return new BaselineResult(
            method, files.Count, first.Rows, first.Wall, first.Write, again.Wall, again.Write,
            await BenchDatabase.CountAsync(source, "prices", cancellationToken).ConfigureAwait(false),
            await BenchDatabase.CountAsync(source, "price_history", cancellationToken).ConfigureAwait(false));
    }

    private static async Task<(long Rows, double Wall, double Write)> PassAsync(
        string method, NpgsqlDataSource source, PgPriceSink sink, PgFileLog log, IReadOnlyList<BenchFile> files, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var runId = Guid.CreateVersion7(time.GetUtcNow());
        long rows = 0;
        long writeTicks = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (file, ct) =>
            {
                var parsed = Read(file, method == Staged ? PriceParser.XmlReader : PriceParser.Fast, ct);
                Interlocked.Add(ref rows, parsed.Rows.Count + parsed.Duplicates);
                var writing = Stopwatch.GetTimestamp();
                var first = parsed.Rows[0];
                var logId = await log.StartAsync(
                    new FileLogStart(runId, file.Chain.Name, file.Chain.Id, first.StoreId, file.Name, FileKind.PriceFull), ct).ConfigureAwait(false);
                var counts = new FileCounts(parsed.Rows.Count + parsed.Duplicates, parsed.Duplicates, 0);
                if (method == Gogobe)
                {
                    await WriteGogobeAsync(sink, logId, file, parsed.Rows, counts, ct).ConfigureAwait(false);
                }
                else if (method == Staged)
                {
                    await WriteStagedAsync(source, logId, file, parsed.Rows, counts, time, ct).ConfigureAwait(false);
                }
                else
                {
                    await WriteStatementsAsync(source, logId, file, parsed.Rows, counts, method == PerRow ? 1 : 1_000, time, ct).ConfigureAwait(false);
                }

                Interlocked.Add(ref writeTicks, Stopwatch.GetTimestamp() - writing);
            }).ConfigureAwait(false);
        return (rows, Stopwatch.GetElapsedTime(started).TotalSeconds, Stopwatch.GetElapsedTime(0, writeTicks).TotalSeconds);
    }

    private static async Task WriteGogobeAsync(
        PgPriceSink sink, long logId, BenchFile file, List<PriceRow> rows, FileCounts counts, CancellationToken cancellationToken)
    {
        var writer = await sink.BeginFileAsync(logId, new FileTarget(file.Chain.Id, rows[0].StoreId, FileKind.PriceFull, file.Name), cancellationToken)
            .ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var chunk in rows.Chunk(5_000))
            {
                await writer.WritePricesAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(counts, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteStatementsAsync(
        NpgsqlDataSource source, long logId, BenchFile file, List<PriceRow> rows, FileCounts counts, int chunk, TimeProvider time,
        CancellationToken cancellationToken) =>
        InFileTransactionAsync(source, logId, file, rows, counts, time, async (connection, transaction, storeId, now) =>
        {
            NpgsqlBatch? full = null;
            try
            {
                for (var offset = 0; offset < rows.Count; offset += chunk)
                {
                    var count = Math.Min(chunk, rows.Count - offset);
                    if (count == chunk)
                    {
                        // One prepared batch reused for every full chunk: the per-row baseline at its best.
                        if (full is null)
                        {
                            full = BaselineSql.Create(connection, transaction, count);
                            BaselineSql.Bind(full, rows, offset, count, storeId, now, logId);
                            await full.PrepareAsync(cancellationToken).ConfigureAwait(false);
                        }

                        BaselineSql.Bind(full, rows, offset, count, storeId, now, logId);
                        await full.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        using var tail = BaselineSql.Create(connection, transaction, count);
                        BaselineSql.Bind(tail, rows, offset, count, storeId, now, logId);
                        await tail.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                full?.Dispose();
            }
        }, cancellationToken);

    /// <summary>
    /// The straightforward set-based write: every row binary-COPYed into a temporary staging table, then the new
    /// products inserted from it and the prices upserted from it in one statement (changed ones only), history appended.
    /// </summary>
    private static Task WriteStagedAsync(
        NpgsqlDataSource source, long logId, BenchFile file, List<PriceRow> rows, FileCounts counts, TimeProvider time, CancellationToken cancellationToken) =>
        InFileTransactionAsync(source, logId, file, rows, counts, time, async (connection, transaction, storeId, now) =>
        {
            using (var create = new NpgsqlCommand(BaselineSql.CreateStaging, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await BaselineSql.CopyStagingAsync(connection, rows, cancellationToken).ConfigureAwait(false);
            using (var products = new NpgsqlCommand(BaselineSql.InsertStagedProducts, connection, transaction))
            {
                await products.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var prices = new NpgsqlCommand(BaselineSql.UpsertStagedPrices, connection, transaction);
            prices.Parameters.Add(new NpgsqlParameter<int> { TypedValue = storeId });
            prices.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            prices.Parameters.Add(new NpgsqlParameter<long> { TypedValue = logId });
            await prices.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// A baseline's file: one connection and transaction, the store's id, <paramref name="write"/> (given the connection,
    /// transaction, store id and the write's timestamp), then the file-log row completed and the transaction committed.
    /// </summary>
    private static async Task InFileTransactionAsync(
        NpgsqlDataSource source, long logId, BenchFile file, List<PriceRow> rows, FileCounts counts, TimeProvider time,
        Func<NpgsqlConnection, NpgsqlTransaction, int, DateTime, Task> write, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var storeId = await StoreIdAsync(connection, transaction, file.Chain.Id, rows[0].StoreId, cancellationToken).ConfigureAwait(false);
                await write(connection, transaction, storeId, now).ConfigureAwait(false);
                await CompleteAsync(connection, transaction, logId, counts, now, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long logId, FileCounts counts, DateTime now, CancellationToken cancellationToken)
    {
        using var complete = new NpgsqlCommand(
            "UPDATE file_processing_log SET status = 'completed', rows_read = $2, duplicates_removed = $3, finished_at = $4 WHERE id = $1",
            connection,
            transaction);
        complete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = logId });
        complete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = counts.RowsRead });
        complete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = counts.DuplicatesRemoved });
        complete.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
        await complete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> StoreIdAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string chainId, int storeCode, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(
            """
            WITH ins AS (INSERT INTO stores (chain_id, store_code) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id)
            SELECT id FROM ins UNION ALL SELECT id FROM stores WHERE chain_id = $1 AND store_code = $2
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chainId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = storeCode });
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Reads a file and keeps the last row per product, sorted by product key.</summary>
    private static (List<PriceRow> Rows, int Duplicates) Read(BenchFile file, PriceParser parser, CancellationToken cancellationToken)
    {
        using var stream = File.OpenRead(file.Path);
        using var decoded = PriceFileReader.Open(stream);
        var stats = new ReadStats();
        var byKey = new Dictionary<string, PriceRow>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in PriceFileReader.ReadPrices(decoded, stats, parser, cancellationToken))
        {
            if (!byKey.TryAdd(row.ProductKey, row))
            {
                byKey[row.ProductKey] = row;
                duplicates++;
            }
        }

        var rows = byKey.Values.ToList();
        rows.Sort((a, b) => string.CompareOrdinal(a.ProductKey, b.ProductKey));
        return (rows, duplicates);
    }
}
