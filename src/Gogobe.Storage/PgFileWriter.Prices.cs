using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage;

/// <summary>
/// The direct price path. The steady-state filter (PgFileWriter.KnownPrices.cs) drops the rows whose price the store
/// already has; rows of products the store has a price for but at another price are kept (price columns only) until
/// <see cref="CompleteAsync"/>; rows of products the store has no price for are written batch by batch as they come.
/// All of it with the store locked for this transaction (<see cref="PriceSql.LockStore"/>, taken before the store's
/// current prices were read, so they are exact):
/// <list type="number">
/// <item>product keys become ids (PgFileWriter.Products.cs): from the process-wide <see cref="ProductIdCache"/>, and for
/// the misses one select of existing products and one ordered insert of the truly new ones (insert first when the store
/// has no prices yet); bare products (created by promotion files) get the file's name and details. These statements
/// run on a second connection, each committed on its own;</item>
/// <item>prices the store does not have yet are binary-COPYed straight into <c>prices</c>, narrow rows (ids + prices),
/// no wide staging table, no join, no upsert: under the lock nobody else can insert the same pair;</item>
/// <item>changed prices are updated by one set-based UPDATE (few rows on a steady day);</item>
/// <item>every written price is binary-COPYed into <c>price_history</c> (one row per change);</item>
/// <item>a product new to the store that the file lists again in a later batch (rare) is remembered and, at completion,
/// its price and its one history row take the later row's values (the last occurrence wins).</item>
/// </list>
/// Memory stays flat with the file's length: per product the file writes, an id in a set; per changed known product,
/// its price columns (<see cref="PendingPrice"/>). Per product of the day, process-wide: about 28 bytes in the id cache.
/// </summary>
internal sealed partial class PgFileWriter
{
    // Known products (the store has a price for them) kept for completion: changed, or repeated after a change.
    private readonly Dictionary<long, PendingPrice> _pendingById = [];

    // Products new to the store whose price this file already COPYed; a later row of one goes to _repeats.
    private readonly HashSet<long> _written = [];

    // The last later row of a product already written by this file (rare): applied over it at completion.
    private readonly Dictionary<long, PendingPrice> _repeats = [];

    private long _distinctKnownProducts;

    // Reused batch after batch (cleared, capacity kept): at 5,000 rows these are large-object-heap sized (> 85 KB), and
    // new ones per batch piled up as LOH garbage until a gen-2 collection, growing the peak RSS with the file's length.
    private readonly List<(long Id, PendingPrice Price)> _inserted = [];
    private long[] _ids = [];

