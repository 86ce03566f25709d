using System.Collections.Concurrent;

namespace Gogobe.Storage;

/// <summary>
/// Products known to be committed: products.id → (product_key, still unnamed). Shared by every file a sink writes, so a
/// product's key is looked up in the database once per process, not once per file. The steady-state filter reads a
/// store's current prices by (store_id, product_id) straight off the prices primary key and maps ids to keys here
/// (joining products would scan it for every file). There is no key → id side: the writer resolves keys the store has
/// no price for set-based in the database, and a second map of every product cost the flat-memory budget more than
/// it saved (on a first day no store has prices, so it stayed empty; on a steady day few rows are new to their store).
/// Only committed rows are added (those a store's current prices refer to), and products are never
/// deleted (retention keeps them), so an entry never goes stale. "Unnamed" only ever turns false, and an entry still
/// marked unnamed is treated as a miss and looked up again, so the cache is never wrong in the direction that matters.
/// Bounded: past <see cref="MaxEntries"/> it starts over. An entry costs ≈ 120 bytes (a concurrent-dictionary node
/// and the key string), so the cap keeps it near 120 MB; a national day has a few hundred thousand distinct products.
/// </summary>
internal sealed class ProductKeyCache
{
    public const int MaxEntries = 1_000_000;

    private readonly ConcurrentDictionary<long, CachedProduct> _byId = new();

    public int Count => _byId.Count;

    /// <summary>The product, if cached and named (an unnamed one must be looked up again).</summary>
    public bool TryGetNamed(long id, out CachedProduct product) => _byId.TryGetValue(id, out product) && !product.Unnamed;

    public void Add(long id, CachedProduct product)
    {
        if (_byId.Count >= MaxEntries)
        {
            _byId.Clear();
        }

        _byId[id] = product;
    }
}

/// <summary>A product's key and whether it still has no name (created bare by a promotion file).</summary>
internal readonly record struct CachedProduct(string Key, bool Unnamed);
