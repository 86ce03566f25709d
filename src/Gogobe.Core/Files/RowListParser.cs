using System.Diagnostics.CodeAnalysis;
using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>What an element outside a row is, in a file that lists rows (prices, promotions).</summary>
internal enum ListNode
{
    Unknown,
    Ignored,
    Container,
    Row,
    ChainId,
    SubChainId,
    StoreId,
}

/// <summary>
/// The walk shared by the price and promotion parsers: from the root, lists and wrappers are walked into, rows handed to
/// <see cref="ReadRow"/>, header ids (ChainId, SubChainId, StoreId) kept wherever they sit, known noise skipped, and
/// unknown elements that hold elements remembered for the "unknown layout" error. Layouts differ only in which names
/// they use (FORMATS.md), given as <c>nodeNames</c>.
/// </summary>
internal abstract class RowListParser<TRow> : XmlRowParser<TRow>
    where TRow : class
{
    private readonly Dictionary<string, ListNode> _nodeNames;
    private readonly string _kind;
    private readonly List<string> _open = [];
    private readonly List<string> _openNames = [];
    private readonly List<string> _unrecognised = [];
    private bool _started;
    private bool _done;
    private string? _rowAtom;
    private bool _sawRow;
    private int _mutedHeaderValues;

    /// <param name="kind">The file named in errors ("price file").</param>
    /// <param name="text">Text to read instead of the file's own (a replay); null for the file's.</param>
    protected RowListParser(DecodedFile file, ReadStats stats, Dictionary<string, ListNode> nodeNames, string kind, TextReader? text = null)
        : base(file, stats, text)
    {
        _nodeNames = nodeNames;
        _kind = kind;
    }

    /// <summary>
    /// <paramref name="own"/> (a file kind's lists and rows) plus the names every list file shares: Super-Pharm's
    /// <c>OrderXml/Envelope/Header/Details/Line</c> wrappers and row, the header ids, and header noise. Case-insensitive.
    /// </summary>
    protected static Dictionary<string, ListNode> WithSharedNames(Dictionary<string, ListNode> own)
    {
        var names = new Dictionary<string, ListNode>(own, StringComparer.OrdinalIgnoreCase)
        {
            ["Envelope"] = ListNode.Container, // Super-Pharm (ids inside)
            ["Header"] = ListNode.Container,   // Super-Pharm
            ["Details"] = ListNode.Container,  // Super-Pharm
            ["Line"] = ListNode.Row,           // Super-Pharm
            ["ChainId"] = ListNode.ChainId,
            ["SubChainId"] = ListNode.SubChainId,
            ["StoreId"] = ListNode.StoreId,
            ["BikoretNo"] = ListNode.Ignored,
            ["XmlDocVersion"] = ListNode.Ignored,
            ["DllVerNo"] = ListNode.Ignored,
            ["schema"] = ListNode.Ignored, // a .NET DataSet dump's inline xs:schema
        };
        return names;
    }

    /// <summary>"/" and the root element's name, once entered.</summary>
    protected string Root { get; private set; } = string.Empty;

    /// <summary>Paths of unknown elements that held elements (up to 20).</summary>
    protected IReadOnlyList<string> Unrecognised => _unrecognised;

    protected internal string? HeaderChainId { get; private set; }

    protected internal string? HeaderSubChainId { get; private set; }

    protected internal string? HeaderStoreId { get; private set; }

    /// <summary>
    /// Asked once, with the reader standing on the first row element, whether someone else (the fast price scanner) takes
    /// the file over from there; if it answers true this parser stops (<see cref="HandedOff"/>, no more rows).
    /// </summary>
    internal Func<bool>? BeforeFirstRow { get; set; }

    /// <summary>The file was handed over at its first row (see <see cref="BeforeFirstRow"/>).</summary>
    internal bool HandedOff { get; private set; }

    /// <summary>Qualified names of the elements open around the reader, from the root: what a replay must reopen.</summary>
    internal IReadOnlyList<string> OpenNames => _openNames;

    /// <summary>Header values read so far (each counted its repairs).</summary>
    internal int HeaderValuesRead { get; private set; }

    /// <summary>
    /// For a replay of text whose first header values were counted already by an earlier parser: that many header values
    /// are read again without counting their repairs a second time.
    /// </summary>
    internal void MuteHeaderValues(int count) => _mutedHeaderValues = count;

    /// <summary>Checks the root element (the reader stands on it) and notes the shape it announces.</summary>
    protected abstract void OnRoot(string localName);

    /// <summary>Seen a list or wrapper element (the reader stands on it).</summary>
    protected virtual void OnContainer(string localName)
    {
    }

    /// <summary>Reads the row element the reader stands on, to past its end; returns a row when one is complete.</summary>
    protected abstract TRow? ReadRow();

    /// <summary>The document has been read to its end: throws if it held no recognisable list.</summary>
    protected abstract void CheckEnd();

    /// <summary>A row that is complete only at the end of the document (grouped layouts).</summary>
    protected virtual TRow? AtEnd() => null;

    /// <summary>
    /// The chain and store a row belongs to: its own ChainId/StoreId, else the file's header ones. False, with the row
    /// rejected ("missing ChainId", "missing StoreId", "bad StoreId"), when either is missing or the store id is no number.
    /// </summary>
    protected bool TryRowStore(
        string? rawChainId, string? rawStoreId, ref int repairs, [NotNullWhen(true)] out string? chainId, out int storeId)
    {
        storeId = 0;
        chainId = FieldParsing.Clean(rawChainId, ref repairs) ?? HeaderChainId;
        if (chainId is null)
        {
            Stats.Reject("missing ChainId");
            return false;
        }

        var storeText = FieldParsing.Clean(rawStoreId, ref repairs) ?? HeaderStoreId;
        if (storeText is null)
        {
            Stats.Reject("missing StoreId");
            return false;
        }

        if (!FieldParsing.TryInt(storeText, out storeId) || storeId < 0)
        {
            Stats.Reject("bad StoreId");
            return false;
        }

        return true;
    }

    protected sealed override TRow? NextRow()
    {
        var r = Reader;
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
                    var node = ReferenceEquals(name, _rowAtom) ? ListNode.Row : _nodeNames.GetValueOrDefault(name);
                    switch (node)
                    {
                        case ListNode.Row:
                            if (!_sawRow)
                            {
                                _sawRow = true;
                                if (BeforeFirstRow?.Invoke() == true)
                                {
                                    HandedOff = true;
                                    _done = true;
                                    return null;
                                }
                            }

                            _rowAtom = name;
                            var row = ReadRow();
                            if (row is not null)
                            {
                                return row;
                            }

                            break;
                        case ListNode.Container:
                            OnContainer(name);
                            if (r.IsEmptyElement)
                            {
                                r.Read();
                            }
                            else
                            {
                                XmlSettings.ThrowIfTooDeep(r.Depth, Limits);
                                _open.Add(name);
                                _openNames.Add(r.Name);
                                r.Read();
                            }

                            break;
                        case ListNode.ChainId:
                            HeaderChainId = HeaderValue() ?? HeaderChainId;
                            break;
                        case ListNode.SubChainId:
                            HeaderSubChainId = HeaderValue() ?? HeaderSubChainId;
                            break;
                        case ListNode.StoreId:
                            HeaderStoreId = HeaderValue() ?? HeaderStoreId;
                            break;
                        case ListNode.Ignored:
                            XmlSettings.Skip(r, Limits);
                            break;
                        default:
                            SkipUnrecognised();
                            break;
                    }

                    break;

                case XmlNodeType.EndElement when _open.Count > 0:
                    _open.RemoveAt(_open.Count - 1);
                    _openNames.RemoveAt(_openNames.Count - 1);
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

        return AtEnd();
    }

    private void EnterRoot()
    {
        var r = Reader;
        if (r.MoveToContent() != XmlNodeType.Element)
        {
            throw new InvalidDataException($"{_kind} has no root element");
        }

        Root = "/" + r.LocalName;
        _openNames.Add(r.Name);
        OnRoot(r.LocalName);
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
        while (Reader.Read())
        {
        }

        _done = true;
        CheckEnd();
    }

    /// <summary>Skips an element we have no use for, remembering its path if it holds elements (a list we cannot read).</summary>
    private void SkipUnrecognised()
    {
        var r = Reader;
        var path = (_open.Count == 0 ? Root : Root + "/" + string.Join('/', _open)) + "/" + r.LocalName;
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
                XmlSettings.Skip(r, Limits);
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
        HeaderValuesRead++;
        if (_mutedHeaderValues > 0)
        {
            _mutedHeaderValues--;
        }
        else
        {
            Stats.AddRepairs(repairs);
        }

        return value;
    }
}
