using System.Text;
using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>How every price file is parsed: no DTDs, no external resources, no whitespace/comment nodes.</summary>
internal static class XmlSettings
{
    /// <summary>
    /// The reader over a decoded file. Creating it already reads the first block of text, so decoding and XML errors
    /// met there are turned into the same <see cref="InvalidDataException"/> messages as later in the file.
    /// </summary>
    public static XmlReader CreateReader(DecodedFile file, TextReader text)
    {
        try
        {
            return XmlReader.Create(text, Create());
        }
        catch (XmlException ex)
        {
            throw Malformed(ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw BadEncoding(ex, file.Encoding, null);
        }
    }

    public static XmlReaderSettings Create() => new()
    {
        // A DTD could declare entities (billion laughs) or fetch URLs; no published file needs one.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        // Some generators emit control characters in names; the value is still usable.
        CheckCharacters = false,
        CloseInput = false,
        // One name table per file: names are atomised once and compared by reference for the rest of the file.
        NameTable = new NameTable(),
    };

    /// <summary>A value assembled from several nodes (mixed content, CDATA) is bounded here; single runs by the text reader.</summary>
    public static void ThrowIfTooLong(int length, ReaderLimits limits)
    {
        if (length > limits.MaxValueChars)
        {
            throw new InvalidDataException($"a value or tag is longer than the limit of {limits.MaxValueChars} characters");
        }
    }

    /// <summary>
    /// Skips the element the reader stands on, like <see cref="XmlReader.Skip"/>, but refuses nesting deeper than
    /// <see cref="ReaderLimits.MaxDepth"/>: the reader keeps a node per open level, so unbounded nesting is unbounded memory.
    /// </summary>
    public static void Skip(XmlReader r, ReaderLimits limits)
    {
        if (r.IsEmptyElement)
        {
            r.Read();
            return;
        }

        var depth = r.Depth;
        while (r.Read() && r.Depth > depth)
        {
            ThrowIfTooDeep(r.Depth, limits);
        }

        // On the end tag of the skipped element (or at EOF): move past it.
        r.Read();
    }

    public static void ThrowIfTooDeep(int depth, ReaderLimits limits)
    {
        if (depth > limits.MaxDepth)
        {
            throw new InvalidDataException($"elements nested deeper than the limit of {limits.MaxDepth}");
        }
    }

    public static InvalidDataException Malformed(XmlException ex) =>
        new($"truncated or malformed XML at line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}", ex);

    public static InvalidDataException BadEncoding(DecoderFallbackException ex, Encoding encoding, IXmlLineInfo? line) =>
        new($"text is not valid {encoding.WebName} near line {line?.LineNumber ?? 0}: {ex.Message}", ex);
}
