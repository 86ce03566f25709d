namespace Gogobe.Simulator;

/// <summary>How a chain's generator writes its XML bytes; each is seen in the wild (see FORMATS.md, Encodings).</summary>
public enum XmlEncodingStyle
{
    /// <summary>UTF-8 with BOM, CRLF line ends, no XML declaration: the most common generator.</summary>
    Utf8BomCrlfNoDeclaration,

    /// <summary>UTF-8 with BOM and an XML declaration, all on one long line.</summary>
    Utf8BomDeclarationOneLine,

    /// <summary>UTF-8 without BOM or declaration, LF line ends.</summary>
    Utf8NoBom,

    /// <summary>windows-1255 bytes with <c>encoding="windows-1255"</c> declared, CRLF.</summary>
    Windows1255Declared,

    /// <summary>windows-1255 bytes and no declaration at all, LF.</summary>
    Windows1255Undeclared,

    /// <summary>UTF-16 little-endian with BOM and <c>encoding="utf-16"</c> declared, CRLF (reported for the Laib-catalog chains).</summary>
    Utf16LeBom,
}
