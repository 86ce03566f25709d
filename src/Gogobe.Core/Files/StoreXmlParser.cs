using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>
/// Pull parser for Stores files. Rather than one parser per layout (standard <c>Root/SubChains/SubChain/Stores/Store</c>,
/// SAP ALL-CAPS <c>asx:abap/asx:values/STORES/STORE</c>, Laib <c>Branches/Branch</c>, City Market's wrapped objects),
/// it walks the tree and treats any element that directly holds a <c>StoreId</c> as one store; ids and names not on the
/// store itself (ChainId, ChainName, SubChainId, SubChainName) are taken from the nearest enclosing element that has them.
/// </summary>
internal sealed class StoreXmlParser : XmlRowParser<StoreRow>
{
    private static readonly Dictionary<string, StoreField> FieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ChainId"] = StoreField.ChainId,
        ["ChainName"] = StoreField.ChainName,
        ["SubChainId"] = StoreField.SubChainId,
        ["SubChainName"] = StoreField.SubChainName,
        ["StoreId"] = StoreField.StoreId,
        ["BikoretNo"] = StoreField.BikoretNo,
        ["StoreType"] = StoreField.StoreType,
        ["StoreName"] = StoreField.StoreName,
        ["Address"] = StoreField.Address,
        ["City"] = StoreField.City,
        ["ZipCode"] = StoreField.ZipCode,
    };

    /// <summary>Lists that hold stores: seeing one makes a file with no stores legitimately empty rather than unreadable.</summary>
    private static readonly HashSet<string> StoreLists = new(StringComparer.OrdinalIgnoreCase)
    {
        "Stores", "SubChains", "Branches", "SubChainsXMLObject", "SubChainStoresXMLObject",
    };

    private readonly List<string?[]> _frames = [];
    private bool _started;
    private bool _done;
    private bool _sawStoreList;
    private int _stores;
    private int _rows;
    private string _root = string.Empty;

    public StoreXmlParser(DecodedFile file, ReadStats stats)
        : base(file, stats)
    {
    }

    protected override StoreRow? NextRow()
    {
        var r = Reader;
        if (_done)
        {
            return null;
        }

        if (!_started)
        {
            _started = true;
            if (r.MoveToContent() != XmlNodeType.Element)
            {
                throw new InvalidDataException("stores file has no root element");
            }

            _root = "/" + r.Name;
            Stats.Shape = r.LocalName.Equals("abap", StringComparison.OrdinalIgnoreCase) ? StoreShapes.Sap : StoreShapes.Standard;
        }

        while (true)
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    ReadElement();
                    break;

                case XmlNodeType.EndElement:
                    var frame = _frames[^1];
                    _frames.RemoveAt(_frames.Count - 1);
                    r.Read();
                    if (frame[(int)StoreField.StoreId] is not null)
                    {
                        _stores++;
                        var row = Build(frame);
                        if (row is not null)
                        {
                            return row;
                        }
                    }

                    break;

                case XmlNodeType.None when r.EOF:
                    Finish();
                    return null;

                default:
                    r.Read();
                    break;
            }
        }
    }

    /// <summary>
    /// On an element: a leaf (text only) is recorded as a field of the enclosing element;
    /// an element holding elements becomes a frame whose fields its children fill in.
    /// </summary>
    private void ReadElement()
    {
        var r = Reader;
        var name = r.LocalName;
        if (StoreLists.Contains(name))
        {
            _sawStoreList = true;
            if (Stats.Shape == StoreShapes.Standard)
            {
                // The list's name tells the layout apart; once named, it stays.
                if (name.Equals("Branches", StringComparison.OrdinalIgnoreCase))
                {
                    Stats.Shape = StoreShapes.Branches;
                }
                else if (name.EndsWith("XMLObject", StringComparison.OrdinalIgnoreCase))
                {
                    Stats.Shape = StoreShapes.XmlObject;
                }
            }
        }

        if (r.IsEmptyElement)
        {
            r.Read();
            return;
        }

        r.Read();
        string? text = null;
        if (r.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
        {
            text = r.ReadContentAsString();
            XmlSettings.ThrowIfTooLong(text.Length, Limits);
        }

        if (r.NodeType == XmlNodeType.EndElement)
        {
            // A leaf: a field of the innermost open element.
            if (_frames.Count > 0 && FieldNames.TryGetValue(name, out var field))
            {
                // Cleaned once here, not per store that inherits it. An empty StoreId stays "" so the store is still seen (and rejected).
                var repairs = 0;
                var value = field == StoreField.StoreId
                    ? FieldParsing.Clean(text, ref repairs) ?? string.Empty
                    : FieldParsing.Clean(text, ref repairs);
                Stats.AddRepairs(repairs);
                _frames[^1][(int)field] ??= value;
            }

            r.Read();
            return;
        }

        XmlSettings.ThrowIfTooDeep(_frames.Count, Limits);
        _frames.Add(new string?[(int)StoreField.Count]);
    }

    private StoreRow? Build(string?[] own)
    {
        string? Field(StoreField field)
        {
            var value = own[(int)field];
            for (var i = _frames.Count - 1; value is null && i >= 0; i--)
            {
                value = _frames[i][(int)field];
            }

            return value;
        }

        var storeText = Field(StoreField.StoreId);
        if (string.IsNullOrEmpty(storeText))
        {
            Stats.Reject("missing StoreId");
            return null;
        }

        if (!FieldParsing.TryInt(storeText, out var storeId) || storeId < 0)
        {
            Stats.Reject("bad StoreId");
            return null;
        }

        var chainId = Field(StoreField.ChainId);
        if (chainId is null)
        {
            Stats.Reject("missing ChainId");
            return null;
        }

        int? storeType = null;
        var storeTypeText = Field(StoreField.StoreType);
        if (storeTypeText is not null)
        {
            if (FieldParsing.TryInt(storeTypeText, out var type))
            {
                storeType = type;
            }
            else
            {
                Stats.Warn("bad StoreType");
            }
        }

        _rows++;
        Stats.Accept();
        return new StoreRow
        {
            ChainId = chainId,
            ChainName = Field(StoreField.ChainName),
            SubChainId = Field(StoreField.SubChainId),
            SubChainName = Field(StoreField.SubChainName),
            StoreId = storeId,
            BikoretNo = Field(StoreField.BikoretNo),
            StoreType = storeType,
            StoreName = Field(StoreField.StoreName),
            Address = Field(StoreField.Address),
            City = Field(StoreField.City),
            ZipCode = Field(StoreField.ZipCode),
        };
    }

    private void Finish()
    {
        _done = true;
        if (_stores == 0 && !_sawStoreList)
        {
            throw new InvalidDataException($"unknown stores file layout: no store list under root element {_root}");
        }
    }
}

internal enum StoreField
{
    ChainId,
    ChainName,
    SubChainId,
    SubChainName,
    StoreId,
    BikoretNo,
    StoreType,
    StoreName,
    Address,
    City,
    ZipCode,
    Count,
}
