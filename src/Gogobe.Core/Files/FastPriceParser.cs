using System.Buffers;
using System.Text;
using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>
/// The fast price parser: a span scanner for the rows of a price file, which hands anything unusual to the XmlReader
/// parser (<see cref="PriceXmlParser"/>) and so gives the same rows, rejects, warnings, repairs and errors.
/// <para>
/// How the work is split. The XmlReader parser reads the document's opening (declaration, root, header ids, inline
/// schema, wrappers — every layout, with all of XmlReader's checks) up to the first row element, through a
/// <see cref="RecordingReader"/>. There it hands over: its state (open elements, header ids) and the text it had read
/// ahead go to the scanner, which reads the rest straight from the decoded text. The scanner takes only the plain shape
/// rows have: <c>&lt;Item&gt;</c>, leaf elements <c>&lt;Name&gt;text&lt;/Name&gt;</c> or <c>&lt;Name/&gt;</c> with ASCII
/// names and no attributes, whitespace between, the five predefined entities and character references in values, bare
/// ampersands (kept, and counted as repairs as <see cref="AmpersandRepairingReader"/> would), and the end tags of the
/// open wrappers. Element names are compared as spans with the field names; values stay spans of
/// its buffer until the shared <see cref="PriceRowBuilder"/> parses numbers, flags and dates from them and makes
/// strings only of the text fields a row keeps.
/// </para>
/// <para>
/// Fallback, decided per position: at anything else (a comment, CDATA, a processing instruction, a DOCTYPE, an
/// attribute, a prefix, nested or mixed content, a carriage return or control character in a value, an unknown entity,
/// text between elements, a mismatched or missing end tag, a row over 1 Mi chars, the end of the text) the scanner stops
/// before the element it could not take and the XmlReader parser reads the rest of the file: it is given the document's
/// opening again, the wrapper end tags the scanner consumed and as many line breaks as the rows it took held (so its
/// errors name the same line), then the unread text. Rows are balanced elements, so leaving them out keeps the document
/// the same to it. It counts again neither the header values' repairs nor the rows already seen. The scanner itself
/// never judges malformed XML: what it does not take, XmlReader judges. Limits stay where they were: value and tag
/// length, size and compression ratio are enforced by the decoded text itself, which both read.
/// </para>
/// </summary>
internal sealed partial class FastPriceParser : IRowSource<PriceRow>
{
    // The buffer the text is decoded into. Reads ask for at least DirectReadChars so that StreamReader decodes straight
    // into it (it copies from its own buffer for smaller reads); the array is pooled (it would be a large object per file).
    private const int BufferChars = 128 * 1024;
    private const int DirectReadChars = 40 * 1024;
    private const int MaxPrologueChars = 512 * 1024;
    private const int MaxRowChars = 1024 * 1024;
    private const int Slots = 48;

