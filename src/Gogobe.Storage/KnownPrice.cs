namespace Gogobe.Storage;

/// <summary>
/// A store's current price of a product, as stored (numeric(12,2), numeric(14,4)), and what this file did with it so
/// far. A struct in the dictionary (changed in place), its prices held as scaled integers: 24 bytes, where two
/// decimals took 48, and a steady day reads a whole store's prices per file (the 400,000-item memory test: all).
/// </summary>
internal struct KnownPrice
{
    private const long NoUnitPrice = long.MinValue;
    private readonly long _cents;
    private readonly long _unitTenThousandths;

    /// <param name="cents">price × 100 (numeric(12,2): exact, far inside a long).</param>
    /// <param name="unitTenThousandths">unit_price × 10,000 (numeric(14,4)), or null.</param>
    public KnownPrice(long cents, long? unitTenThousandths)
    {
        _cents = cents;
        _unitTenThousandths = unitTenThousandths ?? NoUnitPrice;
    }

    /// <summary>A row of the product was dropped as unchanged (for the count of distinct products).</summary>
    public bool Seen { get; set; }

    /// <summary>A row of the product was kept; it is compared at completion (and counted there).</summary>
    public bool Kept { get; set; }

    /// <summary>Whether these prices, rounded as the columns round them (half away from zero), equal the stored ones.</summary>
    public readonly bool SamePrice(decimal itemPrice, decimal? unitOfMeasurePrice) =>
        Scaled(_cents, 2) == Math.Round(itemPrice, 2, MidpointRounding.AwayFromZero)
        && (unitOfMeasurePrice is { } unit
            ? _unitTenThousandths != NoUnitPrice && Scaled(_unitTenThousandths, 4) == Math.Round(unit, 4, MidpointRounding.AwayFromZero)
            : _unitTenThousandths == NoUnitPrice);

    /// <summary>value / 10^scale, exactly (no division: the decimal is built with that scale).</summary>
    private static decimal Scaled(long value, byte scale)
    {
        var magnitude = (ulong)Math.Abs(value);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, value < 0, scale);
    }
}
