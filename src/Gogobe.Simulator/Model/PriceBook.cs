namespace Gogobe.Simulator.Model;

/// <summary>A price that moved away from its generated value, and the day it moved.</summary>
internal readonly record struct PriceOverride(decimal Price, DateOnly ChangedOn);

/// <summary>(chain index, store id, catalogue index): a product on one store's shelf.</summary>
internal readonly record struct ShelfKey(int Chain, int Store, int Product);

/// <summary>
/// The prices that changed since the world began, for one day. Immutable once built; grows with the number of
/// changes, never with the number of rows written.
/// </summary>
internal sealed class PriceBook(IReadOnlyDictionary<ShelfKey, PriceOverride> overrides)
{
    public static PriceBook Empty { get; } = new(new Dictionary<ShelfKey, PriceOverride>());

    public IReadOnlyDictionary<ShelfKey, PriceOverride> Overrides { get; } = overrides;

    public bool TryGet(ShelfKey key, out PriceOverride value) => Overrides.TryGetValue(key, out value);
}

/// <summary>One published day: the current prices and the day before's (served as history on Cerberus).</summary>
internal sealed record DayState(DateOnly Day, PriceBook Today, PriceBook Yesterday);
