using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>
/// Pull parser for Promo/PromoFull XML in its three layouts (FORMATS.md): standard <c>Promotions/Promotion</c> with
/// nested <c>PromotionItems/Item</c>, <c>Clubs/ClubId</c> and <c>AdditionalRestrictions</c>; old Laib <c>Sales/Sale</c>
/// (one row per item); Super-Pharm <c>OrderXml/Envelope/.../Details/Line</c> (ids in the Envelope).
/// Inside a row every leaf is matched by name wherever it sits, so the wrappers may vary. In the Laib and Super-Pharm
/// layouts consecutive rows with the same PromotionId are one promotion with several items; in the standard layout each
/// <c>Promotion</c> is its own row (two with one id are both handed on: de-duplication is downstream).
/// </summary>
internal sealed class PromotionXmlParser : RowListParser<PromotionRow>
{
    /// <summary>What an element outside a row is, besides the names all list files share (<see cref="RowListParser{TRow}.WithSharedNames"/>).</summary>
    private static readonly Dictionary<string, ListNode> NodeNames = WithSharedNames(new()
    {
        ["Promotions"] = ListNode.Container, // standard
        ["Sales"] = ListNode.Container,      // Laib old
        ["Promotion"] = ListNode.Row,
        ["Sale"] = ListNode.Row,
    });

