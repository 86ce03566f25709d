using System.Globalization;
using Gogobe.Core.Files;

namespace Gogobe.Simulator.Model;

/// <summary>
/// The content of every file as typed rows, computed on the fly from (seed, chain, store, day). The writers serialise
/// these rows and the Expected* helpers collect them, so what is written and what is expected cannot drift apart.
/// Values are as a correct reader returns them (trimmed, a bare <c>&amp;</c> read as <c>&amp;</c>, empty as null).
/// </summary>
internal static class Rows
{
    /// <summary>Price snapshots after the 03:00 PriceFull: re-announce a few items and every price changed that day.</summary>
    public static readonly TimeOnly[] PriceTimes = [new(9, 0), new(14, 0)];

    public static readonly TimeOnly[] PromoTimes = [new(9, 10), new(14, 10)];

    private const double ReannouncedFraction = 0.03;
    private const double PromoReannouncedFraction = 0.15;

    /// <summary>The PriceFull rows in file order: each shelf item, some followed by an exact repeat of an earlier row.</summary>
    public static IEnumerable<PriceRow> PriceFull(ChainModel chain, int storeId, PriceBook book, DateOnly firstDay)
    {
        for (var i = 0; i < chain.ItemsPerStore; i++)
        {
            yield return Price(chain, storeId, i, book, firstDay);
            if (chain.HasDuplicateAfter(storeId, i))
            {
                yield return Price(chain, storeId, chain.DuplicateOf(storeId, i), book, firstDay);
            }
        }
    }

    /// <summary>
    /// An incremental Price snapshot (1-based <paramref name="snapshot"/>): the items whose price changed on
    /// <paramref name="day"/> plus a deterministic few re-announced, all at the day's price, in shelf order.
    /// </summary>
    public static IEnumerable<PriceRow> Price(ChainModel chain, int storeId, DateOnly day, int snapshot, PriceBook book, DateOnly firstDay)
    {
        for (var i = 0; i < chain.ItemsPerStore; i++)
        {
            if (InPriceSnapshot(chain, storeId, i, day, snapshot, book))
            {
                yield return Price(chain, storeId, i, book, firstDay);
            }
        }
    }

    public static int PriceCount(ChainModel chain, int storeId, DateOnly day, int snapshot, PriceBook book)
    {
        var count = 0;
        for (var i = 0; i < chain.ItemsPerStore; i++)
        {
            if (InPriceSnapshot(chain, storeId, i, day, snapshot, book))
            {
                count++;
            }
        }

        return count;
    }

    public static PriceRow Price(ChainModel chain, int storeId, int i, PriceBook book, DateOnly firstDay)
    {
        var k = chain.ProductAt(storeId, i);
        var product = chain.Product(k);
        var price = chain.PriceOf(storeId, k, book);
        var unitPrice = Math.Round(price / product.Quantity * product.Measure.PerUnits, 2, MidpointRounding.AwayFromZero);
        var (allowDiscount, status) = chain.Flags(k);
        return new PriceRow
        {
            ChainId = chain.Id,
            SubChainId = ChainModel.SubChainId,
            StoreId = storeId,
            ItemCode = product.ItemCode,
            ItemType = product.ItemType,
            ItemName = chain.HasAmpersandName(k) ? product.ItemName + " & מתנה" : product.ItemName,
            ManufacturerName = product.Manufacturer,
            ManufactureCountry = product.Country,
            ManufacturerItemDescription = product.Description,
            UnitQty = product.Measure.UnitQty,
            Quantity = product.Quantity,
            UnitOfMeasure = product.Measure.UnitOfMeasure,
            IsWeighted = product.Weighted,
            QtyInPackage = product.QtyInPackage,
            ItemPrice = price,
            UnitOfMeasurePrice = unitPrice,
            AllowDiscount = allowDiscount,
            ItemStatus = status,
            PriceUpdateDate = chain.UpdateDate(storeId, k, book, firstDay),
        };
    }

    /// <summary>The stores of the chain's Stores file, in file order.</summary>
    public static IEnumerable<StoreRow> Stores(ChainModel chain)
    {
        for (var storeId = 1; storeId <= chain.StoreCount; storeId++)
        {
            var store = chain.Store(storeId);
            yield return new StoreRow
            {
                ChainId = chain.Id,
                ChainName = chain.Simulated.Chain.Name,
                SubChainId = ChainModel.SubChainId,
                SubChainName = chain.Simulated.Chain.Name,
                StoreId = storeId,
                BikoretNo = store.BikoretNo.ToString(CultureInfo.InvariantCulture),
                StoreType = store.StoreType,
                StoreName = store.Name,
                Address = store.Address.Length == 0 ? null : store.Address,
                City = store.City,
                ZipCode = store.ZipCode,
            };
        }
    }

    /// <summary>Every promotion active in the store on <paramref name="day"/> (the PromoFull), in file order; none on the odd day the store publishes an empty file.</summary>
    public static IEnumerable<PromotionRow> PromoFull(ChainModel chain, int storeId, DateOnly day)
    {
        if (EmptyPromoFile(chain, storeId, day, 0))
        {
            yield break;
        }

        for (var p = 0; p < chain.PromotionSlots; p++)
        {
            yield return Promotion(chain, storeId, p, day);
        }
    }

