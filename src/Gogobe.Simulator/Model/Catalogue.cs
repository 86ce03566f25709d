using System.Globalization;

namespace Gogobe.Simulator.Model;

/// <summary>What a product is, independent of where it is sold.</summary>
internal sealed record ProductInfo(
    string ItemCode,
    int ItemType,
    string ItemName,
    string Manufacturer,
    string Country,
    string Description,
    Measure Measure,
    decimal Quantity,
    bool Weighted,
    string QtyInPackage,
    decimal BasePrice);

/// <summary>
/// The national catalogue: product k (0..Size-1) has a GS1-like 13-digit barcode and a description, all derived
/// from (seed, k). Chains share it, so the same barcode turns up in many chains. Size is a prime so that any stride
/// walks it without repeats (see <see cref="Shelf"/>).
/// </summary>
internal sealed class Catalogue
{
    private static readonly string[] Prefixes = ["729", "729", "729", "729", "729", "729", "729", "500", "800", "871", "400", "869"];
    private readonly ulong _seed;
    private readonly ulong _barcodeOffset;

    public Catalogue(ulong seed, int itemsPerStore)
    {
        _seed = seed;
        Size = NextPrime(Math.Max(2 * itemsPerStore, 2003));
        _barcodeOffset = Det.Hash(seed, Salt.Catalogue, 1) % 1_000_000_000UL;
    }

    public int Size { get; }

    /// <summary>A barcode unique to k: nine digits from a bijection of k (multiplier coprime to 10), a prefix and the GS1 check digit.</summary>
    public string Barcode(int k)
    {
        var body = ((ulong)k * 387_420_489UL + _barcodeOffset) % 1_000_000_000UL;
        var prefix = Det.Pick(Det.Hash(_seed, Salt.Catalogue, 2, (ulong)k), Prefixes);
        var data = prefix + body.ToString("D9", CultureInfo.InvariantCulture);
        return data + CheckDigit(data).ToString(CultureInfo.InvariantCulture);
    }

    public ProductInfo Barcoded(int k)
    {
        var h = Det.Hash(_seed, Salt.Catalogue, 3, (ulong)k);
        var type = Words.Types[Det.Below(h, Words.Types.Length)];
        var variant = Words.Variants[Det.Below(Det.Mix(h ^ 1), Words.Variants.Length)];
        var manufacturer = Words.Manufacturers[Det.Below(Det.Mix(h ^ 2), Words.Manufacturers.Length)];
        var country = Words.Countries[Det.Below(Det.Mix(h ^ 3), Words.Countries.Length)];
        var size = type.Sizes[Det.Below(Det.Mix(h ^ 4), type.Sizes.Length)];
        var sizeText = size.ToString("0.##", CultureInfo.InvariantCulture) + " " + type.Measure.Short;
        var name = string.Join(' ', new[] { type.Name, variant, manufacturer == "לא ידוע" ? "" : manufacturer, sizeText }.Where(w => w.Length > 0));

        // Price scales with size around the type's typical price, with +-30% brand spread.
        var sizeFactor = (decimal)Math.Sqrt((double)(size / type.Sizes[0]));
        var spread = 0.7m + (decimal)Det.Unit(Det.Mix(h ^ 5)) * 0.6m;
        var price = RoundPrice(type.TypicalPrice * sizeFactor * spread);
        var inPackage = Det.Below(Det.Mix(h ^ 6), 10) switch
        {
            0 => "לא ידוע",
            1 => "6",
            _ => "1",
        };
        return new ProductInfo(Barcode(k), 1, name, manufacturer, country, Det.Below(Det.Mix(h ^ 7), 3) == 0 ? type.Name : name,
            type.Measure, size, false, inPackage, price);
    }

    /// <summary>A chain-internal produce code: short, and its meaning depends on the chain (chainSalt).</summary>
    public ProductInfo Produce(ulong chainSalt, int k)
    {
        var h = Det.Hash(_seed, Salt.Produce, chainSalt, (ulong)k);
        var name = Words.Produce[Det.Below(h, Words.Produce.Length)];
        var price = RoundPrice(4m + (decimal)Det.Unit(Det.Mix(h ^ 1)) * 60m);
        var code = (1000 + k).ToString(CultureInfo.InvariantCulture);
        return new ProductInfo(code, 0, name, "לא ידוע", "ישראל", name, Words.Kilos, 1m, true, Det.Below(Det.Mix(h ^ 2), 2) == 0 ? "לא ידוע" : "0", price);
    }

    /// <summary>Shelf prices are whole tenths of a shekel (12.90, 5.50), never below 0.90.</summary>
    public static decimal RoundPrice(decimal raw)
    {
        var tenths = Math.Max(9m, Math.Round(raw * 10m, MidpointRounding.AwayFromZero));
        return tenths / 10m;
    }

    private static int CheckDigit(string twelveDigits)
    {
        var sum = 0;
        for (var i = 0; i < twelveDigits.Length; i++)
        {
            var digit = twelveDigits[i] - '0';
            sum += i % 2 == 0 ? digit : 3 * digit;
        }

        return (10 - (sum % 10)) % 10;
    }

    private static int NextPrime(int n)
    {
        for (var candidate = n | 1; ; candidate += 2)
        {
            var prime = true;
            for (var d = 3; (long)d * d <= candidate; d += 2)
            {
                if (candidate % d == 0)
                {
                    prime = false;
                    break;
                }
            }

            if (prime)
            {
                return candidate;
            }
        }
    }
}
