using System.Runtime.InteropServices;
using Gogobe.Core.Files;

namespace Gogobe.Storage;

/// <summary>
/// Named products known to be committed: product_key → products.id, shared by every file a sink writes, so a product is
/// looked up (or created) in the database once per process, not once per store that sells it. On a first day a chain's
/// first store creates its catalogue and the next hundred stores find it here; on a steady day the store's rows map to
/// the ids its current prices are stored under (PgFileWriter.KnownPrices.cs) without a query.
/// <para>
/// Compact, because a national day has a few hundred thousand distinct products and the cache lives for the process:
/// a barcode key ("b:" and up to 17 digits) is held as one <see cref="long"/> (its digits and their count, so leading
/// zeros stay distinct), about 28 bytes an entry; other keys (internal codes, "c:chain:code") keep their string.
/// </para>
/// <para>
/// Never wrong: only ids read back from a committed statement are added (products are created and named outside the
/// files' transactions, PgFileWriter.Prices.cs), products are never deleted (retention keeps them) and a key never
/// changes product. Only named products are held: a bare one (created by a promotion file) is a miss, so the writer
/// reads it from the database and names it when a row carries a name. Past <see cref="MaxEntries"/> it starts over.
/// </para>
/// </summary>
internal sealed class ProductIdCache
{
    public const int MaxEntries = 2_000_000;

    private const int MaxBarcodeDigits = 17;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, long> _barcodes = [];
    private readonly Dictionary<string, long> _others = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _barcodes.Count + _others.Count;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="ids"/> for the rows whose product is cached, under one lock for the whole batch; returns
    /// the indexes of the others in <paramref name="misses"/> (cleared first). A barcoded row is looked up from its
    /// item code's digits, so on a steady day no product key string is made for it.
    /// </summary>
    public void Find(IReadOnlyList<PriceRow> rows, Span<long> ids, List<int> misses)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(misses);
        misses.Clear();
        lock (_lock)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                // The same test as TryEncode on the row's key: a barcoded item's key is "b:" + its code.
                var found = row.ItemType != 0 && TryEncodeDigits(row.ItemCode, out var code)
                    ? _barcodes.TryGetValue(code, out ids[i])
                    : _others.TryGetValue(row.ProductKey, out ids[i]);
                if (!found)
                {
                    misses.Add(i);
                }
            }
        }
    }

    public bool TryGet(string key, out long id)
    {
        lock (_lock)
        {
            return TryEncode(key, out var code) ? _barcodes.TryGetValue(code, out id) : _others.TryGetValue(key, out id);
        }
    }

    /// <summary>Adds committed, named products.</summary>
    public void Add(IEnumerable<(string Key, long Id)> products)
    {
        lock (_lock)
        {
            foreach (var (key, id) in products)
            {
                if (_barcodes.Count + _others.Count >= MaxEntries)
                {
                    _barcodes.Clear();
                    _barcodes.TrimExcess();
                    _others.Clear();
                    _others.TrimExcess();
                }

                if (TryEncode(key, out var code))
                {
                    _barcodes[code] = id;
                }
                else
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(_others, key, out _) = id;
                }
            }
        }
    }

    /// <summary>"b:" and 1 to 17 ASCII digits as (digit count &lt;&lt; 57) | value: distinct for distinct keys (10^17 &lt; 2^57).</summary>
    internal static bool TryEncode(string key, out long code)
    {
        code = 0;
        return key.Length >= 2 && key[0] == 'b' && key[1] == ':' && TryEncodeDigits(key.AsSpan(2), out code);
    }

    private static bool TryEncodeDigits(ReadOnlySpan<char> digits, out long code)
    {
        code = 0;
        if (digits.Length is < 1 or > MaxBarcodeDigits)
        {
            return false;
        }

        long value = 0;
        foreach (var c in digits)
        {
            var d = c - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        code = ((long)digits.Length << 57) | value;
        return true;
    }
}
