using Microsoft.Extensions.ObjectPool;

namespace Gogobe.Storage;

/// <summary>
/// The collections one price file's write fills, sized by its store, reused file after file (cleared, capacity kept).
/// At 10,000 prices the known-price dictionary alone is ≈ 440 KB, the set of written ids ≈ 200 KB: large-object-heap
/// arrays. Made new per file they were LOH garbage, and LOH allocations are what start gen-2 collections: on a steady
/// day (scale 0.2) 101 of 103 collections were gen 2, 1.47 s of pauses in 24 s of wall time.
/// </summary>
internal sealed class PriceFileScratch : IResettable
{
    // A collection grown past this (a store of over ~130,000 items) is not kept for the next file: the pool would
    // otherwise hold the largest store's arrays for the life of the process.
    internal const int KeepCapacity = 1 << 17;

    /// <summary>The store's current prices by product id (PgFileWriter.KnownPrices.cs).</summary>
    public Dictionary<long, KnownPrice> Known { get; } = [];

    /// <summary>Known products kept for completion: changed, or repeated after a change.</summary>
    public Dictionary<long, PendingPrice> PendingById { get; } = [];

    /// <summary>Products new to the store whose price this file already COPYed; a later row of one goes to <see cref="Repeats"/>.</summary>
    public HashSet<long> Written { get; } = [];

    /// <summary>The last later row of a product already written by this file (rare): applied over it at completion.</summary>
    public Dictionary<long, PendingPrice> Repeats { get; } = [];

    /// <summary>A batch's new prices, reused batch after batch.</summary>
    public List<(long Id, PendingPrice Price)> Inserted { get; } = [];

    /// <summary>A batch's product ids, reused batch after batch (grown, never shrunk, within a file).</summary>
    public long[] Ids { get; set; } = [];

    /// <summary>A pool for one sink: as many as files written at once, at most two per core.</summary>
    public static ObjectPool<PriceFileScratch> CreatePool() =>
        new DefaultObjectPool<PriceFileScratch>(new DefaultPooledObjectPolicy<PriceFileScratch>(), Environment.ProcessorCount * 2);

    /// <summary>Clears everything for the next file; false (the pool drops it) when a collection grew past <see cref="KeepCapacity"/>.</summary>
    public bool TryReset()
    {
        if (Known.Capacity > KeepCapacity || PendingById.Capacity > KeepCapacity || Written.Capacity > KeepCapacity ||
            Repeats.Capacity > KeepCapacity || Inserted.Capacity > KeepCapacity || Ids.Length > KeepCapacity)
        {
            return false;
        }

        Known.Clear();
        PendingById.Clear();
        Written.Clear();
        Repeats.Clear();
        Inserted.Clear();
        return true;
    }
}