    /// <summary>An incremental Promo snapshot: promotions that started that day plus a few re-announced (sometimes none at all).</summary>
    public static IEnumerable<PromotionRow> Promo(ChainModel chain, int storeId, DateOnly day, int snapshot)
    {
        if (EmptyPromoFile(chain, storeId, day, snapshot))
        {
            yield break;
        }

        for (var p = 0; p < chain.PromotionSlots; p++)
        {
            var (start, _, _) = PromotionPeriod(chain, storeId, p, day);
            var h = Det.Hash(chain.Salt, Salt.PromoIncremental, (ulong)storeId, (ulong)p, ((ulong)day.DayNumber << 4) | (uint)snapshot);
            if (start == day || Det.Unit(h) < PromoReannouncedFraction)
            {
                yield return Promotion(chain, storeId, p, day);
            }
        }
    }

    private static bool EmptyPromoFile(ChainModel chain, int storeId, DateOnly day, int snapshot) =>
        Det.Below(Det.Hash(chain.Salt, Salt.EmptyPromo, (ulong)storeId, (ulong)day.DayNumber, (ulong)snapshot), snapshot == 0 ? 12 : 6) == 0;

    private static bool InPriceSnapshot(ChainModel chain, int storeId, int i, DateOnly day, int snapshot, PriceBook book)
    {
        var k = chain.ProductAt(storeId, i);
        if (book.TryGet(new ShelfKey(chain.Index, storeId, k), out var changed) && changed.ChangedOn == day)
        {
            return true;
        }

        var h = Det.Hash(chain.Salt, Salt.Incremental, (ulong)storeId, (ulong)i, ((ulong)day.DayNumber << 4) | (uint)snapshot);
        return Det.Unit(h) < ReannouncedFraction;
    }

    /// <summary>A promotion slot runs in back-to-back periods of 5..24 days; each period is a new promotion (new id).</summary>
    private static (DateOnly Start, DateOnly End, long Generation) PromotionPeriod(ChainModel chain, int storeId, int p, DateOnly day)
    {
        var h = Det.Hash(chain.Salt, Salt.Promotion, (ulong)storeId, (ulong)p);
        var length = 5 + Det.Below(h, 20);
        var phase = Det.Below(Det.Mix(h ^ 1), length);
        var generation = ((long)day.DayNumber + phase) / length;
        var start = DateOnly.FromDayNumber((int)((generation * length) - phase));
        return (start, start.AddDays(length - 1), generation);
    }

    private static PromotionRow Promotion(ChainModel chain, int storeId, int p, DateOnly day)
    {
        var (start, end, generation) = PromotionPeriod(chain, storeId, p, day);
        var h = Det.Hash(chain.Salt, Salt.Promotion, (ulong)storeId, (ulong)p, (ulong)generation);
        var itemCount = chain.Profile.Shape is XmlShape.Laib or XmlShape.SuperPharm ? 1 : 1 + Det.Below(h, 4);
        var first = Det.Below(Det.Mix(h ^ 1), chain.ItemsPerStore);
        var items = new PromotionItem[Math.Min(itemCount, chain.ItemsPerStore)];
        for (var j = 0; j < items.Length; j++)
        {
            var product = chain.Product(chain.ProductAt(storeId, (first + j) % chain.ItemsPerStore));
            items[j] = new PromotionItem(product.ItemCode, product.ItemType, IsGift: false);
        }

        var lead = chain.Product(chain.ProductAt(storeId, first));
        var basePrice = chain.GeneratedPrice(storeId, chain.ProductAt(storeId, first), lead);
        var reward = 1 + Det.Below(Det.Mix(h ^ 2), 3);
        var quantity = 1 + Det.Below(Det.Mix(h ^ 3), 3);
        var rate = 10 + (5 * Det.Below(Det.Mix(h ^ 4), 7));
        var discounted = Catalogue.RoundPrice(basePrice * quantity * (100 - rate) / 100m);
        var shortName = lead.ItemName.Length > 24 ? lead.ItemName[..24].TrimEnd() : lead.ItemName;
        var description = reward switch
        {
            1 => string.Create(CultureInfo.InvariantCulture, $"{shortName} {quantity} ב-{discounted:0.##} ש\"ח"),
            2 => string.Create(CultureInfo.InvariantCulture, $"{rate}% הנחה {shortName}"),
            _ => $"קנה {quantity + 1} קבל {shortName} מתנה",
        };
        var club = Det.Below(Det.Mix(h ^ 5), 10);
        return new PromotionRow
        {
            ChainId = chain.Id,
            SubChainId = ChainModel.SubChainId,
            StoreId = storeId,
            PromotionId = (((generation % 10_000) + 1) * 1000 + p).ToString(CultureInfo.InvariantCulture),
            Description = description,
            StartsAt = start.ToDateTime(TimeOnly.MinValue),
            EndsAt = end.ToDateTime(new TimeOnly(23, 59)),
            UpdatedAt = start.AddDays(-1).ToDateTime(new TimeOnly(18, 0)).AddSeconds(Det.Below(Det.Mix(h ^ 6), 14_400)),
            RewardType = reward,
            AllowMultipleDiscounts = Det.Below(Det.Mix(h ^ 7), 2) == 0,
            IsWeightedPromo = lead.Weighted,
            MinQty = quantity,
            MaxQty = 0m,
            DiscountedPrice = reward == 2 ? 0m : discounted,
            DiscountedPricePerMida = reward == 2 ? 0m : discounted,
            DiscountRate = reward == 2 ? rate : 0m,
            DiscountType = reward == 2 ? 2 : 1,
            MinNoOfItemsOffered = quantity,
            IsCoupon = Det.Below(Det.Mix(h ^ 8), 20) == 0,
            GiftCount = reward == 3 ? 1 : 0,
            IsTotal = false,
            IsActive = true,
            ClubIds = club switch
            {
                0 => ["1"],
                1 => ["0", "2"],
                _ => ["0"],
            },
            Items = items,
        };
    }
}