    private static readonly Dictionary<string, PromoField> FieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PromotionId"] = PromoField.PromotionId,
        ["PromotionDescription"] = PromoField.Description,
        ["PromotionUpdateDate"] = PromoField.UpdateDate,
        ["PromotionStartDate"] = PromoField.StartDate,
        ["PromotionStartHour"] = PromoField.StartHour,
        ["PromotionEndDate"] = PromoField.EndDate,
        ["PromotionEndHour"] = PromoField.EndHour,
        ["RewardType"] = PromoField.RewardType,
        ["AllowMultipleDiscounts"] = PromoField.AllowMultipleDiscounts,
        ["IsWeightedPromo"] = PromoField.IsWeightedPromo,
        ["MinQty"] = PromoField.MinQty,
        ["MaxQty"] = PromoField.MaxQty,
        ["DiscountedPrice"] = PromoField.DiscountedPrice,
        ["DiscountedPricePerMida"] = PromoField.DiscountedPricePerMida,
        ["DiscountRate"] = PromoField.DiscountRate,
        ["DiscountType"] = PromoField.DiscountType,
        ["MinNoOfItemOfered"] = PromoField.MinNoOfItemsOffered,
        ["MinNoOfItemsOffered"] = PromoField.MinNoOfItemsOffered,
        ["MinNoOfItemOffered"] = PromoField.MinNoOfItemsOffered,
        ["AdditionalIsCoupon"] = PromoField.IsCoupon,
        ["AdditionalGiftCount"] = PromoField.GiftCount,
        ["AdditionalIsTotal"] = PromoField.IsTotal,
        ["AdditionalIsActive"] = PromoField.IsActive,
        ["ChainId"] = PromoField.ChainId,
        ["SubChainId"] = PromoField.SubChainId,
        ["StoreId"] = PromoField.StoreId,
        ["ItemCode"] = PromoField.ItemCode,
        ["ItemType"] = PromoField.ItemType,
        ["IsGiftItem"] = PromoField.IsGiftItem,
        ["ClubId"] = PromoField.ClubId,
    };

    private readonly FieldLookup<PromoField> _fields = new(FieldNames, PromoField.Unknown);
    private readonly string?[] _values = new string?[(int)PromoField.Count];
    private readonly string?[] _item = new string?[3];
    private readonly List<PromotionItem> _items = [];
    private readonly List<string> _clubs = [];
    private bool _groupRows;
    private int _rows;
    private int _repairs;
    private Pending? _pending;

    public PromotionXmlParser(DecodedFile file, ReadStats stats)
        : base(file, stats, NodeNames, "promotions file")
    {
    }

    protected override int TakeRepairs()
    {
        var repairs = _repairs;
        _repairs = 0;
        return repairs;
    }

    // The last group of a Laib/Super-Pharm file is complete only at the end of the document.
    protected override PromotionRow? AtEnd() => TakePending();

    protected override void OnRoot(string localName)
    {
        if (localName.Equals("OrderXml", StringComparison.OrdinalIgnoreCase))
        {
            Stats.Shape = PromotionShapes.SuperPharm;
            _groupRows = true;
        }
    }

    protected override void OnContainer(string localName)
    {
        if (localName.Equals("Promotions", StringComparison.OrdinalIgnoreCase))
        {
            Stats.Shape ??= PromotionShapes.Standard;
        }
        else if (localName.Equals("Sales", StringComparison.OrdinalIgnoreCase))
        {
            Stats.Shape ??= PromotionShapes.Laib;
            _groupRows = true;
        }
    }

    protected override void CheckEnd()
    {
        if (_rows == 0 && Stats.Shape is null)
        {
            var what = Unrecognised.Count > 0
                ? "unrecognised elements: " + string.Join(", ", Unrecognised.Take(5))
                : "no Promotions, Sales or OrderXml list";
            throw new InvalidDataException($"unknown promotions file layout under root element {Root}: {what}");
        }
    }

    /// <summary>Reads one row element; returns a promotion when one is complete (for grouped layouts: the previous group).</summary>
    protected override PromotionRow? ReadRow()
    {
        _rows++;
        Stats.Shape ??= Reader.LocalName.Equals("Sale", StringComparison.OrdinalIgnoreCase) ? PromotionShapes.Laib : PromotionShapes.Standard;
        Array.Clear(_values);
        _items.Clear();
        _clubs.Clear();
        var r = Reader;
        if (r.IsEmptyElement)
        {
            r.Read();
        }
        else
        {
            ReadChildren(r.Depth, inItem: false);
        }

        // Item fields written directly on the row (Laib Sale, Super-Pharm Line): one item per row.
        if (_values[(int)PromoField.ItemCode] is not null || _values[(int)PromoField.ItemType] is not null)
        {
            AddItem(_values[(int)PromoField.ItemCode], _values[(int)PromoField.ItemType], _values[(int)PromoField.IsGiftItem]);
        }

        var row = Build();
        if (row is null)
        {
            return null;
        }

        if (!_groupRows)
        {
            Stats.Accept();
            WarnIfNoItems(row);
            return row;
        }

        if (_pending is not null && _pending.Row.PromotionId == row.PromotionId &&
            _pending.Row.StoreId == row.StoreId && _pending.Row.ChainId == row.ChainId)
        {
            _pending.Items.AddRange(row.Items);
            return null;
        }

        var previous = TakePending();
        _pending = new Pending(row, [.. row.Items]);
        return previous;
    }

    private PromotionRow? TakePending()
    {
        if (_pending is null)
        {
            return null;
        }

        var row = _pending.Row;
        if (_pending.Items.Count != row.Items.Count)
        {
            row = CopyWithItems(row, _pending.Items);
        }

        _pending = null;
        Stats.Accept();
        WarnIfNoItems(row);
        return row;
    }

    private void WarnIfNoItems(PromotionRow row)
    {
        if (row.Items.Count == 0)
        {
            Stats.Warn("promotion without items");
        }
    }

    /// <summary>
    /// Walks the children of the element at <paramref name="depth"/> to its end tag: leaves are fields, an <c>Item</c>
    /// holding elements is one promotion item, any other wrapper (PromotionItems, Clubs, AdditionalRestrictions) is walked into.
    /// </summary>
    private void ReadChildren(int depth, bool inItem)
    {
        Reader.Read();
        ReadChildrenFromHere(depth, inItem);
    }

    /// <summary>Like <see cref="ReadChildren"/> but the reader already stands on the first child.</summary>
    private void ReadChildrenFromHere(int depth, bool inItem)
    {
        var r = Reader;
        while (MoveToChild(depth))
        {
            var name = r.LocalName;
            if (r.IsEmptyElement)
            {
                r.Read();
                continue;
            }

            var childDepth = r.Depth;
            XmlSettings.ThrowIfTooDeep(childDepth, Limits); // the walk recurses per level
            r.Read();
            if (r.NodeType is XmlNodeType.Element)
            {
                if (!inItem && name.Equals("Item", StringComparison.OrdinalIgnoreCase))
                {
                    Array.Clear(_item);
                    ReadItemChildren(childDepth);
                    AddItem(_item[0], _item[1], _item[2]);
                }
                else
                {
                    ReadChildrenFromHere(childDepth, inItem);
                }

                continue;
            }

            var value = LeafValue();
            var field = _fields.Of(name);
            if (field == PromoField.ClubId)
            {
                var club = Clean(value);
                if (club is not null)
                {
                    _clubs.Add(club);
                }
            }
            else if (field != PromoField.Unknown)
            {
                _values[(int)field] ??= value;
            }
        }
    }

    /// <summary>The fields of one promotion item; the reader stands on its first child.</summary>
    private void ReadItemChildren(int depth)
    {
        var r = Reader;
        while (MoveToChild(depth))
        {
            var field = _fields.Of(r.LocalName);
            var value = ReadValue();
            switch (field)
            {
                case PromoField.ItemCode:
                    _item[0] ??= value;
                    break;
                case PromoField.ItemType:
                    _item[1] ??= value;
                    break;
                case PromoField.IsGiftItem:
                    _item[2] ??= value;
                    break;
            }
        }
    }

    /// <summary>
    /// Moves to the next child element of the element at <paramref name="depth"/>; false, with the reader past that
    /// element's end tag (or at the end of the document), when there is none.
    /// </summary>
    private bool MoveToChild(int depth)
    {
        var r = Reader;
        while (!r.EOF)
        {
            if (r.NodeType == XmlNodeType.Element)
            {
                return true;
            }

            var end = r.NodeType == XmlNodeType.EndElement && r.Depth == depth;
            r.Read();
            if (end)
            {
                return false;
            }
        }

        return false;
    }

    private void AddItem(string? codeText, string? typeText, string? giftText)
    {
        var code = Clean(codeText);
        if (code is null)
        {
            Stats.Warn("promotion item without ItemCode");
            return;
        }

        var type = 1;
        var typeClean = Clean(typeText);
        if (typeClean is not null && !FieldParsing.TryInt(typeClean, out type))
        {
            // Identity depends on it (barcode vs chain-internal code).
            Stats.Warn("bad promotion ItemType");
            return;
        }

        var gift = OptionalBool(giftText, "bad IsGiftItem", ref _repairs) ?? false;
        _items.Add(new PromotionItem(code, type, gift));
    }

    private PromotionRow? Build()
    {
        var v = _values;
        var id = Clean(v[(int)PromoField.PromotionId]);
        if (id is null)
        {
            Stats.Reject("missing PromotionId");
            return null;
        }

        if (!TryRowStore(v[(int)PromoField.ChainId], v[(int)PromoField.StoreId], ref _repairs, out var chainId, out var storeId))
        {
            return null;
        }

        return new PromotionRow
        {
            ChainId = chainId,
            SubChainId = Clean(v[(int)PromoField.SubChainId]) ?? HeaderSubChainId,
            StoreId = storeId,
            PromotionId = id,
            Description = Clean(v[(int)PromoField.Description]),
            StartsAt = DateAndHour(v[(int)PromoField.StartDate], v[(int)PromoField.StartHour], "bad PromotionStartDate"),
            EndsAt = DateAndHour(v[(int)PromoField.EndDate], v[(int)PromoField.EndHour], "bad PromotionEndDate"),
            UpdatedAt = OptionalDate(v[(int)PromoField.UpdateDate], "bad PromotionUpdateDate", ref _repairs),
            RewardType = OptionalInt(v[(int)PromoField.RewardType], "bad RewardType", ref _repairs),
            AllowMultipleDiscounts = OptionalBool(v[(int)PromoField.AllowMultipleDiscounts], "bad AllowMultipleDiscounts", ref _repairs),
            IsWeightedPromo = OptionalBool(v[(int)PromoField.IsWeightedPromo], "bad IsWeightedPromo", ref _repairs),
            MinQty = OptionalDecimal(v[(int)PromoField.MinQty], "bad MinQty", ref _repairs),
            MaxQty = OptionalDecimal(v[(int)PromoField.MaxQty], "bad MaxQty", ref _repairs),
            DiscountedPrice = OptionalDecimal(v[(int)PromoField.DiscountedPrice], "bad DiscountedPrice", ref _repairs),
            DiscountedPricePerMida = OptionalDecimal(v[(int)PromoField.DiscountedPricePerMida], "bad DiscountedPricePerMida", ref _repairs),
            DiscountRate = OptionalDecimal(v[(int)PromoField.DiscountRate], "bad DiscountRate", ref _repairs),
            DiscountType = OptionalInt(v[(int)PromoField.DiscountType], "bad DiscountType", ref _repairs),
            MinNoOfItemsOffered = OptionalInt(v[(int)PromoField.MinNoOfItemsOffered], "bad MinNoOfItemOfered", ref _repairs),
            IsCoupon = OptionalBool(v[(int)PromoField.IsCoupon], "bad AdditionalIsCoupon", ref _repairs),
            GiftCount = OptionalInt(v[(int)PromoField.GiftCount], "bad AdditionalGiftCount", ref _repairs),
            IsTotal = OptionalBool(v[(int)PromoField.IsTotal], "bad AdditionalIsTotal", ref _repairs),
            IsActive = OptionalBool(v[(int)PromoField.IsActive], "bad AdditionalIsActive", ref _repairs),
            ClubIds = [.. _clubs],
            Items = [.. _items],
        };
    }

    private static PromotionRow CopyWithItems(PromotionRow row, List<PromotionItem> items) => new()
    {
        ChainId = row.ChainId,
        SubChainId = row.SubChainId,
        StoreId = row.StoreId,
        PromotionId = row.PromotionId,
        Description = row.Description,
        StartsAt = row.StartsAt,
        EndsAt = row.EndsAt,
        UpdatedAt = row.UpdatedAt,
        RewardType = row.RewardType,
        AllowMultipleDiscounts = row.AllowMultipleDiscounts,
        IsWeightedPromo = row.IsWeightedPromo,
        MinQty = row.MinQty,
        MaxQty = row.MaxQty,
        DiscountedPrice = row.DiscountedPrice,
        DiscountedPricePerMida = row.DiscountedPricePerMida,
        DiscountRate = row.DiscountRate,
        DiscountType = row.DiscountType,
        MinNoOfItemsOffered = row.MinNoOfItemsOffered,
        IsCoupon = row.IsCoupon,
        GiftCount = row.GiftCount,
        IsTotal = row.IsTotal,
        IsActive = row.IsActive,
        ClubIds = row.ClubIds,
        Items = [.. items],
    };

    /// <summary>
    /// A date plus a separate hour ("2024-05-01" + "08:30:00"). The date may carry its own time, used when no hour is given.
    /// An unreadable date or hour leaves the value empty with a warning; the promotion is kept.
    /// </summary>
    private DateTime? DateAndHour(string? dateRaw, string? hourRaw, string warning)
    {
        var date = OptionalDate(dateRaw, warning, ref _repairs);
        var hour = Clean(hourRaw);
        if (date is null || hour is null)
        {
            return date;
        }

        if (TryHour(hour, out var quick))
        {
            return date.Value.Date + quick;
        }

        if (TimeSpan.TryParseExact(hour, ["hh\\:mm\\:ss", "h\\:mm\\:ss", "hh\\:mm", "h\\:mm", "hh\\:mm\\:ss\\.FFFFFFF"],
                System.Globalization.CultureInfo.InvariantCulture, out var time) && time < TimeSpan.FromDays(1))
        {
            return date.Value.Date + time;
        }

        // Some generators write a whole date-time in the hour field.
        if (FieldParsing.TryDate(hour, out var full))
        {
            return date.Value.Date + full.TimeOfDay;
        }

        Stats.Warn(warning.Replace("Date", "Hour", StringComparison.Ordinal));
        return date;
    }

    /// <summary>Fast path for the usual "HH:mm:ss" / "HH:mm".</summary>
    private static bool TryHour(string text, out TimeSpan value)
    {
        value = default;
        if (text.Length is not (5 or 8) || text[2] != ':' || (text.Length == 8 && text[5] != ':'))
        {
            return false;
        }

        static int D(char c) => c - '0';
        foreach (var i in (ReadOnlySpan<int>)[0, 1, 3, 4])
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        var seconds = 0;
        if (text.Length == 8)
        {
            if (!char.IsAsciiDigit(text[6]) || !char.IsAsciiDigit(text[7]))
            {
                return false;
            }

            seconds = (D(text[6]) * 10) + D(text[7]);
        }

        var hours = (D(text[0]) * 10) + D(text[1]);
        var minutes = (D(text[3]) * 10) + D(text[4]);
        if (hours > 23 || minutes > 59 || seconds > 59)
        {
            return false;
        }

        value = new TimeSpan(hours, minutes, seconds);
        return true;
    }

    private string? Clean(string? value) => FieldParsing.Clean(value, ref _repairs);

    private sealed record Pending(PromotionRow Row, List<PromotionItem> Items);
}

internal enum PromoField
{
    Unknown = -1,
    PromotionId,
    Description,
    UpdateDate,
    StartDate,
    StartHour,
    EndDate,
    EndHour,
    RewardType,
    AllowMultipleDiscounts,
    IsWeightedPromo,
    MinQty,
    MaxQty,
    DiscountedPrice,
    DiscountedPricePerMida,
    DiscountRate,
    DiscountType,
    MinNoOfItemsOffered,
    IsCoupon,
    GiftCount,
    IsTotal,
    IsActive,
    ChainId,
    SubChainId,
    StoreId,
    ItemCode,
    ItemType,
    IsGiftItem,
    ClubId,
    Count,
}
