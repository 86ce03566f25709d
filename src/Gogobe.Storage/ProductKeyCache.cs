using System.Collections.Concurrent;

namespace Gogobe.Storage;

/// <summary>
/// products.id → (product_key, still unnamed), shared by every file a sink writes. The writer's steady-state fast path
/// reads a store's current prices by (store_id, product_id) straight off the prices primary key; joining products
/// there would scan the whole products table for every file. A product's key never changes for its id, so entries never
/// go stale; "unnamed" only ever turns false, and an entry still marked unnamed is looked up again, so the cache is never
/// wrong in the direction that matters. Bounded: past <see cref="MaxEntries"/> it starts over.
/// </summary>
internal sealed class ProductKeyCache
{
    public const int MaxEntries = 2_000_000;

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
