using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>
/// Pull parser for Price/PriceFull XML in all four published layouts: standard <c>Root/Items/Item</c> (root may be spelled
/// <c>root</c>), the .NET DataSet dump <c>NewDataSet/item</c>, old Laib <c>Prices/Products/Product</c> and Super-Pharm
/// <c>OrderXml/Envelope/.../Details/Line</c>. One walk serves them all: wrappers are entered, rows read, header ids kept
/// wherever they sit. Element names are matched case-insensitively on their local name. One row at a time; per-row work
/// is a few reference-keyed lookups and the values' strings.
/// </summary>
internal sealed class PriceXmlParser : RowListParser<PriceRow>
{
    internal static readonly Dictionary<string, PriceField> FieldNames = new(StringComparer.OrdinalIgnoreCase)
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
    /// What an element outside a row is, in every layout at once, besides the names all list files share
    /// (<see cref="RowListParser{TRow}.WithSharedNames"/>). Layouts differ only in which of these names they use (FORMATS.md).
    /// </summary>
    private static readonly Dictionary<string, ListNode> NodeNames = WithSharedNames(new()
    {
        ["Items"] = ListNode.Container,     // standard
        ["Products"] = ListNode.Container,  // Laib-catalog old
        ["Item"] = ListNode.Row,            // standard; "item" directly under NewDataSet
        ["Product"] = ListNode.Row,         // Laib-catalog old
    });

    /// <summary>Accepted roots and the shape name each announces (reported by <see cref="ReadStats.Shape"/>).</summary>
    private static readonly Dictionary<string, string> RootShapes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Root"] = PriceShapes.Standard,
        ["NewDataSet"] = PriceShapes.DataSet,
        ["Prices"] = PriceShapes.Laib,
        ["OrderXml"] = PriceShapes.SuperPharm,
    };

    private readonly FieldLookup<PriceField> _fields = new(FieldNames, PriceField.Unknown);
    private readonly PriceRowBuilder _builder;
    private readonly string?[] _slotNames = new string?[48];
    private readonly PriceField[] _slotFields = new PriceField[48];
    private int _items;

    public PriceXmlParser(DecodedFile file, ReadStats stats)
        : this(file, stats, text: null)
    {
    }

    /// <param name="text">The text to read instead of the file's own (the fast parser's replay); null for the file's.</param>
    public PriceXmlParser(DecodedFile file, ReadStats stats, TextReader? text)
        : base(file, stats, NodeNames, "price file", text) => _builder = new PriceRowBuilder(stats);

    /// <summary>Rows (accepted or not) met so far; the fast parser hands its count on when it falls back here.</summary>
    internal int ItemsSeen
    {
        get => _items;
        set => _items = value;
    }

    protected override void OnRoot(string localName)
    {
        if (!RootShapes.TryGetValue(localName, out var shape))
        {
            throw new InvalidDataException(
                $"unknown price file layout: root element {Root} (expected Root, NewDataSet, Prices or OrderXml)");
        }

        Stats.Shape = shape;
    }

    protected override void CheckEnd()
    {
        if (_items == 0 && Unrecognised.Count > 0)
        {
            throw new InvalidDataException(
                $"no price items found; unrecognised elements: {string.Join(", ", Unrecognised.Take(5))}");
        }
    }

    protected override PriceRow? ReadRow()
    {
        _items++;
        var r = Reader;
        _builder.Clear();
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
                    XmlSettings.Skip(r, Limits);
                }
                else
                {
                    _builder.Set(field, ReadValue().AsMemory());
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

        var field = _fields.Of(atomizedName);
        if (slot < _slotNames.Length)
        {
            _slotNames[slot] = atomizedName;
            _slotFields[slot] = field;
        }

        return field;
    }

    private PriceRow? Build() => _builder.Build(HeaderChainId, HeaderSubChainId, HeaderStoreId);
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
