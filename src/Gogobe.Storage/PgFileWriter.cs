using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage;

/// <summary>
/// One file's transaction. Price rows are kept in memory, one per product, and written at <see cref="CompleteAsync"/>
/// by the direct path (PgFileWriter.Prices.cs); store and promotion batches go to temp staging tables by binary COPY
/// (each row numbered, so the last occurrence wins across batches) and are applied with a few set-based statements.
/// Completing stores the file's counts, reject breakdown and note on its log row. Promotions: PgFileWriter.Promotions.cs.
/// </summary>
internal sealed partial class PgFileWriter : IFileWriter
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly long _logId;
    private readonly FileTarget _target;
    private readonly TimeProvider _time;
    private readonly ProductIdCache _products;
    private readonly NpgsqlDataSource _catalog;
    private int? _storeDbId;

    // When this file's first prices were written: every price and history row of the file carries this one time.
    private DateTime? _firstWriteAt;
    private long _stagedStores;
    private long _stagedPromotions;
    private bool _storeStagingCreated;
    private bool _promotionStagingCreated;
    private bool _completed;

    /// <param name="catalog">Where products are created and named, each statement committed on its own (PgFileWriter.Prices.cs).</param>
    public PgFileWriter(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long logId, FileTarget target, TimeProvider time, ProductIdCache products,
        NpgsqlDataSource catalog)
    {
        _products = products;
        _catalog = catalog;
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

        // One price writer per store at a time (PriceSql.LockStore): taken before the store's current prices are read.
        if (_target.Kind is FileKind.PriceFull or FileKind.Price)
        {
            await ExecuteAsync(PriceSql.LockStore, cancellationToken, new NpgsqlParameter<int> { TypedValue = _storeDbId.Value }).ConfigureAwait(false);
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

        if (_priceRowsReceived > 0)
        {
            if (_storeDbId is null)
            {
                await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
            }

            rowsChanged += await ApplyPricesAsync(_firstWriteAt ?? now, cancellationToken).ConfigureAwait(false);
        }

        // Every price row handed over counts, kept or not: duplicates are the rows beyond one per distinct product.
        crossBatchDuplicates += _priceRowsReceived - DistinctPriceProducts();

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

    /// <summary>$1 = stores.id, $2 = now (UTC), $3 = file log id.</summary>
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
