using System.Runtime.InteropServices;
using Gogobe.Core.Files;

namespace Gogobe.Core.Orchestration;

/// <summary>
/// Rows of one file waiting to be written, deduplicated by product as they arrive: a later row for the same
/// (store, product) replaces the earlier one, because files repeat items and the last occurrence is the one that counts.
/// A file is one store, so the product alone identifies (store, product): its barcode, or (chain, code) for an internal
/// code, as <see cref="ProductKeys"/> has it, compared field by field so that no key string is made per row.
/// Duplicates that straddle two batches are removed by the writer when the file completes.
/// </summary>
public sealed class PriceBatch(int capacity)
{
    private readonly Dictionary<Product, PriceRow> _rows = new(capacity);

    public int Count => _rows.Count;

    public bool IsFull => _rows.Count >= capacity;

    /// <summary>Duplicates removed from this batch so far.</summary>
    public int DuplicatesRemoved { get; private set; }

    public void Add(PriceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        // One hash lookup per row: the slot is found (or added) once and overwritten in place.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_rows, new Product(row), out var exists);
        if (exists)
        {
            DuplicatesRemoved++;
        }

        slot = row;
    }

    /// <summary>Hands the rows over and starts an empty batch.</summary>
    public PriceRow[] Drain()
    {
        var rows = _rows.Values.ToArray();
        _rows.Clear();
        return rows;
    }

    /// <summary>A row's product: its code, and its chain only for an internal code (ItemType 0), as in ProductKeys.For.</summary>
    private readonly record struct Product(string ItemCode, string? InternalCodeChain)
    {
        public Product(PriceRow row)
            : this(row.ItemCode, row.ItemType == 0 ? row.ChainId : null)
        {
        }
    }
}
