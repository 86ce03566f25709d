using System.Text;
using System.Xml;

namespace Gogobe.Simulator.Model;

internal static class XmlStyles
{
    // Weighted towards the most common generator, as in the wild.
    private static readonly XmlEncodingStyle[] Table =
    [
        XmlEncodingStyle.Utf8BomCrlfNoDeclaration,
        XmlEncodingStyle.Utf8BomCrlfNoDeclaration,
        XmlEncodingStyle.Utf8BomCrlfNoDeclaration,
        XmlEncodingStyle.Utf8BomDeclarationOneLine,
        XmlEncodingStyle.Utf8NoBom,
        XmlEncodingStyle.Windows1255Declared,
        XmlEncodingStyle.Windows1255Undeclared,
    ];

    /// <summary>windows-1255 without registering a process-wide provider (CodePagesEncodingProvider is in the shared framework).</summary>
    public static Encoding Windows1255 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1255)
        ?? throw new InvalidOperationException("windows-1255 is not available on this runtime.");

    /// <summary>Picked from the chain id alone, so a chain keeps its encoding whatever the seed.</summary>
    public static XmlEncodingStyle For(string chainId) => Det.Pick(Det.Of("generator:" + chainId), Table);

    public static XmlWriterSettings Settings(XmlEncodingStyle style) => style switch
    {
        XmlEncodingStyle.Utf8BomCrlfNoDeclaration => Make(new UTF8Encoding(true), declaration: false, newLine: "\r\n"),
        XmlEncodingStyle.Utf8BomDeclarationOneLine => Make(new UTF8Encoding(true), declaration: true, newLine: null),
        XmlEncodingStyle.Utf8NoBom => Make(new UTF8Encoding(false), declaration: false, newLine: "\n"),
        XmlEncodingStyle.Windows1255Declared => Make(Windows1255, declaration: true, newLine: "\r\n"),
        XmlEncodingStyle.Windows1255Undeclared => Make(Windows1255, declaration: false, newLine: "\n"),
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, null),
    };

    private static XmlWriterSettings Make(Encoding encoding, bool declaration, string? newLine) => new()
    {
        Encoding = encoding,
        OmitXmlDeclaration = !declaration,
        Indent = newLine is not null,
        IndentChars = "  ",
        NewLineChars = newLine ?? "\n",
        NewLineHandling = NewLineHandling.Replace,
        CloseOutput = false,
    };
}
