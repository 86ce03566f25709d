using System.Text;
using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>
/// What the price, promotion and store parsers share: the reader over a decoded file, one row per <see cref="Next"/>
/// with XML and encoding damage turned into <see cref="InvalidDataException"/>, the text of a leaf element, and the
/// optional typed values that warn (not reject) when unreadable. How a layout is walked is the derived parser's.
/// </summary>
internal abstract class XmlRowParser<TRow> : IRowSource<TRow>
    where TRow : class
{
    private readonly DecodedFile _file;
    private readonly IXmlLineInfo? _lineInfo;

    /// <param name="text">Text to read instead of the file's own (a replay); null for the file's.</param>
    protected XmlRowParser(DecodedFile file, ReadStats stats, TextReader? text = null)
    {
        _file = file;
        Stats = stats;
        Reader = XmlSettings.CreateReader(file, text ?? file.Text);
        _lineInfo = Reader as IXmlLineInfo;
    }

    protected internal XmlReader Reader { get; }

    /// <summary>Line and column (1-based) of the node the reader stands on, when the reader tracks them.</summary>
    internal (int Line, int Position)? Position => _lineInfo is { } info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : null;

    protected ReadStats Stats { get; }

    protected ReaderLimits Limits => _file.Limits;

    /// <summary>The next accepted row, or null at the end. Rejected rows are counted in the stats and passed over.</summary>
    public TRow? Next()
    {
        try
        {
            var row = NextRow();
            Stats.AddRepairs(_file.TakeTextRepairs() + TakeRepairs());
            return row;
        }
        catch (XmlException ex)
        {
            throw XmlSettings.Malformed(ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw XmlSettings.BadEncoding(ex, _file.Encoding, _lineInfo);
        }
    }

    public void Dispose() => Reader.Dispose();

    protected abstract TRow? NextRow();

    /// <summary>Value repairs counted while reading the row and not yet handed to the stats (then reset).</summary>
    protected virtual int TakeRepairs() => 0;

    /// <summary>
    /// The text of a leaf element, leaving the reader after its end tag. Same result as ReadElementContentAsString,
    /// with a direct path for the usual single text node; child elements, if any, are skipped rather than failing the file.
    /// </summary>
    protected string ReadValue()
    {
        var r = Reader;
        if (r.IsEmptyElement)
        {
            r.Read();
            return string.Empty;
        }

        r.Read();
        return LeafValue();
    }

    /// <summary>Like <see cref="ReadValue"/> for a leaf whose start tag has been read already.</summary>
    protected string LeafValue()
    {
        var r = Reader;
        var value = string.Empty;
        if (r.NodeType == XmlNodeType.Text)
        {
            // A single run is bounded by the text reader; only values assembled from several nodes are checked here.
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
        var r = Reader;
        var text = new StringBuilder(start);
        while (r.NodeType != XmlNodeType.EndElement && !r.EOF)
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(r.Value);
                    XmlSettings.ThrowIfTooLong(text.Length, Limits);
                    r.Read();
                    break;
                case XmlNodeType.Element:
                    XmlSettings.Skip(r, Limits);
                    break;
                default:
                    r.Read();
                    break;
            }
        }

        return text.ToString();
    }

    protected decimal? OptionalDecimal(string? raw, string warning, ref int repairs)
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

        Stats.Warn(warning);
        return null;
    }

    protected bool? OptionalBool(string? raw, string warning, ref int repairs)
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

        Stats.Warn(warning);
        return null;
    }

    protected int? OptionalInt(string? raw, string warning, ref int repairs)
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

        Stats.Warn(warning);
        return null;
    }

    protected DateTime? OptionalDate(string? raw, string warning, ref int repairs)
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

        Stats.Warn(warning);
        return null;
    }
}
