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
/// <item>product keys become ids: the store's own current prices (keys through the process-wide
/// <see cref="ProductKeyCache"/>), then, for the rest, one ordered insert of the truly new ones and one select of those a concurrent file
/// inserted first; bare products (created by promotion files) get the file's name and details. These statements run
/// on a second connection, each committed on its own (see <see cref="ResolveProductsAsync"/>);</item>
/// <item>prices the store does not have yet are binary-COPYed straight into <c>prices</c>, narrow rows (ids + prices),
/// no wide staging table, no join, no upsert: under the lock nobody else can insert the same pair;</item>
/// <item>changed prices are updated by one set-based UPDATE (few rows on a steady day);</item>
/// <item>every written price is binary-COPYed into <c>price_history</c> (one row per change);</item>
/// <item>a product new to the store that the file lists again in a later batch (rare) is remembered and, at completion,
/// its price and its one history row take the later row's values (the last occurrence wins).</item>
/// </list>
/// Memory stays flat with the file's length: per product the file writes, an id in a set; per changed known product,
/// its price columns (<see cref="PendingPrice"/>); whole rows only for known bare products the file names.
/// </summary>
internal sealed partial class PgFileWriter
{
    // Known products (the store has a price for them) kept for completion: changed, or repeated after a change.
    private readonly Dictionary<long, PendingPrice> _pendingById = [];

    // Known products still unnamed that a row names: the whole row is kept (its details name the product).
    private readonly Dictionary<string, PriceRow> _pendingByKey = new(StringComparer.Ordinal);

    // Products new to the store whose price this file already COPYed; a later row of one goes to _repeats.
    private readonly HashSet<long> _written = [];

    // The last later row of a product already written by this file (rare): applied over it at completion.
    private readonly Dictionary<long, PendingPrice> _repeats = [];

    private long _distinctKnownProducts;

    // Reused batch after batch (cleared, capacity kept): at 5,000 rows these are large-object-heap sized (> 85 KB), and
    // new ones per batch piled up as LOH garbage until a gen-2 collection, growing the peak RSS with the file's length.
    private readonly Dictionary<string, PriceRow> _fresh = new(StringComparer.Ordinal);
    private readonly List<(long Id, PendingPrice Price)> _inserted = [];
    private readonly Dictionary<string, int> _indexByKey = new(StringComparer.Ordinal);

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

        // Products the store has no price for are written now, batch by batch: memory stays flat however long the
        // file, and the COPY overlaps the parsing of the next batch. Last row per product within the batch.
        _fresh.Clear();
        foreach (var row in received)
        {
            if (!AcceptKnown(row))
            {
                _fresh[row.ProductKey] = row;
            }
        }

