using System.Globalization;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Simulator.Model;

/// <summary>A store as its chain's Stores file describes it.</summary>
internal sealed record StoreInfo(int StoreId, string Name, string Address, string City, string ZipCode, int StoreType, int BikoretNo);

/// <summary>One simulated chain: identity, portal, encoding and the deterministic shelves of its stores.</summary>
internal sealed class ChainModel
{
    private readonly ulong _seed;
    private readonly Catalogue _catalogue;
    private readonly double _duplicateRate;

    /// <summary>The one sub-chain every simulated chain has, as its files write it.</summary>
    public const string SubChainId = "001";

    public ChainModel(int index, SimulatedChain simulated, ChainProfile profile, ulong seed, Catalogue catalogue, int stores, int items, double duplicateRate)
    {
        Profile = profile;
        Index = index;
        Simulated = simulated;
        _seed = seed;
        _catalogue = catalogue;
        _duplicateRate = duplicateRate;
        Salt = Det.Of("chain:" + simulated.Chain.Id);
        Style = profile.Encoding;
        PromotionSlots = Math.Clamp(items / 40, 2, 500);
        StoreCount = stores;
        ItemsPerStore = items;

        // Shufersal's generator writes a lower-case root (FORMATS.md); the others write Root.
        RootName = simulated.Portal.Family == PortalFamilies.ShufersalHtml ? "root" : "Root";
    }

    public int Index { get; }

    public SimulatedChain Simulated { get; }

    public string Id => Simulated.Chain.Id;

    public ulong Salt { get; }

    public ChainProfile Profile { get; }

    public XmlEncodingStyle Style { get; }

    /// <summary>Promotions active in each store on any day.</summary>
    public int PromotionSlots { get; }

    public string RootName { get; }

    public int StoreCount { get; }

    public int ItemsPerStore { get; }

    /// <summary>
    /// Whether yesterday's files are still served: Cerberus keeps every snapshot in its root; date-selecting sites
    /// (and Wolt's and Netiv HaHesed's pages per day) answer for earlier days.
    /// </summary>
    public bool PublishesHistory => Simulated.Portal.Family is PortalFamilies.Cerberus
        or PortalFamilies.HaziHinamHtml or PortalFamilies.SuperPharmHtml or PortalFamilies.CityMarketHtml or PortalFamilies.DailyHtml
        or PortalFamilies.SimpleHtml;

    /// <summary>
    /// Whether the portal still serves yesterday's files (asked for by date, or listed with history) — every family
    /// whose real portal keeps past days. Shufersal's listing shows only the current files.
    /// </summary>
    public bool ServesPastDays => PublishesHistory || Simulated.Portal.Family is PortalFamilies.BinaProjects or PortalFamilies.LaibCatalog or PortalFamilies.PublishPrice;

    /// <summary>
    /// The id a store's files are named with. A chain with other ids (<see cref="Chain.OtherIds"/>) publishes its stores
    /// round-robin over all of them (store 1 under the main id, store 2 under the first other id, ...); store numbers
    /// stay 1..N, so they never collide across ids. Stores files (store 0) go under the main id.
    /// </summary>
    public string PublishingId(int storeId)
    {
        var others = Simulated.Chain.OtherIds;
        if (storeId <= 0 || others.Count == 0)
        {
            return Id;
        }

        var slot = (storeId - 1) % (others.Count + 1);
        return slot == 0 ? Id : others[slot - 1];
    }

    public bool HasStore(int storeId) => storeId >= 1 && storeId <= StoreCount;

    /// <summary>Catalogue index of a store's i-th item: a store-specific affine walk over a prime-sized catalogue, so no repeats.</summary>
    public int ProductAt(int storeId, int i)
    {
        var size = (ulong)_catalogue.Size;
        var offset = Det.Hash(_seed, Model.Salt.StoreOffset, Salt, (ulong)storeId) % size;
        var stride = 1 + (Det.Hash(_seed, Model.Salt.StoreStride, Salt, (ulong)storeId) % (size - 1));
        return (int)((offset + ((ulong)i * stride)) % size);
    }

    /// <summary>About 5% of the catalogue is sold by this chain under its own short produce codes.</summary>
    public bool IsInternal(int k) => Det.Below(Det.Hash(_seed, Model.Salt.Internal, Salt, (ulong)k), 100) < 5;

    public ProductInfo Product(int k) => IsInternal(k) ? _catalogue.Produce(Salt, k) : _catalogue.Barcoded(k);

