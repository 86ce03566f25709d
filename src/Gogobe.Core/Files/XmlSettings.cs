using System.Text;
using System.Xml;

namespace Gogobe.Core.Files;

/// <summary>How every price file is parsed: no DTDs, no external resources, no whitespace/comment nodes.</summary>
internal static class XmlSettings
{
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

    public static InvalidDataException Malformed(XmlException ex) =>
        new($"truncated or malformed XML at line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}", ex);

    public static InvalidDataException BadEncoding(DecoderFallbackException ex, Encoding encoding, IXmlLineInfo? line) =>
        new($"text is not valid {encoding.WebName} near line {line?.LineNumber ?? 0}: {ex.Message}", ex);
}
