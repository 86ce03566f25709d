using System.Runtime.InteropServices;
using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage;

/// <summary>
/// The direct price path. A file's rows are kept in memory until <see cref="CompleteAsync"/>, one per product (the last
/// occurrence wins), after the steady-state filter (PgFileWriter.KnownPrices.cs) has dropped the rows whose price the
/// store already has. Then, with the store locked for this transaction (<see cref="PriceSql.LockStore"/>, taken before
/// the store's current prices were read, so they are exact):
/// <list type="number">
/// <item>product keys become ids: the store's own current prices, then the process-wide <see cref="ProductKeyCache"/>,
/// then one select of the rest, one ordered insert of the truly new ones and one select of those a concurrent file
/// inserted first; bare products (created by promotion files) get the file's name and details;</item>
/// <item>prices the store does not have yet are binary-COPYed straight into <c>prices</c>, narrow rows (ids + prices),
/// no wide staging table, no join, no upsert: under the lock nobody else can insert the same pair;</item>
/// <item>changed prices are updated by one set-based UPDATE (few rows on a steady day);</item>
/// <item>every written price is binary-COPYed into <c>price_history</c> (one row per change).</item>
/// </list>
/// Memory is one reference per distinct product of the file (the rows themselves were allocated by the parser anyway).
/// </summary>
internal sealed partial class PgFileWriter
{
    private readonly Dictionary<string, PriceRow> _pending = new(StringComparer.Ordinal);

