using System.Collections.Concurrent;

namespace Gogobe.Storage;

/// <summary>
/// Products known to be committed, both ways: products.id → (product_key, still unnamed) and product_key → id. Shared by
/// every file a sink writes, so a product is looked up in the database once per process, not once per file.
/// The steady-state filter reads a store's current prices by (store_id, product_id) straight off the prices primary key
/// and maps ids to keys here (joining products would scan it for every file); the price writer maps the file's keys to
/// ids here and only asks the database about the rest.
/// Only committed rows are added (those a store's current prices refer to), and products are never
/// deleted (retention keeps them), so an entry never goes stale. "Unnamed" only ever turns false, and an entry still
/// marked unnamed is treated as a miss and looked up again, so the cache is never wrong in the direction that matters.
/// Bounded: past <see cref="MaxEntries"/> it starts over. An entry costs ≈ 200 bytes (two concurrent-dictionary nodes
/// and the key string), so the cap keeps it near 200 MB; a national day has a few hundred thousand distinct products.
/// </summary>
internal sealed class ProductKeyCache
{
    public const int MaxEntries = 1_000_000;

    private readonly ConcurrentDictionary<long, CachedProduct> _byId = new();
    private readonly ConcurrentDictionary<string, long> _namedIdByKey = new(StringComparer.Ordinal);

    public int Count => _byId.Count;

    /// <summary>The product, if cached and named (an unnamed one must be looked up again).</summary>
    public bool TryGetNamed(long id, out CachedProduct product) => _byId.TryGetValue(id, out product) && !product.Unnamed;

    /// <summary>The id of a named, committed product with this key, if cached.</summary>
    public bool TryGetNamedId(string key, out long id) => _namedIdByKey.TryGetValue(key, out id);

    public void Add(long id, CachedProduct product)
    {
        if (_byId.Count >= MaxEntries)
        {
            _byId.Clear();
            _namedIdByKey.Clear();
        }

        _byId[id] = product;
        if (!product.Unnamed)
        {
            _namedIdByKey[product.Key] = id;
        }
    }
}

/// <summary>A product's key and whether it still has no name (created bare by a promotion file).</summary>
internal readonly record struct CachedProduct(string Key, bool Unnamed);
