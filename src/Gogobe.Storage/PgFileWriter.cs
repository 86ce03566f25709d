using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage;

/// <summary>
/// One file's transaction. Batches go to temp staging tables by binary COPY (each row numbered, so the last occurrence
/// of a product wins across batches); <see cref="CompleteAsync"/> applies them with a few set-based statements and
/// stores the file's counts, reject breakdown and note on its log row. The promotion path is in PgFileWriter.Promotions.cs.
/// </summary>
internal sealed partial class PgFileWriter : IFileWriter
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly long _logId;
    private readonly FileTarget _target;
    private readonly TimeProvider _time;
    private readonly ProductKeyCache _products;
    private int? _storeDbId;
    private long _stagedPrices;
    private long _stagedStores;
    private long _stagedPromotions;
    private bool _priceStagingCreated;
    private bool _storeStagingCreated;
    private bool _promotionStagingCreated;
    private bool _completed;

    public PgFileWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, long logId, FileTarget target, TimeProvider time, ProductKeyCache products)
    {
        _products = products;
        _connection = connection;
        _transaction = transaction;
        _logId = logId;
        _target = target;
        _time = time;
    }

    /// <summary>Makes sure the target store (and its chain) exist and remembers <c>stores.id</c>.</summary>
    public async Task EnsureStoreAsync(CancellationToken cancellationToken)
    {
        // The chain row normally exists (EnsureChainsAsync); a placeholder name keeps the foreign key satisfied if not.
        var chainId = _target.ChainId;
        var storeCode = _target.StoreId;
        using var batch = new NpgsqlBatch(_connection, _transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO chains (chain_id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = chainId } },
                },
                new NpgsqlBatchCommand("INSERT INTO stores (chain_id, store_code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = chainId }, new NpgsqlParameter<int> { TypedValue = storeCode } },
                },
                new NpgsqlBatchCommand("SELECT id FROM stores WHERE chain_id = $1 AND store_code = $2")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = chainId }, new NpgsqlParameter<int> { TypedValue = storeCode } },
                },
            },
        };
        // Spans name the write step's parts (resolve, copy, upsert) for the benchmark's time split and for traces.
        using var resolve = GogobeTelemetry.Source.StartActivity("resolve");
        _storeDbId = (int)(await batch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task WritePricesAsync(IReadOnlyCollection<PriceRow> received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        ThrowIfCompleted();
        if (received.Count == 0)
        {
            return;
        }

        // Rows whose price the store already has are not staged (PgFileWriter.KnownPrices.cs).
        var rows = await ToStageAsync(received, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return;
        }

        if (!_priceStagingCreated)
        {
            await ExecuteAsync(StagingSql.CreatePrices, cancellationToken).ConfigureAwait(false);
            _priceStagingCreated = true;
        }

        using var copy = GogobeTelemetry.Source.StartActivity("copy");
        var importer = await _connection.BeginBinaryImportAsync(StagingSql.CopyPrices, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(_stagedPrices++, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ProductKey, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ChainId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ItemCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(checked((short)row.ItemType), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.ItemName, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.ManufacturerName, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.ManufactureCountry, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.ManufacturerItemDescription, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.UnitQty, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.Quantity, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.UnitOfMeasure, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.IsWeighted, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.QtyInPackage, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ItemPrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.UnitOfMeasurePrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.AllowDiscount, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync<short>(importer, row.ItemStatus is { } status ? checked((short)status) : null, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);

                // Published as Israel local time without a zone; "timestamp" must not receive a UTC-kind value.
                await WriteValueAsync<DateTime>(
                    importer,
                    row.PriceUpdateDate is { } updated ? DateTime.SpecifyKind(updated, DateTimeKind.Unspecified) : null,
                    NpgsqlDbType.Timestamp,
                    cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteStoresAsync(IReadOnlyCollection<StoreRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ThrowIfCompleted();
        if (rows.Count == 0)
        {
            return;
        }

        if (!_storeStagingCreated)
        {
            await ExecuteAsync(StagingSql.CreateStores, cancellationToken).ConfigureAwait(false);
            _storeStagingCreated = true;
        }

        var importer = await _connection.BeginBinaryImportAsync(StagingSql.CopyStores, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(_stagedStores++, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ChainId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.ChainName, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.StoreId, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.SubChainId, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.SubChainName, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.StoreName, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.Address, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.City, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.ZipCode, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync<short>(importer, row.StoreType is { } type ? checked((short)type) : null, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.BikoretNo, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<FileResult> CompleteAsync(FileCounts counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ThrowIfCompleted();

        var now = _time.GetUtcNow().UtcDateTime;
        long crossBatchDuplicates = 0;
        long rowsChanged = 0;

        if (_stagedPrices > 0)
        {
            if (_storeDbId is null)
            {
                await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
            }

            var (distinct, changed) = await ApplyPricesAsync(now, cancellationToken).ConfigureAwait(false);
            crossBatchDuplicates -= distinct;
            rowsChanged += changed;
        }

        // Every price row handed over counts, staged or not: duplicates are the rows beyond one per distinct product
        // (distinct = staged products, counted by the upsert, + products filtered out and never staged).
        crossBatchDuplicates += _priceRowsReceived - FilteredOnlyProducts();

        if (_stagedStores > 0)
        {
            await ExecuteAsync(StagingSql.InsertStoreChains, cancellationToken).ConfigureAwait(false);
            var (distinct, changed) = await QueryPairAsync(StagingSql.UpsertStores, cancellationToken,
                new NpgsqlParameter<DateTime> { TypedValue = now }).ConfigureAwait(false);
            crossBatchDuplicates += _stagedStores - distinct;
            rowsChanged += changed;
        }

        // A promo file applies even with nothing staged: an empty PromoFull says the store has no promotions now.
        if (_target.Kind is FileKind.PromoFull || (_target.Kind is FileKind.Promo && _stagedPromotions > 0))
        {
            if (_storeDbId is null)
            {
                await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
            }

            var (distinct, changed) = await ApplyPromotionsAsync(now, cancellationToken).ConfigureAwait(false);
            crossBatchDuplicates += _stagedPromotions - distinct;
            rowsChanged += changed;
        }

        var result = new FileResult(
            counts.RowsRead,
            checked(counts.DuplicatesRemoved + (int)crossBatchDuplicates),
            counts.RowsRejected,
            checked((int)rowsChanged));

        using (var complete = new NpgsqlCommand(
            """
            UPDATE file_processing_log
            SET status = 'completed', rows_read = $2, duplicates_removed = $3, rows_rejected = $4, rows_changed = $5, finished_at = $6,
                rejects = $7, note = $8
            WHERE id = $1 AND status = 'processing'
            """,
            _connection,
            _transaction))
        {
            complete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _logId });
            complete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = result.RowsRead });
            complete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = result.DuplicatesRemoved });
            complete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = result.RowsRejected });
            complete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = result.RowsChanged });
            complete.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
            complete.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)RejectsJson.Serialize(counts.RejectsByReason) ?? DBNull.Value });
            complete.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)counts.Note ?? DBNull.Value });
            if (await complete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                // Rolled back by dispose: the rows must not land without their log row saying so.
                throw new InvalidOperationException(
                    $"file_processing_log row {_logId} ({_target.FileName}) is missing or no longer 'processing'; the file's rows were not committed.");
            }
        }

        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        return result;
    }

    /// <summary>
    /// Runs the fast plain-INSERT statements under a savepoint; if a concurrent file inserted one of the same new rows
    /// first (unique_violation), rolls back to the savepoint and repeats with the ON CONFLICT statements.
    /// </summary>
    private async Task<(long Distinct, long Changed)> ApplyPricesAsync(DateTime now, CancellationToken cancellationToken)
    {
        // Sorting 10^5..10^6 staged rows in memory instead of on disk; scoped to this transaction.
        await ExecuteAsync("SET LOCAL work_mem = '64MB'", cancellationToken).ConfigureAwait(false);

        const string savepoint = "fast_path";
        await _transaction.SaveAsync(savepoint, cancellationToken).ConfigureAwait(false);
        try
        {
            using (GogobeTelemetry.Source.StartActivity("resolve"))
            {
                await ExecuteAsync(StagingSql.InsertNewProducts, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(StagingSql.NameBareProducts, cancellationToken).ConfigureAwait(false);
            }

            using var upsert = GogobeTelemetry.Source.StartActivity("upsert");
            return await QueryPairAsync(StagingSql.UpsertPrices, cancellationToken, ApplyParameters(now)).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await _transaction.RollbackAsync(savepoint, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(StagingSql.InsertNewProductsSafe, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(StagingSql.NameBareProducts, cancellationToken).ConfigureAwait(false);
            return await QueryPairAsync(StagingSql.UpsertPricesSafe, cancellationToken, ApplyParameters(now)).ConfigureAwait(false);
        }
    }

    private NpgsqlParameter[] ApplyParameters(DateTime now) =>
    [
        new NpgsqlParameter<int> { TypedValue = _storeDbId!.Value },
        new NpgsqlParameter<DateTime> { TypedValue = now },
        new NpgsqlParameter<long> { TypedValue = _logId },
    ];

    public async ValueTask DisposeAsync()
    {
        // Disposing an uncommitted transaction rolls it back (staging tables go with it).
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfCompleted() => ObjectDisposedException.ThrowIf(_completed, this);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        using var command = new NpgsqlCommand(sql, _connection, _transaction);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(long First, long Second)> QueryPairAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        using var command = new NpgsqlCommand(sql, _connection, _transaction);
        command.Parameters.AddRange(parameters);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteValueAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