    // Products this transaction created, named or found: added to the cache only once the transaction has committed,
    // so the cache never holds an id a rollback could take back.
    private readonly List<(long Id, CachedProduct Product)> _productsToPublish = [];

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
        foreach (var row in received)
        {
            var key = row.ProductKey;
            // Once a product is pending, every later row of it replaces it (the last occurrence must win), even one
            // equal to the current price: then nothing is written for it at the end.
            if (!_pending.ContainsKey(key) && _known.TryGetValue(key, out var known) && known.Same(row))
            {
                known.Seen = true;
                continue;
            }

            _pending[key] = row;
        }
    }

    /// <summary>Distinct products the file listed: the pending ones plus those only ever filtered out as unchanged.</summary>
    private long DistinctPriceProducts() =>
        _pending.Count + (_known?.Count(k => k.Value.Seen && !_pending.ContainsKey(k.Key)) ?? 0);

    /// <summary>Writes the pending rows; returns the number of prices written (new or changed), each with one history row.</summary>
    private async Task<long> ApplyPricesAsync(DateTime now, CancellationToken cancellationToken)
    {
        var rows = _pending.Values.ToArray();
        long[] ids;
        using (GogobeTelemetry.Source.StartActivity("resolve"))
        {
            ids = await ResolveProductsAsync(rows, cancellationToken).ConfigureAwait(false);
        }

        var known = _known ?? [];
        var inserted = new List<(long Id, PriceRow Row)>(rows.Length);
        var changed = new List<(long Id, PriceRow Row)>();
        for (var i = 0; i < rows.Length; i++)
        {
            if (!known.TryGetValue(rows[i].ProductKey, out var current))
            {
                inserted.Add((ids[i], rows[i]));
            }
            else if (!current.SamePrice(rows[i]))
            {
                changed.Add((ids[i], rows[i]));
            }
        }

        // Ascending ids append to the right edge of the primary key's index instead of all over it.
        inserted.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        changed.Sort(static (a, b) => a.Id.CompareTo(b.Id));

        using (GogobeTelemetry.Source.StartActivity("copy"))
        {
            if (inserted.Count > 0)
            {
                await CopyPricesAsync(inserted, now, cancellationToken).ConfigureAwait(false);
            }
        }

        if (changed.Count > 0)
        {
            using (GogobeTelemetry.Source.StartActivity("upsert"))
            {
                await UpdateChangedAsync(changed, now, cancellationToken).ConfigureAwait(false);
            }
        }

        using (GogobeTelemetry.Source.StartActivity("copy"))
        {
            await CopyHistoryAsync([.. inserted, .. changed], now, cancellationToken).ConfigureAwait(false);
        }

        return inserted.Count + changed.Count;
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
            else if (_products.TryGetNamedId(key, out var id))
            {
                ids[i] = id;
            }
            else
            {
                lookup.Add(i);
            }
        }

        if (lookup.Count > 0)
        {
            var missing = await SelectProductsAsync(rows, lookup, ids, toName, cancellationToken).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                missing = await InsertProductsAsync(rows, missing, ids, cancellationToken).ConfigureAwait(false);
            }

            // Keys a concurrent file inserted first: the insert waited for its commit and skipped them; now they are visible.
            if (missing.Count > 0 && (await SelectProductsAsync(rows, missing, ids, toName, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                throw new InvalidOperationException($"{_target.FileName}: products neither inserted nor found; the file's rows were not committed.");
            }
        }

        if (toName.Count > 0)
        {
            await NameBareProductsAsync(rows, toName, ids, cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }

    /// <summary>Fills <paramref name="ids"/> for the rows at <paramref name="indexes"/> that exist; returns the indexes that do not.</summary>
    private async Task<List<int>> SelectProductsAsync(PriceRow[] rows, List<int> indexes, long[] ids, List<int> toName, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, int>(indexes.Count, StringComparer.Ordinal);
        foreach (var i in indexes)
        {
            byKey[rows[i].ProductKey] = i;
        }

        using var command = new NpgsqlCommand(PriceSql.ProductsByKey, _connection, _transaction);
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
                else
                {
                    _productsToPublish.Add((ids[i], new CachedProduct(key, unnamed)));
                }
            }
        }

        return [.. byKey.Values];
    }

    /// <summary>Inserts the rows' products in key order; fills their ids and returns the indexes another file inserted first.</summary>
    private async Task<List<int>> InsertProductsAsync(PriceRow[] rows, List<int> indexes, long[] ids, CancellationToken cancellationToken)
    {
        var ordered = indexes.Select(i => rows[i]).ToArray();
        using var command = new NpgsqlCommand(PriceSql.InsertProducts, _connection, _transaction);
        command.Parameters.Add(TextArray(ordered, r => r.ProductKey));
        command.Parameters.Add(TextArray(ordered, r => r.ItemCode));
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = [.. ordered.Select(r => checked((short)r.ItemType))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        AddProductDetails(command, ordered);
        command.Parameters.Add(TextArray(ordered, r => r.ChainId));

        var byKey = new Dictionary<string, int>(indexes.Count, StringComparer.Ordinal);
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
                _productsToPublish.Add((ids[i], new CachedProduct(key, rows[i].ItemName is null)));
            }
        }

        return [.. byKey.Values];
    }

    private async Task NameBareProductsAsync(PriceRow[] rows, List<int> indexes, long[] ids, CancellationToken cancellationToken)
    {
        var ordered = indexes.Select(i => rows[i]).ToArray();
        using var command = new NpgsqlCommand(PriceSql.NameBareProducts, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. indexes.Select(i => ids[i])], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        AddProductDetails(command, ordered);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // Named now, by this file or (re-checked under the row lock) by a file that got there first.
        foreach (var i in indexes)
        {
            _productsToPublish.Add((ids[i], new CachedProduct(rows[i].ProductKey, Unnamed: false)));
        }
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

    private async Task CopyPricesAsync(List<(long Id, PriceRow Row)> rows, DateTime now, CancellationToken cancellationToken)
    {
        var storeId = _storeDbId!.Value;
        var importer = await _connection.BeginBinaryImportAsync(PriceSql.CopyPrices, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var (id, row) in rows)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(storeId, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ItemPrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.UnitOfMeasurePrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.AllowDiscount, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, ItemStatus(row), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, PriceUpdatedAt(row), NpgsqlDbType.Timestamp, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(_logId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyHistoryAsync(List<(long Id, PriceRow Row)> rows, DateTime now, CancellationToken cancellationToken)
    {
        var storeId = _storeDbId!.Value;
        var importer = await _connection.BeginBinaryImportAsync(PriceSql.CopyHistory, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var (id, row) in rows)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(storeId, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ItemPrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.UnitOfMeasurePrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, PriceUpdatedAt(row), NpgsqlDbType.Timestamp, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(_logId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UpdateChangedAsync(List<(long Id, PriceRow Row)> rows, DateTime now, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(PriceSql.UpdateChanged, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _storeDbId!.Value });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => r.Id)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<decimal[]> { TypedValue = [.. rows.Select(r => r.Row.ItemPrice)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter<decimal?[]> { TypedValue = [.. rows.Select(r => r.Row.UnitOfMeasurePrice)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter<bool?[]> { TypedValue = [.. rows.Select(r => r.Row.AllowDiscount)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter<short?[]> { TypedValue = [.. rows.Select(r => ItemStatus(r.Row))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = [.. rows.Select(r => PriceUpdatedAt(r.Row))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _logId });
        var updated = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (updated != rows.Count)
        {
            // Cannot happen while the store lock holds; refusing beats history rows for prices that were not written.
            throw new InvalidOperationException($"{_target.FileName}: {updated} of {rows.Count} changed prices updated; the file's rows were not committed.");
        }
    }

    private static short? ItemStatus(PriceRow row) => row.ItemStatus is { } status ? checked((short)status) : null;

    // Published as Israel local time without a zone; "timestamp" must not receive a UTC-kind value.
    private static DateTime? PriceUpdatedAt(PriceRow row) =>
        row.PriceUpdateDate is { } updated ? DateTime.SpecifyKind(updated, DateTimeKind.Unspecified) : null;

    private void PublishProducts()
    {
        foreach (var (id, product) in CollectionsMarshal.AsSpan(_productsToPublish))
        {
            _products.Add(id, product);
        }
    }
}
