using System.Runtime.InteropServices;

namespace Gogobe.Core.Files;

/// <summary>
/// Turns one item's raw field values into a <see cref="PriceRow"/>, or a reject, with the repairs and warnings counted.
/// Shared by both price parsers (the XmlReader one hands it strings, the fast scanner spans of its buffer), so the
/// validation rules exist once and both paths give the same rows by construction. Values are read as spans: numbers,
/// flags and dates never become strings; short repeated texts come from a <see cref="StringPool"/>.
/// </summary>
internal sealed class PriceRowBuilder(ReadStats stats)
{
    private const decimal MaxPrice = 100_000m;

    private readonly ReadOnlyMemory<char>[] _values = new ReadOnlyMemory<char>[(int)PriceField.Count];
    private readonly bool[] _present = new bool[(int)PriceField.Count];
    private readonly StringPool _pool = new();
    private readonly string?[] _last = new string?[(int)PriceField.Count];

    /// <summary>Forgets the previous row's values.</summary>
    public void Clear() => Array.Clear(_present);

    /// <summary>A field's text as read (a later element of the same field replaces an earlier one, as before).</summary>
    public void Set(PriceField field, ReadOnlyMemory<char> value)
    {
        _values[(int)field] = value;
        _present[(int)field] = true;
    }

    /// <summary>The row from the values set since <see cref="Clear"/>; null when rejected (counted in the stats).</summary>
    public PriceRow? Build(string? headerChainId, string? headerSubChainId, string? headerStoreId)
    {
        var repairs = 0;
        try
        {
            return Build(headerChainId, headerSubChainId, headerStoreId, ref repairs);
        }
        finally
        {
            stats.AddRepairs(repairs);
        }
    }

    // The order of the reads below is the order of the original parser's: repairs counted on a rejected row depend on it.
    private PriceRow? Build(string? headerChainId, string? headerSubChainId, string? headerStoreId, ref int repairs)
    {
        var itemCode = Text(PriceField.ItemCode, pooled: false, ref repairs);
        if (itemCode is null)
        {
            stats.Reject("missing ItemCode");
            return null;
        }

        var chainId = Text(PriceField.ChainId, pooled: true, ref repairs) ?? headerChainId;
        if (chainId is null)
        {
            stats.Reject("missing ChainId");
            return null;
        }

        var storeText = Clean(PriceField.StoreId, ref repairs);
        if (storeText.IsEmpty && headerStoreId is null)
        {
            stats.Reject("missing StoreId");
            return null;
        }

        if (!FieldParsing.TryInt(storeText.IsEmpty ? headerStoreId.AsSpan() : storeText, out var storeId) || storeId < 0)
        {
            stats.Reject("bad StoreId");
            return null;
        }

        var priceText = Clean(PriceField.ItemPrice, ref repairs);
        if (priceText.IsEmpty)
        {
            stats.Reject("missing ItemPrice");
            return null;
        }

        if (!FieldParsing.TryDecimal(priceText, ref repairs, out var price) && !FieldParsing.TryScientific(priceText, out price))
        {
            stats.Reject("bad price");
            return null;
        }

        if (price is < 0 or > MaxPrice)
        {
            stats.Reject("price out of range");
            return null;
        }

        var itemType = 1;
        var itemTypeText = Clean(PriceField.ItemType, ref repairs);
        if (!itemTypeText.IsEmpty && !FieldParsing.TryInt(itemTypeText, out itemType))
        {
            // Identity depends on it (barcode vs chain-internal code): a row we cannot classify is not stored.
            stats.Reject("bad ItemType");
            return null;
        }

        var subChainId = Text(PriceField.SubChainId, pooled: true, ref repairs) ?? headerSubChainId;
        var itemName = Text(PriceField.ItemName, pooled: false, ref repairs);
        var manufacturerName = Text(PriceField.ManufacturerName, pooled: true, ref repairs);
        var country = Text(PriceField.ManufactureCountry, pooled: true, ref repairs);
        var row = new PriceRow
        {
            ChainId = chainId,
            SubChainId = subChainId,
            StoreId = storeId,
            ItemCode = itemCode,
            ItemType = itemType,
            ItemName = itemName,
            ManufacturerName = manufacturerName,
            ManufactureCountry = country,
            // Often the item's name again: then the same string.
            ManufacturerItemDescription = Text(PriceField.ManufacturerItemDescription, pooled: false, ref repairs, itemName),
            UnitQty = Text(PriceField.UnitQty, pooled: true, ref repairs),
            Quantity = OptionalDecimal(PriceField.Quantity, "bad Quantity", ref repairs),
            UnitOfMeasure = Text(PriceField.UnitOfMeasure, pooled: true, ref repairs),
            IsWeighted = OptionalBool(PriceField.IsWeighted, "bad bIsWeighted", ref repairs) ?? false,
            QtyInPackage = Text(PriceField.QtyInPackage, pooled: true, ref repairs),
            ItemPrice = price,
            UnitOfMeasurePrice = OptionalDecimal(PriceField.UnitOfMeasurePrice, "bad UnitOfMeasurePrice", ref repairs),
            AllowDiscount = OptionalBool(PriceField.AllowDiscount, "bad AllowDiscount", ref repairs),
            ItemStatus = OptionalInt(PriceField.ItemStatus, "bad ItemStatus", ref repairs),
            PriceUpdateDate = OptionalDate(PriceField.PriceUpdateDate, "bad PriceUpdateDate", ref repairs),
        };
        stats.Accept();
        return row;
    }

