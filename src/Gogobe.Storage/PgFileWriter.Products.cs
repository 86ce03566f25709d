using System.Runtime.InteropServices;
using Gogobe.Core.Files;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage;

/// <summary>
/// Price rows' products, resolved set-based: key → products.id from the process-wide <see cref="ProductIdCache"/>, and
/// for the misses a statement or two on a second connection that creates the new products and names bare ones.
/// </summary>
internal sealed partial class PgFileWriter
{
    // Reused batch after batch (cleared, capacity kept), like the price path's buffers.
    private readonly List<int> _misses = [];
    private readonly List<int> _toName = [];
    private readonly List<int> _named = [];
    private readonly Dictionary<string, int> _indexByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _firstMissByKey = new(StringComparer.Ordinal);
    private readonly List<(int Repeat, int First)> _repeatedMisses = [];

    /// <summary>
    /// Fills <paramref name="ids"/> with the products.id of each row (same order), creating the new products and naming
    /// bare ones the rows name. A key repeated among the misses is looked up once, from its first row.
    /// </summary>
    private async Task ResolveProductsAsync(PriceRow[] rows, long[] ids, CancellationToken cancellationToken)
    {
        _products.Find(rows, ids, _misses);
        if (_misses.Count == 0)
        {
            return;
        }

        // The statements below take each key once (the insert could not affect a row twice); repeats copy its id after.
        _repeatedMisses.Clear();
        _firstMissByKey.Clear();
        var kept = 0;
        for (var m = 0; m < _misses.Count; m++)
        {
            var i = _misses[m];
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_firstMissByKey, rows[i].ProductKey, out var repeated);
            if (repeated)
            {
                _repeatedMisses.Add((i, first));
            }
            else
            {
                first = i;
                _misses[kept++] = i;
            }
        }

        _misses.RemoveRange(kept, _misses.Count - kept);

        // The catalog is written outside the file's transaction, each statement committed on its own: a concurrent
        // file inserting the same new products waits for one short statement instead of this file's whole COPY and
        // commit, and a file's transaction never holds product locks (so files of different stores cannot deadlock
        // on them). A file that fails later leaves its new products behind: they are the chain's catalogue, valid
        // whatever happens to its prices. Being committed, the ids found here can be cached for every later file.
        _toName.Clear();
        _named.Clear();
        var catalog = await _catalog.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (catalog.ConfigureAwait(false))
        {
            List<int> unresolved;
            if (_known is { Count: > 0 })
            {
                // The store has prices: a key missing from the cache is most often an existing product (the process
                // started since it was cached), so select first and create only what is truly new.
                var absent = await SelectProductsAsync(catalog, rows, _misses, ids, cancellationToken).ConfigureAwait(false);
                var raced = absent.Count > 0 ? await InsertProductsAsync(catalog, rows, absent, ids, cancellationToken).ConfigureAwait(false) : [];
                unresolved = raced.Count > 0 ? await SelectProductsAsync(catalog, rows, raced, ids, cancellationToken).ConfigureAwait(false) : [];
            }
            else
            {
                // A store without prices (a first load): a key missing from the cache is most often new, so insert first
                // (one round trip creates it); existing keys are skipped (ON CONFLICT DO NOTHING) and found by the select
                // after, with keys another file inserted meanwhile (the insert waited for its commit and skipped them).
                var existing = await InsertProductsAsync(catalog, rows, _misses, ids, cancellationToken).ConfigureAwait(false);
                unresolved = existing.Count > 0 ? await SelectProductsAsync(catalog, rows, existing, ids, cancellationToken).ConfigureAwait(false) : [];
            }

            if (unresolved.Count > 0)
            {
                throw new InvalidOperationException($"{_target.FileName}: products neither inserted nor found; the file's rows were not committed.");
            }

            if (_toName.Count > 0)
            {
                await NameBareProductsAsync(catalog, rows, _toName, ids, cancellationToken).ConfigureAwait(false);
                _named.AddRange(_toName);
            }
        }

        foreach (var (repeat, first) in _repeatedMisses)
        {
            ids[repeat] = ids[first];
        }

        _products.Add(_named.Select(i => (rows[i].ProductKey, ids[i])));
    }

    /// <summary>Fills <paramref name="ids"/> for the rows at <paramref name="indexes"/> that exist; returns the indexes that do not.</summary>
    private async Task<List<int>> SelectProductsAsync(
        NpgsqlConnection catalog, PriceRow[] rows, List<int> indexes, long[] ids, CancellationToken cancellationToken)
    {
        var byKey = IndexByKey(rows, indexes);
        using var command = new NpgsqlCommand(PriceSql.ProductsByKey, catalog);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byKey.Keys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return await ReadProductIdsAsync(command, rows, byKey, ids, cancellationToken).ConfigureAwait(false);
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
        return await ReadProductIdsAsync(command, rows, IndexByKey(rows, indexes), ids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a statement returning (id, product_key, name IS NULL) and fills <paramref name="ids"/> from it, noting the
    /// named products (cacheable) and the bare ones a row names; returns the indexes left in <paramref name="byKey"/>.
    /// </summary>
    private async Task<List<int>> ReadProductIdsAsync(
        NpgsqlCommand command, PriceRow[] rows, Dictionary<string, int> byKey, long[] ids, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(1);
                var i = byKey[key];
                byKey.Remove(key);
                ids[i] = reader.GetInt64(0);
                if (!reader.GetBoolean(2))
                {
                    _named.Add(i);
                }
                else if (rows[i].ItemName is not null)
                {
                    _toName.Add(i);
                }
            }
        }

        return [.. byKey.Values];
    }

    private Dictionary<string, int> IndexByKey(PriceRow[] rows, List<int> indexes)
    {
        var byKey = _indexByKey;
        byKey.Clear();
        foreach (var i in indexes)
        {
            byKey.Add(rows[i].ProductKey, i);
        }

        return byKey;
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
}