    public string ProductKey(int k) =>
        IsInternal(k) ? ProductKeys.For(0, Id, _catalogue.Produce(Salt, k).ItemCode) : ProductKeys.For(1, Id, _catalogue.Barcode(k));

    /// <summary>The generated price of a product in a store before any day's change: catalogue price +-10% per store.</summary>
    public decimal GeneratedPrice(int storeId, int k, ProductInfo product)
    {
        var factor = 0.9m + (decimal)Det.Unit(Det.Hash(_seed, Model.Salt.StorePrice, Salt, (ulong)storeId, (ulong)k)) * 0.2m;
        return Catalogue.RoundPrice(product.BasePrice * factor);
    }

    public decimal PriceOf(int storeId, int k, PriceBook book) =>
        book.TryGet(new ShelfKey(Index, storeId, k), out var changed) ? changed.Price : GeneratedPrice(storeId, k, Product(k));

    /// <summary>Whether the file repeats an earlier row right after row i.</summary>
    public bool HasDuplicateAfter(int storeId, int i) =>
        i >= 1 && Det.Unit(Det.Hash(_seed, Model.Salt.Duplicate, Salt, (ulong)storeId, (ulong)i)) < _duplicateRate;

    /// <summary>The earlier row (within the 30 before) that the duplicate after row i repeats.</summary>
    public int DuplicateOf(int storeId, int i) =>
        i - 1 - Det.Below(Det.Hash(_seed, Model.Salt.DuplicateOf, Salt, (ulong)storeId, (ulong)i), Math.Min(i, 30));

    /// <summary>A flawed chain writes some item names with a bare <c>&amp;</c> (the name holds " &amp; ").</summary>
    public bool HasAmpersandName(int k) => Profile.Flaws && Det.Below(Det.Hash(_seed, Model.Salt.Flaw, Salt, (ulong)k), 23) == 0;

    /// <summary>A flawed chain pads some values with trailing spaces.</summary>
    public bool HasTrailingSpaces(string itemCode) => Profile.Flaws && Det.Below(Det.Hash(_seed, Model.Salt.Flaw, Salt, Det.Of(itemCode)), 7) == 0;

    public int RowsInFile(int storeId)
    {
        var rows = ItemsPerStore;
        for (var i = 1; i < ItemsPerStore; i++)
        {
            if (HasDuplicateAfter(storeId, i))
            {
                rows++;
            }
        }

        return rows;
    }

    /// <summary>When the published price was set: the change day, or a day in the 90 before the world began.</summary>
    public DateTime UpdateDate(int storeId, int k, PriceBook book, DateOnly firstDay)
    {
        var h = Det.Hash(_seed, Model.Salt.UpdateDate, Salt, (ulong)storeId, (ulong)k);
        var secondOfDay = Det.Below(h, 86_400);
        if (book.TryGet(new ShelfKey(Index, storeId, k), out var changed))
        {
            return changed.ChangedOn.ToDateTime(new TimeOnly(2, 0)).AddSeconds(secondOfDay % 3600);
        }

        return firstDay.AddDays(-1 - Det.Below(Det.Mix(h), 90)).ToDateTime(TimeOnly.MinValue).AddSeconds(secondOfDay);
    }

    public (bool AllowDiscount, int Status) Flags(int k)
    {
        var h = Det.Hash(_seed, Model.Salt.Flags, Salt, (ulong)k);
        return (Det.Below(h, 10) != 0, Det.Below(Det.Mix(h), 50) == 0 ? 0 : 1);
    }

    public StoreInfo Store(int storeId)
    {
        var h = Det.Hash(_seed, Model.Salt.StoreInfo, Salt, (ulong)storeId);
        var city = Words.Cities[Det.Below(h, Words.Cities.Length)];
        var area = Words.Areas[Det.Below(Det.Mix(h ^ 1), Words.Areas.Length)];
        var street = Words.Streets[Det.Below(Det.Mix(h ^ 2), Words.Streets.Length)];
        var addressKind = Det.Below(Det.Mix(h ^ 3), 10);
        var address = addressKind switch
        {
            0 => "",
            1 => "unknown",
            _ => $"{street} {1 + Det.Below(Det.Mix(h ^ 4), 120)}",
        };
        var zip = addressKind == 0 ? "0000000" : (1_000_000 + Det.Below(Det.Mix(h ^ 5), 8_999_999)).ToString(CultureInfo.InvariantCulture);
        var type = Det.Below(Det.Mix(h ^ 6), 8) == 0 ? 3 : 1;
        return new StoreInfo(storeId, $"{city} {area}", address, city, zip, type, Det.Below(Det.Mix(h ^ 7), 10));
    }
}