    /// <summary>
    /// The end of a value ('&lt;') and the characters it may hold only if looked at closely: references, CR (XmlReader
    /// normalises it), ']' (of "]]>"), control characters.
    /// </summary>
    private static readonly SearchValues<char> SpecialOrMarkup = SearchValues.Create(
        "<&\r]\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private static readonly SearchValues<char> XmlSpace = SearchValues.Create(" \t\n\r");

    private static readonly Dictionary<string, PriceField>.AlternateLookup<ReadOnlySpan<char>> Fields =
        PriceXmlParser.FieldNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly DecodedFile _file;
    private readonly CancellationToken _cancellationToken;
    private readonly ReadStats _stats;
    private readonly PriceRowBuilder _builder;
    private readonly RecordingReader _recorder;
    private readonly PriceXmlParser _prologue;
    private readonly StringBuilder _closed = new();
    private readonly List<string> _open = [];
    private readonly FieldSlot[] _slots = new FieldSlot[Slots];
    private PriceXmlParser? _xml;
    private Mode _mode = Mode.Opening;

    private char[] _buf = [];
    private char[]? _rented;
    private int _pos;
    private int _end;
    private bool _eof;
    private long _linesDropped;
    private string _opening = string.Empty;
    private string _rowName = string.Empty;
    private string? _headerChainId;
    private string? _headerSubChainId;
    private string? _headerStoreId;
    private int _headerValues;
    private int _items;
    private char[] _scratch = new char[1024];
    private int _scratchUsed;
    private int _rowRepairs;

    /// <param name="cancellationToken">
    /// Checked between the reads that top up the buffer: over a slow download, filling it takes many reads, and a
    /// cancelled file must not wait for them (the caller checks it again between rows).
    /// </param>
    public FastPriceParser(DecodedFile file, ReadStats stats, CancellationToken cancellationToken = default)
    {
        _file = file;
        _cancellationToken = cancellationToken;
        _stats = stats;
        _builder = new PriceRowBuilder(stats);
        _recorder = new RecordingReader(file.Text, MaxPrologueChars);
        _prologue = new PriceXmlParser(file, stats, _recorder) { BeforeFirstRow = TryTakeOver };
    }

    private enum Mode
    {
        Opening,
        Scanning,
        XmlReader,
        Done,
    }

    private enum Step
    {
        NeedMore,
        Fallback,
        Row,
        EndTag,
    }

    /// <summary>Rows the scanner read itself (the rest, if any, the XmlReader parser read): for tests and the docs' figures.</summary>
    internal int ScannedRows { get; private set; }

    /// <summary>The scanner handed the rest of the file to the XmlReader parser, or never took it over.</summary>
    internal bool FellBack => _mode == Mode.XmlReader;

    public PriceRow? Next()
    {
        switch (_mode)
        {
            case Mode.Opening:
                var first = _prologue.Next();
                if (!_prologue.HandedOff)
                {
                    // No row it could take over at (an unusual layout, a huge opening): XmlReader reads the whole file.
                    _xml = _prologue;
                    _mode = Mode.XmlReader;
                    return first;
                }

                _prologue.Dispose();
                _mode = Mode.Scanning;
                return Scan();
            case Mode.Scanning:
                return Scan();
            case Mode.XmlReader:
                return _xml!.Next();
            default:
                return null;
        }
    }

    public void Dispose()
    {
        _prologue.Dispose();
        _xml?.Dispose();
        ReturnBuffer();
    }

    private void ReturnBuffer()
    {
        _buf = [];
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }

    /// <summary>
    /// Called by the XmlReader parser standing on the first row element: takes the file over if that row's start can be
    /// found in the recorded text and everything open around it has a plain name.
    /// </summary>
    private bool TryTakeOver()
    {
        var r = _prologue.Reader;
        if (_recorder.Overflowed || r.Prefix.Length != 0 || r.HasAttributes || _prologue.Position is not var (line, column))
        {
            return false;
        }

        foreach (var name in _prologue.OpenNames)
        {
            if (!IsPlainName(name))
            {
                return false;
            }
        }

        var text = _recorder.Recorded;
        var start = StartOf(text, line, column) - 1;
        if (start < 0 || start >= text.Length || text[start] != '<' || !text[(start + 1)..].StartsWith(r.Name, StringComparison.Ordinal) ||
            !IsPlainName(r.Name))
        {
            return false;
        }

        _opening = new string(text[..start]);
        _buf = _rented = ArrayPool<char>.Shared.Rent(Math.Max(BufferChars, text.Length - start + BufferChars));
        text[start..].CopyTo(_buf);
        _end = text.Length - start;
        _pos = 0;
        _open.AddRange(_prologue.OpenNames);
        _rowName = r.Name;
        _headerChainId = _prologue.HeaderChainId;
        _headerSubChainId = _prologue.HeaderSubChainId;
        _headerStoreId = _prologue.HeaderStoreId;
        _headerValues = _prologue.HeaderValuesRead;
        // Bare ampersands are the scanner's from here: copying every chunk that holds one to escape it cost more than the rest.
        _file.PassBareAmpersands();
        return true;
    }

    /// <summary>The index of a 1-based line and column in the text, as XmlReader counts them (CR LF, CR and LF end lines).</summary>
    private static int StartOf(ReadOnlySpan<char> text, int line, int column)
    {
        var i = 0;
        for (var l = 1; l < line; l++)
        {
            var next = text[i..].IndexOfAny('\r', '\n');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            i += text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
        }

        return i + column - 1;
    }

    private PriceRow? Scan()
    {
        try
        {
            var row = ScanRow();
            _stats.AddRepairs(_file.TakeTextRepairs());
            return row;
        }
        catch (DecoderFallbackException ex)
        {
            throw XmlSettings.BadEncoding(ex, _file.Encoding, new LineInfo(_opening, _linesDropped + LineBreaks(_buf.AsSpan(0, _pos))));
        }
    }

    private PriceRow? ScanRow()
    {
        while (true)
        {
            var rest = _buf.AsSpan(_pos, _end - _pos);
            var skip = rest.IndexOfAnyExcept(XmlSpace);
            if (skip < 0)
            {
                _pos = _end;
                if (Fill())
                {
                    continue;
                }

                if (_open.Count == 0)
                {
                    _mode = Mode.Done;
                    return null;
                }

                return FallBack();
            }

            _pos += skip;
            var next = _pos;
            var step = _open.Count == 0 ? Step.Fallback : TryStep(out next);
            if (step == Step.NeedMore)
            {
                if (!Fill())
                {
                    return FallBack();
                }

                continue;
            }

            if (step == Step.Fallback)
            {
                return FallBack();
            }

            _pos = next;
            if (step == Step.Row)
            {
                // Bare ampersands of a row count once the row is taken: a row left to XmlReader is counted by its reader.
                _stats.AddRepairs(_rowRepairs);
                _rowRepairs = 0;
                _items++;
                ScannedRows++;
                var row = _builder.Build(_headerChainId, _headerSubChainId, _headerStoreId);
                if (row is not null)
                {
                    return row;
                }
            }
        }
    }

    /// <summary>Reads what stands at <see cref="_pos"/> in the list: a whole row, or the end tag of the innermost open element.</summary>
    private Step TryStep(out int next)
    {
        next = _pos;
        var s = _buf.AsSpan(0, _end);
        var p = _pos;
        if (s[p] != '<')
        {
            return Step.Fallback;
        }

        if (p + 1 >= s.Length)
        {
            return Step.NeedMore;
        }

        if (s[p + 1] == '/')
        {
            var open = _open[^1];
            var after = p + 2 + open.Length;
            if (after >= s.Length)
            {
                return Step.NeedMore;
            }

            if (!s.Slice(p + 2, open.Length).SequenceEqual(open) || s[after] != '>')
            {
                return Step.Fallback;
            }

            _closed.Append(s[p..(after + 1)]);
            _open.RemoveAt(_open.Count - 1);
            next = after + 1;
            return Step.EndTag;
        }

        var step = StartTag(s, p + 1, _rowName, out var content, out var empty);
        if (step != Step.Row)
        {
            return step;
        }

        _builder.Clear();
        _scratchUsed = 0;
        _rowRepairs = 0;
        if (empty)
        {
            next = content;
            return Step.Row;
        }

        return ReadFields(s, content, out next);
    }

    /// <summary>
    /// A start tag whose name begins at <paramref name="p"/>, expected to be <paramref name="name"/> (or any plain name when null):
    /// <c>name&gt;</c>, <c>name/&gt;</c>, with optional spaces before the close. Attributes are left to XmlReader.
    /// </summary>
    private static Step StartTag(ReadOnlySpan<char> s, int p, string name, out int content, out bool empty)
    {
        content = 0;
        empty = false;
        var after = p + name.Length;
        if (after >= s.Length)
        {
            return Step.NeedMore;
        }

        if (!s.Slice(p, name.Length).SequenceEqual(name))
        {
            return Step.Fallback;
        }

        return TagClose(s, after, out content, out empty);
    }

    /// <summary>After an element's name: <c>&gt;</c> or <c>/&gt;</c>, possibly after spaces.</summary>
    private static Step TagClose(ReadOnlySpan<char> s, int after, out int content, out bool empty)
    {
        content = 0;
        empty = false;
        var q = after;
        while (q < s.Length && s[q] is ' ' or '\t' or '\n')
        {
            q++;
        }

        if (q >= s.Length)
        {
            return Step.NeedMore;
        }

        if (s[q] == '>')
        {
            content = q + 1;
            return Step.Row;
        }

        if (s[q] != '/')
        {
            return Step.Fallback;
        }

        if (q + 1 >= s.Length)
        {
            return Step.NeedMore;
        }

        if (s[q + 1] != '>')
        {
            return Step.Fallback;
        }

        content = q + 2;
        empty = true;
        return Step.Row;
    }

    /// <summary>The leaf elements of a row from <paramref name="p"/> to its end tag.</summary>
    private Step ReadFields(ReadOnlySpan<char> s, int p, out int next)
    {
        next = p;
        var slot = 0;
        while (true)
        {
            ReadOnlySpan<char> name;
            PriceField field;
            int content;
            var empty = false;

            // Rows of one file list their fields in the same order and layout: the white space and start tag met at
            // this position last row answer with one comparison (skipping the white space char by char and checking
            // the tag piece by piece made this loop 22 % of the reader's time, now 16 %); anything else takes the
            // general way, which remembers what it met.
            if (slot < Slots && _slots[slot].Matches(s, p, out content))
            {
                field = _slots[slot].Field;
                name = s.Slice(content - 1 - _slots[slot].NameLength, _slots[slot].NameLength);
                slot++;
            }
            else
            {
                var lead = p;
                while (p < s.Length && s[p] is ' ' or '\n' or '\r' or '\t')
                {
                    p++;
                }

                if (p >= s.Length)
                {
                    return Step.NeedMore;
                }

                if (s[p] != '<')
                {
                    return Step.Fallback;
                }

                if (p + 1 >= s.Length)
                {
                    return Step.NeedMore;
                }

                if (s[p + 1] == '/')
                {
                    var after = p + 2 + _rowName.Length;
                    if (after >= s.Length)
                    {
                        return Step.NeedMore;
                    }

                    if (!s.Slice(p + 2, _rowName.Length).SequenceEqual(_rowName) || s[after] != '>')
                    {
                        return Step.Fallback;
                    }

                    next = after + 1;
                    return Step.Row;
                }

                var nameEnd = p + 1;
                while (nameEnd < s.Length && IsNameChar(s[nameEnd]))
                {
                    nameEnd++;
                }

                if (nameEnd >= s.Length)
                {
                    return Step.NeedMore;
                }

                name = s[(p + 1)..nameEnd];
                if (name.IsEmpty || !IsNameStart(name[0]))
                {
                    return Step.Fallback;
                }

                var tag = TagClose(s, nameEnd, out content, out empty);
                if (tag != Step.Row)
                {
                    return tag;
                }

                field = FieldAt(slot, name);
                if (slot < Slots)
                {
                    _slots[slot].Remember(s[lead..p], name, plainTag: !empty && content == nameEnd + 1, field);
                }

                slot++;
            }

            if (empty)
            {
                if (field != PriceField.Unknown)
                {
                    _builder.Set(field, ReadOnlyMemory<char>.Empty);
                }

                p = content;
                continue;
            }

            // One scan finds the value's end and, on the way, whether it holds anything to look at closely.
            var length = s[content..].IndexOfAny(SpecialOrMarkup);
            var plain = length >= 0 && s[content + length] == '<';
            if (length >= 0 && !plain)
            {
                length = s[content..].IndexOf('<');
            }

            if (length < 0)
            {
                return Step.NeedMore;
            }

            var valueEnd = content + length;
            var close = valueEnd + 2 + name.Length;
            if (close >= s.Length)
            {
                return Step.NeedMore;
            }

            if (s[valueEnd + 1] != '/' || !s.Slice(valueEnd + 2, name.Length).SequenceEqual(name) || s[close] != '>')
            {
                return Step.Fallback;
            }

            if (!Value(s.Slice(content, length), content, plain, out var value))
            {
                return Step.Fallback;
            }

            if (field != PriceField.Unknown)
            {
                _builder.Set(field, value);
            }

            p = close + 1;
        }
    }

    /// <summary>
    /// The field of an element at a position in the row: the name remembered there answers with one span comparison
    /// (rows of one file list their fields in the same order), else the field table.
    /// </summary>
    private PriceField FieldAt(int slot, ReadOnlySpan<char> name)
    {
        if (slot < Slots && _slots[slot].HasName(name))
        {
            return _slots[slot].Field;
        }

        return Fields.TryGetValue(name, out var known) ? known : PriceField.Unknown;
    }

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0 || !IsNameStart(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>Where a decoding error was met, for the message: the line counted in the text read so far.</summary>
    private sealed class LineInfo(string opening, long linesAfterOpening) : IXmlLineInfo
    {
        public int LineNumber { get; } = (int)Math.Min(int.MaxValue, LineBreaks(opening) + linesAfterOpening + 1);

        public int LinePosition => 0;

        public bool HasLineInfo() => true;
    }
}
