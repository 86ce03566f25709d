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
internal sealed class PromotionXmlParser : IDisposable
{
    private enum Node
    {
        Unknown,
        Ignored,
        Container,
        Row,
        ChainId,
        SubChainId,
        StoreId,
    }

    private static readonly Dictionary<string, Node> NodeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Promotions"] = Node.Container,
        ["Sales"] = Node.Container,
        ["Envelope"] = Node.Container,
        ["Header"] = Node.Container,
        ["Details"] = Node.Container,
        ["Promotion"] = Node.Row,
        ["Sale"] = Node.Row,
        ["Line"] = Node.Row,
        ["ChainId"] = Node.ChainId,
        ["SubChainId"] = Node.SubChainId,
        ["StoreId"] = Node.StoreId,
        ["BikoretNo"] = Node.Ignored,
        ["XmlDocVersion"] = Node.Ignored,
        ["DllVerNo"] = Node.Ignored,
        ["schema"] = Node.Ignored,
    };

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

    private readonly XmlReader _reader;
    private readonly IXmlLineInfo? _lineInfo;
    private readonly DecodedFile _file;
    private readonly ReadStats _stats;
    private readonly List<string> _open = [];
    private readonly List<string> _unrecognised = [];
    private readonly string?[] _values = new string?[(int)PromoField.Count];
    private readonly string?[] _item = new string?[3];
    private readonly List<PromotionItem> _items = [];
    private readonly List<string> _clubs = [];

    // Keyed by the reader's atomised name string: after the first promotion each lookup is a pointer hash.
    private readonly Dictionary<object, PromoField> _fieldCache = new(ReferenceEqualityComparer.Instance);

    private bool _started;
    private bool _done;
    private bool _groupRows;
    private string _root = string.Empty;
    private string? _chainId;
    private string? _subChainId;
    private string? _storeIdText;
    private int _rows;
    private int _repairs;
    private Pending? _pending;

    public PromotionXmlParser(DecodedFile file, ReadStats stats)
    {
        _file = file;
        _stats = stats;
        _reader = XmlSettings.CreateReader(file);
        _lineInfo = _reader as IXmlLineInfo;
    }

    /// <summary>The next accepted promotion, or null at the end. Rejected ones are counted in the stats and passed over.</summary>
    public PromotionRow? Next()
    {
        try
        {
            var row = NextRow();
            _stats.AddRepairs(_file.TakeTextRepairs() + _repairs);
            _repairs = 0;
            return row;
        }
        catch (XmlException ex)
        {
            throw XmlSettings.Malformed(ex);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw XmlSettings.BadEncoding(ex, _file.Encoding, _lineInfo);
        }
    }

    private PromotionRow? NextRow()
    {
        var r = _reader;
        if (!_started)
        {
            _started = true;
            EnterRoot();
        }

        while (!_done)
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    var name = r.LocalName;
                    switch (NodeNames.GetValueOrDefault(name))
                    {
                        case Node.Row:
                            var emitted = ReadRow();
                            if (emitted is not null)
                            {
                                return emitted;
                            }

                            break;
                        case Node.Container:
                            NoteList(name);
                            if (r.IsEmptyElement)
                            {
                                r.Read();
                            }
                            else
                            {
                                XmlSettings.ThrowIfTooDeep(r.Depth, _file.Limits);
                                _open.Add(name);
                                r.Read();
                            }

                            break;
                        case Node.ChainId:
                            _chainId = Clean(ReadValue()) ?? _chainId;
                            break;
                        case Node.SubChainId:
                            _subChainId = Clean(ReadValue()) ?? _subChainId;
                            break;
                        case Node.StoreId:
                            _storeIdText = Clean(ReadValue()) ?? _storeIdText;
                            break;
                        case Node.Ignored:
                            XmlSettings.Skip(r, _file.Limits);
                            break;
                        default:
                            SkipUnrecognised();
                            break;
                    }

                    break;

                case XmlNodeType.EndElement when _open.Count > 0:
                    _open.RemoveAt(_open.Count - 1);
                    r.Read();
                    break;

                case XmlNodeType.EndElement:
                case XmlNodeType.None when r.EOF:
                    Finish();
                    break;

                default:
                    r.Read();
                    break;
            }
        }

        // The last group of a Laib/Super-Pharm file is complete only at the end of the document.
        return TakePending();
    }

    private void EnterRoot()
    {
        var r = _reader;
        if (r.MoveToContent() != XmlNodeType.Element)
        {
            throw new InvalidDataException("promotions file has no root element");
        }

        _root = "/" + r.LocalName;
        if (r.LocalName.Equals("OrderXml", StringComparison.OrdinalIgnoreCase))
        {
            _stats.Shape = PromotionShapes.SuperPharm;
            _groupRows = true;
        }

        if (r.IsEmptyElement)
        {
            r.Read();
            Finish();
            return;
        }

        r.Read();
    }

    private void NoteList(string name)
    {
        if (name.Equals("Promotions", StringComparison.OrdinalIgnoreCase))
        {
            _stats.Shape ??= PromotionShapes.Standard;
        }
        else if (name.Equals("Sales", StringComparison.OrdinalIgnoreCase))
        {
            _stats.Shape ??= PromotionShapes.Laib;
            _groupRows = true;
        }
    }

    private void Finish()
    {
        while (_reader.Read())
        {
        }

        _done = true;
        if (_rows == 0 && _stats.Shape is null)
        {
            var what = _unrecognised.Count > 0
                ? "unrecognised elements: " + string.Join(", ", _unrecognised.Take(5))
                : "no Promotions, Sales or OrderXml list";
            throw new InvalidDataException($"unknown promotions file layout under root element {_root}: {what}");
        }
    }

    private void SkipUnrecognised()
    {
        var r = _reader;
        var path = (_open.Count == 0 ? _root : _root + "/" + string.Join('/', _open)) + "/" + r.LocalName;
        if (r.IsEmptyElement)
        {
            r.Read();
            return;
        }

        var depth = r.Depth;
        var container = false;
        r.Read();
        while (r.Depth > depth && !r.EOF)
        {
            if (r.NodeType == XmlNodeType.Element)
            {
                container = true;
                XmlSettings.Skip(r, _file.Limits);
            }
            else
            {
                r.Read();
            }
        }

        r.Read();
        if (container && _unrecognised.Count < 20)
        {
            _unrecognised.Add(path);
        }
    }

    /// <summary>Reads one row element; returns a promotion when one is complete (for grouped layouts: the previous group).</summary>
    private PromotionRow? ReadRow()
    {
        _rows++;
        _stats.Shape ??= _reader.LocalName.Equals("Sale", StringComparison.OrdinalIgnoreCase) ? PromotionShapes.Laib : PromotionShapes.Standard;
        Array.Clear(_values);
        _items.Clear();
        _clubs.Clear();
        var r = _reader;
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
            _stats.Accept();
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
        _stats.Accept();
        WarnIfNoItems(row);
        return row;
    }

    private void WarnIfNoItems(PromotionRow row)
    {
        if (row.Items.Count == 0)
        {
            _stats.Warn("promotion without items");
        }
    }

    /// <summary>
    /// Walks the children of the element at <paramref name="depth"/> to its end tag: leaves are fields, an <c>Item</c>
    /// holding elements is one promotion item, any other wrapper (PromotionItems, Clubs, AdditionalRestrictions) is walked into.
    /// </summary>
    private void ReadChildren(int depth, bool inItem)
    {
        _reader.Read();
        ReadChildrenFromHere(depth, inItem);
    }

    /// <summary>Like <see cref="ReadChildren"/> but the reader already stands on the first child.</summary>
    private void ReadChildrenFromHere(int depth, bool inItem)
    {
        var r = _reader;
        while (!r.EOF)
        {
            if (r.NodeType == XmlNodeType.EndElement && r.Depth == depth)
            {
                r.Read();
                return;
            }

            if (r.NodeType != XmlNodeType.Element)
            {
                r.Read();
                continue;
            }

            var name = r.LocalName;
            if (r.IsEmptyElement)
            {
                r.Read();
                continue;
            }

            var childDepth = r.Depth;
            XmlSettings.ThrowIfTooDeep(childDepth, _file.Limits); // the walk recurses per level
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
            var field = FieldOf(name);
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
        var r = _reader;
        while (!r.EOF)
        {
            if (r.NodeType == XmlNodeType.EndElement && r.Depth == depth)
            {
                r.Read();
                return;
            }

            if (r.NodeType != XmlNodeType.Element)
            {
                r.Read();
                continue;
            }

            var field = FieldOf(r.LocalName);
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

    private void AddItem(string? codeText, string? typeText, string? giftText)
    {
        var code = Clean(codeText);
        if (code is null)
        {
            _stats.Warn("promotion item without ItemCode");
            return;
        }

        var type = 1;
        var typeClean = Clean(typeText);
        if (typeClean is not null && !FieldParsing.TryInt(typeClean, out type))
        {
            // Identity depends on it (barcode vs chain-internal code).
            _stats.Warn("bad promotion ItemType");
            return;
        }

        var gift = OptionalBool(giftText, "bad IsGiftItem") ?? false;
        _items.Add(new PromotionItem(code, type, gift));
    }

    private PromoField FieldOf(string atomizedName)
    {
        if (!_fieldCache.TryGetValue(atomizedName, out var field))
        {
            field = FieldNames.GetValueOrDefault(atomizedName, PromoField.Unknown);
            _fieldCache[atomizedName] = field;
        }

        return field;
    }

    private PromotionRow? Build()
    {
        var v = _values;
        var id = Clean(v[(int)PromoField.PromotionId]);
        if (id is null)
        {
            _stats.Reject("missing PromotionId");
            return null;
        }

        var chainId = Clean(v[(int)PromoField.ChainId]) ?? _chainId;
        if (chainId is null)
        {
            _stats.Reject("missing ChainId");
            return null;
        }

        var storeText = Clean(v[(int)PromoField.StoreId]) ?? _storeIdText;
        if (storeText is null)
        {
            _stats.Reject("missing StoreId");
            return null;
        }

        if (!FieldParsing.TryInt(storeText, out var storeId) || storeId < 0)
        {
            _stats.Reject("bad StoreId");
            return null;
        }

        return new PromotionRow
        {
            ChainId = chainId,
            SubChainId = Clean(v[(int)PromoField.SubChainId]) ?? _subChainId,
            StoreId = storeId,
            PromotionId = id,
            Description = Clean(v[(int)PromoField.Description]),
            StartsAt = DateAndHour(v[(int)PromoField.StartDate], v[(int)PromoField.StartHour], "bad PromotionStartDate"),
            EndsAt = DateAndHour(v[(int)PromoField.EndDate], v[(int)PromoField.EndHour], "bad PromotionEndDate"),
            UpdatedAt = OptionalDate(v[(int)PromoField.UpdateDate], "bad PromotionUpdateDate"),
            RewardType = OptionalInt(v[(int)PromoField.RewardType], "bad RewardType"),
            AllowMultipleDiscounts = OptionalBool(v[(int)PromoField.AllowMultipleDiscounts], "bad AllowMultipleDiscounts"),
            IsWeightedPromo = OptionalBool(v[(int)PromoField.IsWeightedPromo], "bad IsWeightedPromo"),
            MinQty = OptionalDecimal(v[(int)PromoField.MinQty], "bad MinQty"),
            MaxQty = OptionalDecimal(v[(int)PromoField.MaxQty], "bad MaxQty"),
            DiscountedPrice = OptionalDecimal(v[(int)PromoField.DiscountedPrice], "bad DiscountedPrice"),
            DiscountedPricePerMida = OptionalDecimal(v[(int)PromoField.DiscountedPricePerMida], "bad DiscountedPricePerMida"),
            DiscountRate = OptionalDecimal(v[(int)PromoField.DiscountRate], "bad DiscountRate"),
            DiscountType = OptionalInt(v[(int)PromoField.DiscountType], "bad DiscountType"),
            MinNoOfItemsOffered = OptionalInt(v[(int)PromoField.MinNoOfItemsOffered], "bad MinNoOfItemOfered"),
            IsCoupon = OptionalBool(v[(int)PromoField.IsCoupon], "bad AdditionalIsCoupon"),
            GiftCount = OptionalInt(v[(int)PromoField.GiftCount], "bad AdditionalGiftCount"),
            IsTotal = OptionalBool(v[(int)PromoField.IsTotal], "bad AdditionalIsTotal"),
            IsActive = OptionalBool(v[(int)PromoField.IsActive], "bad AdditionalIsActive"),
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
        var date = OptionalDate(dateRaw, warning);
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

        _stats.Warn(warning.Replace("Date", "Hour", StringComparison.Ordinal));
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

    private decimal? OptionalDecimal(string? raw, string warning)
    {
        var text = Clean(raw);
        if (text is null)
        {
            return null;
        }

        if (FieldParsing.TryDecimal(text, ref _repairs, out var value))
        {
            return value;
        }

        _stats.Warn(warning);
        return null;
    }

    private bool? OptionalBool(string? raw, string warning)
    {
        var text = Clean(raw);
        if (text is null)
        {
            return null;
        }

        if (FieldParsing.TryBool(text, out var value))
        {
            return value;
        }

        _stats.Warn(warning);
        return null;
    }

    private int? OptionalInt(string? raw, string warning)
    {
        var text = Clean(raw);
        if (text is null)
        {
            return null;
        }

        if (FieldParsing.TryInt(text, out var value))
        {
            return value;
        }

        _stats.Warn(warning);
        return null;
    }

    private DateTime? OptionalDate(string? raw, string warning)
    {
        var text = Clean(raw);
        if (text is null)
        {
            return null;
        }

        if (FieldParsing.TryDate(text, out var value))
        {
            return value;
        }

        _stats.Warn(warning);
        return null;
    }

    /// <summary>The text of the element the reader stands on, leaving the reader after its end tag.</summary>
    private string ReadValue()
    {
        var r = _reader;
        if (r.IsEmptyElement)
        {
            r.Read();
            return string.Empty;
        }

        r.Read();
        return LeafValue();
    }

    /// <summary>The text of a leaf whose start tag has been read, leaving the reader after its end tag. Child elements are skipped.</summary>
    private string LeafValue()
    {
        var r = _reader;
        var text = string.Empty;
        while (r.NodeType != XmlNodeType.EndElement && !r.EOF)
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text = text.Length == 0 ? r.Value : text + r.Value;
                    XmlSettings.ThrowIfTooLong(text.Length, _file.Limits);
                    r.Read();
                    break;
                case XmlNodeType.Element:
                    XmlSettings.Skip(r, _file.Limits);
                    break;
                default:
                    r.Read();
                    break;
            }
        }

        r.Read();
        return text;
    }

    public void Dispose() => _reader.Dispose();

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