    /// <summary>
    /// <see cref="FieldParsing.Clean"/> on a span: trimmed (a value that needed trimming counts as a repair); empty when
    /// absent or blank.
    /// </summary>
    private ReadOnlySpan<char> Clean(PriceField field, ref int repairs)
    {
        if (!_present[(int)field])
        {
            return default;
        }

        var value = _values[(int)field].Span;
        // Nearly every value starts and ends with a character that cannot be white space (a digit, a Latin or Hebrew
        // letter): settled by two range checks, where span.Trim asks the Unicode tables for every non-Latin-1 end.
        if (value.Length > 0 && SurelyNotWhiteSpace(value[0]) && SurelyNotWhiteSpace(value[^1]))
        {
            return value;
        }

        var trimmed = value.Trim();
        if (trimmed.Length != value.Length)
        {
            repairs++;
        }

        return trimmed;
    }

    /// <summary>
    /// True only for characters <see cref="char.IsWhiteSpace(char)"/> is false for: U+0021..U+0084 and U+00A1..U+167F
    /// hold no white space (the nearest are U+0020, U+0085, U+00A0 and U+1680).
    /// </summary>
    internal static bool SurelyNotWhiteSpace(char c) => c is (> '\u0020' and < '\u0085') or (> '\u00A0' and < '\u1680');

    /// <summary>A text field's cleaned string, or null: the reader's own string when nothing was trimmed, else pooled or new.</summary>
    private string? Text(PriceField field, bool pooled, ref int repairs, string? sameAs = null)
    {
        var text = Clean(field, ref repairs);
        if (text.IsEmpty)
        {
            return null;
        }

        if (sameAs is not null && text.SequenceEqual(sameAs))
        {
            return sameAs;
        }

        if (MemoryMarshal.TryGetString(_values[(int)field], out var whole, out var start, out var length) &&
            start == 0 && length == whole.Length && length == text.Length)
        {
            return whole;
        }

        if (!pooled)
        {
            return new string(text);
        }

        // The same value as this field's last row (chain, sub-chain, country…) is one comparison; else the pool.
        if (_last[(int)field] is { } last && text.SequenceEqual(last))
        {
            return last;
        }

        return _last[(int)field] = _pool.Get(text);
    }

    private decimal? OptionalDecimal(PriceField field, string warning, ref int repairs)
    {
        var text = Clean(field, ref repairs);
        if (text.IsEmpty)
        {
            return null;
        }

        if (FieldParsing.TryDecimal(text, ref repairs, out var value))
        {
            return value;
        }

        stats.Warn(warning);
        return null;
    }

    private bool? OptionalBool(PriceField field, string warning, ref int repairs)
    {
        var text = Clean(field, ref repairs);
        if (text.IsEmpty)
        {
            return null;
        }

        if (FieldParsing.TryBool(text, out var value))
        {
            return value;
        }

        stats.Warn(warning);
        return null;
    }

    private int? OptionalInt(PriceField field, string warning, ref int repairs)
    {
        var text = Clean(field, ref repairs);
        if (text.IsEmpty)
        {
            return null;
        }

        if (FieldParsing.TryInt(text, out var value))
        {
            return value;
        }

        stats.Warn(warning);
        return null;
    }

    private DateTime? OptionalDate(PriceField field, string warning, ref int repairs)
    {
        var text = Clean(field, ref repairs);
        if (text.IsEmpty)
        {
            return null;
        }

        if (FieldParsing.TryDate(text, out var value))
        {
            return value;
        }

        stats.Warn(warning);
        return null;
    }
}