    public async Task WritePricesAsync(IReadOnlyCollection<PriceRow> received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        ThrowIfCompleted();
        if (received.Count == 0)
        {
            return;
        }

        _known ??= await LoadKnownPricesAsync(cancellationToken).ConfigureAwait(false);
        _priceRowsReceived += received.Count;

        // Every row's product id, then: unchanged known prices are dropped, changed ones kept for completion, and products
        // the store has no price for written now, batch by batch: memory stays flat however long the file, and the COPY
        // overlaps the parsing of the next batch. A product repeated within the batch (the orchestrator's batches are
        // distinct already; other callers may repeat one) is handled like one repeated across batches: the last row wins.
        var rows = received as PriceRow[] ?? [.. received];
        if (_ids.Length < rows.Length)
        {
            _ids = new long[rows.Length];
        }

        var ids = _ids;
        using (GogobeTelemetry.Source.StartActivity("resolve"))
        {
            await ResolveProductsAsync(rows, ids, cancellationToken).ConfigureAwait(false);
        }

        var inserted = _inserted;
        inserted.Clear();
        for (var i = 0; i < rows.Length; i++)
        {
            if (AcceptKnown(rows[i], ids[i]))
            {
                continue;
            }

            if (_written.Add(ids[i]))
            {
                inserted.Add((ids[i], new PendingPrice(rows[i])));
            }
            else
            {
                _repeats[ids[i]] = new PendingPrice(rows[i]);
            }
        }

        if (inserted.Count > 0)
        {
            await WriteNewAsync(inserted, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>COPYs the prices and history rows of products new to the store (this file had not written them yet).</summary>
    private async Task WriteNewAsync(List<(long Id, PendingPrice Price)> inserted, CancellationToken cancellationToken)
    {
        if (_storeDbId is null)
        {
            await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        }

        _firstWriteAt ??= _time.GetUtcNow().UtcDateTime;

        // Ascending ids append to the right edge of the primary key's index instead of all over it.
        inserted.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        using (GogobeTelemetry.Source.StartActivity("copy"))
        {
            await CopyPricesAsync(inserted, _firstWriteAt.Value, cancellationToken).ConfigureAwait(false);
            await CopyHistoryAsync(inserted, _firstWriteAt.Value, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Distinct products the file listed: new ones written, known ones compared at completion, and those only ever filtered out.</summary>
    private long DistinctPriceProducts()
    {
        var filteredOnly = 0;
        foreach (var known in (_known ?? []).Values)
        {
            if (known.Seen && !known.Kept)
            {
                filteredOnly++;
            }
        }

        return _written.Count + _distinctKnownProducts + filteredOnly;
    }

    /// <summary>
    /// Completes the price write: later rows of products already written, then the store's changed prices. Returns
    /// the number of prices written by the whole file (new or changed), each with one history row.
    /// </summary>
    private async Task<long> ApplyPricesAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (_repeats.Count > 0)
        {
            using (GogobeTelemetry.Source.StartActivity("upsert"))
            {
                await ApplyRepeatsAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _distinctKnownProducts = _pendingById.Count;
        var changed = new List<(long Id, PendingPrice Price)>();
        foreach (var (id, price) in _pendingById)
        {
            if (!_known![id].SamePrice(price.Price, price.UnitPrice))
            {
                changed.Add((id, price));
            }
        }

        if (changed.Count > 0)
        {
            changed.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            using (GogobeTelemetry.Source.StartActivity("upsert"))
            {
                await UpdateChangedAsync(changed, now, cancellationToken).ConfigureAwait(false);
            }

            using (GogobeTelemetry.Source.StartActivity("copy"))
            {
                await CopyHistoryAsync(changed, now, cancellationToken).ConfigureAwait(false);
            }
        }

        return _written.Count + changed.Count;
    }

    /// <summary>
    /// A product the file listed again after its price was written: the later row wins, in prices and in the one
    /// history row the file appended for it (found by store, product, the file's changed_at and log id).
    /// </summary>
    private async Task ApplyRepeatsAsync(CancellationToken cancellationToken)
    {
        var rows = _repeats.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)).ToList();
        var stamp = _firstWriteAt!.Value;
        await UpdateChangedAsync(rows, stamp, cancellationToken).ConfigureAwait(false);
        using var command = new NpgsqlCommand(PriceSql.UpdateRepeatedHistory, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _storeDbId!.Value });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => r.Key)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = [.. rows.Select(r => r.Value.Price)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter<decimal?[]> { TypedValue = [.. rows.Select(r => r.Value.UnitPrice)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = [.. rows.Select(r => r.Value.PriceUpdatedAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = stamp });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _logId });
        var updated = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (updated != rows.Count)
        {
            throw new InvalidOperationException($"{_target.FileName}: {updated} of {rows.Count} history rows of repeated products updated; the file's rows were not committed.");
        }
    }

    private Task CopyPricesAsync(List<(long Id, PendingPrice Price)> rows, DateTime now, CancellationToken cancellationToken) =>
        CopyAsync(PriceSql.CopyPrices, withStatus: true, rows, now, cancellationToken);

    private Task CopyHistoryAsync(List<(long Id, PendingPrice Price)> rows, DateTime now, CancellationToken cancellationToken) =>
        CopyAsync(PriceSql.CopyHistory, withStatus: false, rows, now, cancellationToken);

    /// <summary>
    /// One binary COPY of price rows: <c>prices</c> and <c>price_history</c> take the same columns in the same order,
    /// except allow_discount and item_status, which only <c>prices</c> has (<paramref name="withStatus"/>).
    /// </summary>
    private async Task CopyAsync(
        string copySql, bool withStatus, List<(long Id, PendingPrice Price)> rows, DateTime now, CancellationToken cancellationToken)
    {
        var storeId = _storeDbId!.Value;
        var columns = (short)(withStatus ? 9 : 7);
        var copy = await PgBinaryCopyWriter.BeginAsync(_connection, copySql, cancellationToken).ConfigureAwait(false);
        await using (copy.ConfigureAwait(false))
        {
            foreach (var (id, price) in rows)
            {
                await copy.StartRowAsync(columns, cancellationToken).ConfigureAwait(false);
                copy.WriteInt32(storeId);
                copy.WriteInt64(id);
                copy.WriteNumeric(price.Price);
                copy.Write(price.UnitPrice);
                if (withStatus)
                {
                    copy.Write(price.AllowDiscount);
                    copy.Write(price.ItemStatus);
                }

                copy.WriteTimestamp(price.PriceUpdatedAt);
                copy.WriteTimestampTz(now);
                copy.WriteInt64(_logId);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UpdateChangedAsync(List<(long Id, PendingPrice Price)> rows, DateTime now, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(PriceSql.UpdateChanged, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _storeDbId!.Value });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => r.Id)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = [.. rows.Select(r => r.Price.Price)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter<decimal?[]> { TypedValue = [.. rows.Select(r => r.Price.UnitPrice)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter<bool?[]> { TypedValue = [.. rows.Select(r => r.Price.AllowDiscount)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter<short?[]> { TypedValue = [.. rows.Select(r => r.Price.ItemStatus)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = [.. rows.Select(r => r.Price.PriceUpdatedAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _logId });
        var updated = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (updated != rows.Count)
        {
            // Cannot happen while the store lock holds; refusing beats history rows for prices that were not written.
            throw new InvalidOperationException($"{_target.FileName}: {updated} of {rows.Count} changed prices updated; the file's rows were not committed.");
        }
    }
}