        if (_fresh.Count > 0)
        {
            await WriteNewAsync([.. _fresh.Values], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Handles a row of a product the store already has a price for (returns false for any other): dropped when its
    /// price is unchanged, else kept for completion. Once a product is kept, every later row of it replaces it (the
    /// last occurrence must win), even one equal to the current price: then nothing is written for it at the end.
    /// </summary>
    private bool AcceptKnown(PriceRow row)
    {
        var key = row.ProductKey;
        if (!_known!.TryGetValue(key, out var known))
        {
            return false;
        }

        var keptById = _pendingById.ContainsKey(known.ProductId);
        var keptByKey = _pendingByKey.ContainsKey(key);
        if (!keptById && !keptByKey && known.Same(row))
        {
            known.Seen = true;
        }
        else if (keptByKey || (known.Unnamed && row.ItemName is not null))
        {
            // Names a bare product: its details are needed, so the whole row is kept.
            _pendingById.Remove(known.ProductId);
            _pendingByKey[key] = row;
        }
        else
        {
            _pendingById[known.ProductId] = new PendingPrice(row);
        }

        return true;
    }

    /// <summary>
    /// Resolves the batch's products (creating the new ones) and COPYs the prices and history rows of those this file
    /// has not written yet; a product written by an earlier batch is remembered in <see cref="_repeats"/>.
    /// </summary>
    private async Task WriteNewAsync(PriceRow[] rows, CancellationToken cancellationToken)
    {
        if (_storeDbId is null)
        {
            await EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
        }

        long[] ids;
        using (GogobeTelemetry.Source.StartActivity("resolve"))
        {
            ids = await ResolveProductsAsync(rows, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow().UtcDateTime;
        _firstWriteAt ??= now;
        var inserted = _inserted;
        inserted.Clear();
        for (var i = 0; i < rows.Length; i++)
        {
            if (_written.Add(ids[i]))
            {
                inserted.Add((ids[i], new PendingPrice(rows[i])));
            }
            else
            {
                _repeats[ids[i]] = new PendingPrice(rows[i]);
            }
        }

        if (inserted.Count == 0)
        {
            return;
        }

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

        var byKey = _pendingByKey.Values.ToArray();
        long[] ids = [];
        if (byKey.Length > 0)
        {
            using (GogobeTelemetry.Source.StartActivity("resolve"))
            {
                ids = await ResolveProductsAsync(byKey, cancellationToken).ConfigureAwait(false);
            }
        }

        var pending = _pendingById;
        for (var i = 0; i < byKey.Length; i++)
        {
            pending[ids[i]] = new PendingPrice(byKey[i]);
        }

        _distinctKnownProducts = pending.Count;
        var knownById = new Dictionary<long, KnownPrice>(_known?.Count ?? 0);
        foreach (var known in (_known ?? []).Values)
        {
            knownById[known.ProductId] = known;
        }

        var changed = new List<(long Id, PendingPrice Price)>();
        foreach (var (id, price) in pending)
        {
            var current = knownById[id];
            current.Kept = true;
            if (!current.SamePrice(price.Price, price.UnitPrice))
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

    /// <summary>The products.id of each row (same order), creating the new products and naming bare ones.</summary>
    private async Task<long[]> ResolveProductsAsync(PriceRow[] rows, CancellationToken cancellationToken)
    {
        var ids = new long[rows.Length];
        var known = _known ?? [];
        var lookup = new List<int>();
        var toName = new List<int>();
        for (var i = 0; i < rows.Length; i++)
        {
            var key = rows[i].ProductKey;
            if (known.TryGetValue(key, out var current))
            {
                ids[i] = current.ProductId;
                if (current.Unnamed && rows[i].ItemName is not null)
                {
                    toName.Add(i);
                }
            }
            else
            {
                lookup.Add(i);
            }
        }

        if (lookup.Count == 0 && toName.Count == 0)
        {
            return ids;
        }

        // The catalog is written outside the file's transaction, each statement committed on its own: a concurrent
        // file inserting the same new products waits for one short statement instead of this file's whole COPY and
        // commit, and a file's transaction never holds product locks (so files of different stores cannot deadlock
        // on them). A file that fails later leaves its new products behind: they are the chain's catalogue, valid
        // whatever happens to its prices. The ids found here are not cached: a first load would then cache every
        // product of the day (≈ 200 bytes each, measured: a 400,000-item file grew the peak RSS past the flat-memory
        // test's limit); the cache is filled where it pays, by the steady-state read of a store's current prices.
        var catalog = await _catalog.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (catalog.ConfigureAwait(false))
        {
            if (lookup.Count > 0)
            {
                // Insert first: a key the store has no price for is most often new (a first load), so one round trip creates it;
                // existing keys are skipped (ON CONFLICT DO NOTHING) and found by the select after, with keys another
                // file inserted meanwhile (the insert waited for its commit and skipped them).
                var existing = await InsertProductsAsync(catalog, rows, lookup, ids, cancellationToken).ConfigureAwait(false);
                if (existing.Count > 0 && (await SelectProductsAsync(catalog, rows, existing, ids, toName, cancellationToken).ConfigureAwait(false)).Count > 0)
                {
                    throw new InvalidOperationException($"{_target.FileName}: products neither inserted nor found; the file's rows were not committed.");
                }
            }

            if (toName.Count > 0)
            {
                await NameBareProductsAsync(catalog, rows, toName, ids, cancellationToken).ConfigureAwait(false);
            }
        }

        return ids;
    }

    /// <summary>Fills <paramref name="ids"/> for the rows at <paramref name="indexes"/> that exist; returns the indexes that do not.</summary>
    private async Task<List<int>> SelectProductsAsync(
        NpgsqlConnection catalog, PriceRow[] rows, List<int> indexes, long[] ids, List<int> toName, CancellationToken cancellationToken)
    {
        var byKey = _indexByKey;
        byKey.Clear();
        foreach (var i in indexes)
        {
            byKey[rows[i].ProductKey] = i;
        }

        using var command = new NpgsqlCommand(PriceSql.ProductsByKey, catalog);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byKey.Keys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(1);
                var unnamed = reader.GetBoolean(2);
                var i = byKey[key];
                byKey.Remove(key);
                ids[i] = reader.GetInt64(0);
                if (unnamed && rows[i].ItemName is not null)
                {
                    toName.Add(i);
                }
            }
        }

        return [.. byKey.Values];
    }

    /// <summary>Inserts the rows' products in key order; fills their ids and returns the indexes another file inserted first.</summary>
    private async Task<List<int>> InsertProductsAsync(
        NpgsqlConnection catalog, PriceRow[] rows, List<int> indexes, long[] ids, CancellationToken cancellationToken)
    {
        var ordered = indexes.Select(i => rows[i]).ToArray();
        using var command = new NpgsqlCommand(PriceSql.InsertProducts, catalog);
        command.Parameters.Add(TextArray(ordered, r => r.ProductKey));
        command.Parameters.Add(TextArray(ordered, r => r.ItemCode));
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = [.. ordered.Select(r => checked((short)r.ItemType))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        AddProductDetails(command, ordered);
        command.Parameters.Add(TextArray(ordered, r => r.ChainId));

        var byKey = _indexByKey;
        byKey.Clear();
        foreach (var i in indexes)
        {
            byKey[rows[i].ProductKey] = i;
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(1);
                var i = byKey[key];
                byKey.Remove(key);
                ids[i] = reader.GetInt64(0);
            }
        }

        return [.. byKey.Values];
    }

    private static async Task NameBareProductsAsync(
        NpgsqlConnection catalog, PriceRow[] rows, List<int> indexes, long[] ids, CancellationToken cancellationToken)
    {
        var ordered = indexes.Select(i => rows[i]).ToArray();
        using var command = new NpgsqlCommand(PriceSql.NameBareProducts, catalog);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. indexes.Select(i => ids[i])], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        AddProductDetails(command, ordered);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>name, manufacturer, country, description, unit qty, quantity, unit of measure, is weighted, qty in package.</summary>
    private static void AddProductDetails(NpgsqlCommand command, PriceRow[] rows)
    {
        command.Parameters.Add(TextArray(rows, r => r.ItemName));
        command.Parameters.Add(TextArray(rows, r => r.ManufacturerName));
        command.Parameters.Add(TextArray(rows, r => r.ManufactureCountry));
        command.Parameters.Add(TextArray(rows, r => r.ManufacturerItemDescription));
        command.Parameters.Add(TextArray(rows, r => r.UnitQty));
        command.Parameters.Add(new NpgsqlParameter<decimal?[]> { TypedValue = [.. rows.Select(r => r.Quantity)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(TextArray(rows, r => r.UnitOfMeasure));
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. rows.Select(r => r.IsWeighted)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(TextArray(rows, r => r.QtyInPackage));
    }

    private static NpgsqlParameter<string?[]> TextArray(PriceRow[] rows, Func<PriceRow, string?> field) =>
        new() { TypedValue = [.. rows.Select(field)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    // The COPY loops write each field synchronously: the importer only buffers (8 KB) and flushes when full, so an
    // awaited call per field (a state machine per value, ten per row) cost more than the occasional blocking flush.
    private async Task CopyPricesAsync(List<(long Id, PendingPrice Price)> rows, DateTime now, CancellationToken cancellationToken)
    {
        var storeId = _storeDbId!.Value;
        var importer = await _connection.BeginBinaryImportAsync(PriceSql.CopyPrices, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var (id, price) in rows)
            {
                importer.StartRow();
                importer.Write(storeId, NpgsqlDbType.Integer);
                importer.Write(id, NpgsqlDbType.Bigint);
                importer.Write(price.Price, NpgsqlDbType.Numeric);
                WriteNullable(importer, price.UnitPrice, NpgsqlDbType.Numeric);
                WriteNullable(importer, price.AllowDiscount, NpgsqlDbType.Boolean);
                WriteNullable(importer, price.ItemStatus, NpgsqlDbType.Smallint);
                WriteNullable(importer, price.PriceUpdatedAt, NpgsqlDbType.Timestamp);
                importer.Write(now, NpgsqlDbType.TimestampTz);
                importer.Write(_logId, NpgsqlDbType.Bigint);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyHistoryAsync(List<(long Id, PendingPrice Price)> rows, DateTime now, CancellationToken cancellationToken)
    {
        var storeId = _storeDbId!.Value;
        var importer = await _connection.BeginBinaryImportAsync(PriceSql.CopyHistory, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var (id, price) in rows)
            {
                importer.StartRow();
                importer.Write(storeId, NpgsqlDbType.Integer);
                importer.Write(id, NpgsqlDbType.Bigint);
                importer.Write(price.Price, NpgsqlDbType.Numeric);
                WriteNullable(importer, price.UnitPrice, NpgsqlDbType.Numeric);
                WriteNullable(importer, price.PriceUpdatedAt, NpgsqlDbType.Timestamp);
                importer.Write(now, NpgsqlDbType.TimestampTz);
                importer.Write(_logId, NpgsqlDbType.Bigint);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
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
