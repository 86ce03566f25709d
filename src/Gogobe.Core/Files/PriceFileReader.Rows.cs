namespace Gogobe.Core.Files;

public static partial class PriceFileReader
{
    /// <summary>
    /// Streams the item rows of a Price/PriceFull file. Bad rows are counted in <paramref name="stats"/> by reason
    /// and passed over; a file that cannot be read at all throws <see cref="InvalidDataException"/> (unknown layout,
    /// truncated or malformed XML, text not in its encoding) when the enumeration reaches the damage.
    /// </summary>
    public static IEnumerable<PriceRow> ReadPrices(DecodedFile file, ReadStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stats);
        return ReadRows(file, stats, static (f, s, c) => new FastPriceParser(f, s, c), cancellationToken);
    }

    /// <summary>
    /// <see cref="ReadPrices(DecodedFile, ReadStats, CancellationToken)"/> by a chosen parser: the differential tests and
    /// the benchmark compare the fast scanner with the XmlReader parser it must agree with.
    /// </summary>
    internal static IEnumerable<PriceRow> ReadPrices(DecodedFile file, ReadStats stats, PriceParser parser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stats);
        return parser == PriceParser.XmlReader
            ? ReadRows<PriceRow>(file, stats, static (f, s, _) => new PriceXmlParser(f, s), cancellationToken)
            : ReadRows<PriceRow>(file, stats, static (f, s, c) => new FastPriceParser(f, s, c), cancellationToken);
    }

    /// <summary>
    /// Streams the stores of a Stores file, whatever its nesting (standard, SAP ALL-CAPS, Branches, wrapped).
    /// Store ids are numbers ("013" and "13" are one store).
    /// </summary>
    public static IEnumerable<StoreRow> ReadStores(DecodedFile file, ReadStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stats);
        return ReadRows(file, stats, static (f, s, _) => new StoreXmlParser(f, s), cancellationToken);
    }

    /// <summary>
    /// Streams the promotions of a Promo/PromoFull file (standard <c>Promotions/Promotion</c>, old Laib <c>Sales/Sale</c>
    /// grouped by consecutive PromotionId, Super-Pharm <c>OrderXml</c>). A promotion without an id is rejected
    /// ("missing PromotionId"); one without items is kept and warned ("promotion without items"). An empty list is no error.
    /// </summary>
    public static IEnumerable<PromotionRow> ReadPromotions(DecodedFile file, ReadStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stats);
        return ReadRows(file, stats, static (f, s, _) => new PromotionXmlParser(f, s), cancellationToken);
    }

    /// <summary>Opens the parser on the first step of the enumeration (not at the call) and disposes it with the enumerator.</summary>
    private static IEnumerable<TRow> ReadRows<TRow>(
        DecodedFile file, ReadStats stats, Func<DecodedFile, ReadStats, CancellationToken, IRowSource<TRow>> open, CancellationToken cancellationToken)
        where TRow : class
    {
        using var parser = open(file, stats, cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = parser.Next();
            if (row is null)
            {
                yield break;
            }

            yield return row;
        }
    }
}

/// <summary>Which parser reads a price file.</summary>
internal enum PriceParser
{
    /// <summary>The span scanner, falling back to the XmlReader parser for anything unusual (the default).</summary>
    Fast,

    /// <summary>The XmlReader parser alone: the reference the fast scanner is checked against.</summary>
    XmlReader,
}
