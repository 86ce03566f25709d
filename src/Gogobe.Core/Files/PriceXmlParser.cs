using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>
/// Pull parser for Price/PriceFull XML in all four published layouts: standard <c>Root/Items/Item</c> (root may be spelled
/// <c>root</c>), the .NET DataSet dump <c>NewDataSet/item</c>, old Laib <c>Prices/Products/Product</c> and Super-Pharm
/// <c>OrderXml/Envelope/.../Details/Line</c>. One walk serves them all: wrappers are entered, rows read, header ids kept
/// wherever they sit. Element names are matched case-insensitively on their local name. One row at a time; per-row work
/// is a few reference-keyed lookups and the values' strings.
/// </summary>
internal sealed class PriceXmlParser : IDisposable
{
    private const decimal MaxPrice = 100_000m;

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

    private static readonly Dictionary<string, PriceField> FieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ItemCode"] = PriceField.ItemCode,
        ["ItemType"] = PriceField.ItemType,
        ["ItemName"] = PriceField.ItemName,
        ["ItemNm"] = PriceField.ItemName,
        ["ManufacturerName"] = PriceField.ManufacturerName,
        ["ManufactureName"] = PriceField.ManufacturerName,
        ["ManufactureCountry"] = PriceField.ManufactureCountry,
        ["ManufacturerCountry"] = PriceField.ManufactureCountry,
        ["ManufacturerItemDescription"] = PriceField.ManufacturerItemDescription,
        ["ManufactureItemDescription"] = PriceField.ManufacturerItemDescription,
        ["UnitQty"] = PriceField.UnitQty,
        ["Quantity"] = PriceField.Quantity,
        ["UnitOfMeasure"] = PriceField.UnitOfMeasure,
        ["bIsWeighted"] = PriceField.IsWeighted,
        ["blsWeighted"] = PriceField.IsWeighted,
        ["IsWeighted"] = PriceField.IsWeighted,
        ["QtyInPackage"] = PriceField.QtyInPackage,
        ["ItemPrice"] = PriceField.ItemPrice,
        ["UnitOfMeasurePrice"] = PriceField.UnitOfMeasurePrice,
        ["AllowDiscount"] = PriceField.AllowDiscount,
        ["ItemStatus"] = PriceField.ItemStatus,
        ["PriceUpdateDate"] = PriceField.PriceUpdateDate,
        ["ChainId"] = PriceField.ChainId,
        ["SubChainId"] = PriceField.SubChainId,
        ["StoreId"] = PriceField.StoreId,
    };

    /// <summary>
    /// What an element outside a row is, in every layout at once: lists and wrappers are walked into, rows read,
    /// header ids kept. Layouts differ only in which of these names they use (FORMATS.md).
    /// </summary>
    private static readonly Dictionary<string, Node> NodeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Items"] = Node.Container,     // standard
        ["Products"] = Node.Container,  // Laib-catalog old
        ["Envelope"] = Node.Container,  // Super-Pharm (ids inside)
        ["Header"] = Node.Container,    // Super-Pharm
        ["Details"] = Node.Container,   // Super-Pharm
        ["Item"] = Node.Row,            // standard; "item" directly under NewDataSet
        ["Product"] = Node.Row,
        ["Line"] = Node.Row,
        ["ChainId"] = Node.ChainId,
        ["SubChainId"] = Node.SubChainId,
        ["StoreId"] = Node.StoreId,
        ["BikoretNo"] = Node.Ignored,
        ["XmlDocVersion"] = Node.Ignored,
        ["DllVerNo"] = Node.Ignored,
        ["schema"] = Node.Ignored, // the DataSet's inline xs:schema
    };

    /// <summary>Accepted roots and the shape name each announces (reported by <see cref="ReadStats.Shape"/>).</summary>
    private static readonly Dictionary<string, string> RootShapes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Root"] = PriceShapes.Standard,
        ["NewDataSet"] = PriceShapes.DataSet,
        ["Prices"] = PriceShapes.Laib,
        ["OrderXml"] = PriceShapes.SuperPharm,
    };

    private readonly XmlReader _reader;
    private readonly IXmlLineInfo? _lineInfo;
    private readonly DecodedFile _file;
    private readonly ReadStats _stats;

    // Keyed by the reader's atomised name string: after the first row each lookup is a pointer hash.
    private readonly Dictionary<object, PriceField> _fieldCache = new(ReferenceEqualityComparer.Instance);
    private readonly string?[] _values = new string?[(int)PriceField.Count];
    private readonly string?[] _slotNames = new string?[48];
    private readonly PriceField[] _slotFields = new PriceField[48];
    private readonly List<string> _unrecognised = [];

    private readonly List<string> _open = [];
    private bool _started;
    private bool _done;
    private string _root = string.Empty;
    private string? _rowAtom;
    private string? _chainId;
    private string? _subChainId;
    private string? _storeIdText;
    private int _items;

    public PriceXmlParser(DecodedFile file, ReadStats stats)
    {
        _file = file;
        _stats = stats;
        _reader = XmlSettings.CreateReader(file);
        _lineInfo = _reader as IXmlLineInfo;
    }

    /// <summary>The next accepted row, or null at the end. Rejected rows are counted in the stats and passed over.</summary>
    public PriceRow? Next()
    {
        try
        {
            var row = NextRow();
            _stats.AddRepairs(_file.TakeTextRepairs());
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

    private PriceRow? NextRow()
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
                    // The row name atom seen last answers without a lookup: nearly every element here is a row.
                    var node = ReferenceEquals(name, _rowAtom) ? Node.Row : NodeNames.GetValueOrDefault(name);
                    switch (node)
                    {
                        case Node.Row:
                            _rowAtom = name;
                            var row = ReadItem();
                            if (row is not null)
                            {
                                return row;
                            }

                            break;
                        case Node.Container:
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
                            _chainId = HeaderValue() ?? _chainId;
                            break;
                        case Node.SubChainId:
                            _subChainId = HeaderValue() ?? _subChainId;
                            break;
                        case Node.StoreId:
                            _storeIdText = HeaderValue() ?? _storeIdText;
                            break;
                        case Node.Ignored:
                            XmlSettings.Skip(r, _file.Limits);
                            break;
                        default:
                            SkipUnrecognised(OpenPath());
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

        return null;
    }

    private string OpenPath() => _open.Count == 0 ? _root : _root + "/" + string.Join('/', _open);

    private void EnterRoot()
    {
        var r = _reader;
        if (r.MoveToContent() != XmlNodeType.Element)
        {
            throw new InvalidDataException("price file has no root element");
        }

        _root = "/" + r.LocalName;
        if (!RootShapes.TryGetValue(r.LocalName, out var shape))
        {
            throw new InvalidDataException(
                $"unknown price file layout: root element {_root} (expected Root, NewDataSet, Prices or OrderXml)");
        }

        _stats.Shape = shape;
        if (r.IsEmptyElement)
        {
            r.Read();
            Finish();
            return;
        }

        r.Read();
    }

    /// <summary>Reads to the end of the document (so trailing damage is seen) and checks the file had a recognisable list.</summary>
    private void Finish()
    {
        while (_reader.Read())
        {
        }

        _done = true;
        if (_items == 0 && _unrecognised.Count > 0)
        {
            throw new InvalidDataException(
                $"no price items found; unrecognised elements: {string.Join(", ", _unrecognised.Take(5))}");
        }
    }

    /// <summary>Skips an element we have no use for, remembering its path if it holds elements (a list we cannot read).</summary>
    private void SkipUnrecognised(string parentPath)
    {
        var r = _reader;
        var path = parentPath + "/" + r.LocalName;
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

    private string? HeaderValue()
    {
        var repairs = 0;
        var value = FieldParsing.Clean(ReadValue(), ref repairs);
        _stats.AddRepairs(repairs);
        return value;
    }

    private PriceField FieldOf(string atomizedName)
    {
        if (!_fieldCache.TryGetValue(atomizedName, out var field))
        {
            field = FieldNames.GetValueOrDefault(atomizedName, PriceField.Unknown);
            _fieldCache[atomizedName] = field;
        }

        return field;
    }

    private PriceRow? ReadItem()
    {
        _items++;
        var r = _reader;
        Array.Clear(_values);
        if (r.IsEmptyElement)
        {
            r.Read();
            return Build();
        }

        var depth = r.Depth;
        var slot = 0;
        r.Read();
        while (true)
        {
            var nodeType = r.NodeType;
            if (nodeType == XmlNodeType.Element)
            {
                var field = FieldAt(slot++, r.LocalName);
                if (field == PriceField.Unknown)
                {
                    XmlSettings.Skip(r, _file.Limits);
                }
                else
                {
                    _values[(int)field] = ReadValue();
                }
            }
            else if ((nodeType == XmlNodeType.EndElement && r.Depth == depth) || r.EOF)
            {
                r.Read();
                break;
            }
            else
            {
                r.Read();
            }
        }

        return Build();
    }

    /// <summary>
    /// The field of the element at a position in the row. Rows of one file list their fields in the same order,
    /// so the name atom seen at the same position last row almost always answers without a lookup.
    /// </summary>
    private PriceField FieldAt(int slot, string atomizedName)
    {
        if (slot < _slotNames.Length && ReferenceEquals(_slotNames[slot], atomizedName))
        {
            return _slotFields[slot];
        }

        var field = FieldOf(atomizedName);
        if (slot < _slotNames.Length)
        {
            _slotNames[slot] = atomizedName;
            _slotFields[slot] = field;
        }

        return field;
    }

    /// <summary>
    /// The text of a leaf element, leaving the reader after its end tag. Same result as ReadElementContentAsString,
    /// with a direct path for the usual single text node; child elements, if any, are skipped rather than failing the file.
    /// </summary>
    private string ReadValue()
    {
        var r = _reader;
        if (r.IsEmptyElement)
        {
            r.Read();
            return string.Empty;
        }

        r.Read();
        var value = string.Empty;
        if (r.NodeType == XmlNodeType.Text)
        {
            value = r.Value;
            r.Read();
        }

        if (r.NodeType != XmlNodeType.EndElement)
        {
            value = ReadMixed(value);
        }

        r.Read();
        return value;
    }

    private string ReadMixed(string start)
    {
        var r = _reader;
        var text = new System.Text.StringBuilder(start);
        while (r.NodeType != XmlNodeType.EndElement && !r.EOF)
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(r.Value);
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

        return text.ToString();
    }

    private PriceRow? Build()
    {
        var repairs = 0;
        try
        {
            return Build(ref repairs);
        }
        finally
        {
            _stats.AddRepairs(repairs);
        }
    }

    private PriceRow? Build(ref int repairs)
    {
        var v = _values;
        var itemCode = FieldParsing.Clean(v[(int)PriceField.ItemCode], ref repairs);
        if (itemCode is null)
        {
            _stats.Reject("missing ItemCode");
            return null;
        }

        var chainId = FieldParsing.Clean(v[(int)PriceField.ChainId], ref repairs) ?? _chainId;
        if (chainId is null)
        {
            _stats.Reject("missing ChainId");
            return null;
        }

        var storeText = FieldParsing.Clean(v[(int)PriceField.StoreId], ref repairs) ?? _storeIdText;
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

        var priceText = FieldParsing.Clean(v[(int)PriceField.ItemPrice], ref repairs);
        if (priceText is null)
        {
            _stats.Reject("missing ItemPrice");
            return null;
        }

        if (!FieldParsing.TryDecimal(priceText, ref repairs, out var price) && !FieldParsing.TryScientific(priceText, out price))
        {
            _stats.Reject("bad price");
            return null;
        }

        if (price is < 0 or > MaxPrice)
        {
            _stats.Reject("price out of range");
            return null;
        }

        var itemType = 1;
        var itemTypeText = FieldParsing.Clean(v[(int)PriceField.ItemType], ref repairs);
        if (itemTypeText is not null && !FieldParsing.TryInt(itemTypeText, out itemType))
        {
            // Identity depends on it (barcode vs chain-internal code): a row we cannot classify is not stored.
            _stats.Reject("bad ItemType");
            return null;
        }

        var row = new PriceRow
        {
            ChainId = chainId,
            SubChainId = FieldParsing.Clean(v[(int)PriceField.SubChainId], ref repairs) ?? _subChainId,
            StoreId = storeId,
            ItemCode = itemCode,
            ItemType = itemType,
            ItemName = FieldParsing.Clean(v[(int)PriceField.ItemName], ref repairs),
            ManufacturerName = FieldParsing.Clean(v[(int)PriceField.ManufacturerName], ref repairs),
            ManufactureCountry = FieldParsing.Clean(v[(int)PriceField.ManufactureCountry], ref repairs),
            ManufacturerItemDescription = FieldParsing.Clean(v[(int)PriceField.ManufacturerItemDescription], ref repairs),
            UnitQty = FieldParsing.Clean(v[(int)PriceField.UnitQty], ref repairs),
            Quantity = OptionalDecimal(v[(int)PriceField.Quantity], "bad Quantity", ref repairs),
            UnitOfMeasure = FieldParsing.Clean(v[(int)PriceField.UnitOfMeasure], ref repairs),
            IsWeighted = OptionalBool(v[(int)PriceField.IsWeighted], "bad bIsWeighted", ref repairs) ?? false,
            QtyInPackage = FieldParsing.Clean(v[(int)PriceField.QtyInPackage], ref repairs),
            ItemPrice = price,
            UnitOfMeasurePrice = OptionalDecimal(v[(int)PriceField.UnitOfMeasurePrice], "bad UnitOfMeasurePrice", ref repairs),
            AllowDiscount = OptionalBool(v[(int)PriceField.AllowDiscount], "bad AllowDiscount", ref repairs),
            ItemStatus = OptionalInt(v[(int)PriceField.ItemStatus], "bad ItemStatus", ref repairs),
            PriceUpdateDate = OptionalDate(v[(int)PriceField.PriceUpdateDate], "bad PriceUpdateDate", ref repairs),
        };
        _stats.Accept();
        return row;
    }

    private decimal? OptionalDecimal(string? raw, string warning, ref int repairs)
    {
        var text = FieldParsing.Clean(raw, ref repairs);
        if (text is null)
        {
            return null;
        }

        if (FieldParsing.TryDecimal(text, ref repairs, out var value))
        {
            return value;
        }

        _stats.Warn(warning);
        return null;
    }

    private bool? OptionalBool(string? raw, string warning, ref int repairs)
    {
        var text = FieldParsing.Clean(raw, ref repairs);
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

    private int? OptionalInt(string? raw, string warning, ref int repairs)
    {
        var text = FieldParsing.Clean(raw, ref repairs);
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

    private DateTime? OptionalDate(string? raw, string warning, ref int repairs)
    {
        var text = FieldParsing.Clean(raw, ref repairs);
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

    public void Dispose() => _reader.Dispose();
}

/// <summary>The row fields a price file can carry, under any of their spellings.</summary>
internal enum PriceField
{
    Unknown = -1,
    ItemCode,
    ItemType,
    ItemName,
    ManufacturerName,
    ManufactureCountry,
    ManufacturerItemDescription,
    UnitQty,
    Quantity,
    UnitOfMeasure,
    IsWeighted,
    QtyInPackage,
    ItemPrice,
    UnitOfMeasurePrice,
    AllowDiscount,
    ItemStatus,
    PriceUpdateDate,
    ChainId,
    SubChainId,
    StoreId,
    Count,
}
