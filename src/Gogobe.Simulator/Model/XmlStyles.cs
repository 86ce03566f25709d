using System.Text;
using System.Xml;

namespace Gogobe.Simulator.Model;

internal static class XmlStyles
{
    /// <summary>windows-1255 without registering a process-wide provider (CodePagesEncodingProvider is in the shared framework).</summary>
    public static Encoding Windows1255 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1255)
        ?? throw new InvalidOperationException("windows-1255 is not available on this runtime.");

    public static XmlWriterSettings Settings(XmlEncodingStyle style) => style switch
    {
        XmlEncodingStyle.Utf8BomCrlfNoDeclaration => Make(new UTF8Encoding(true), declaration: false, newLine: "\r\n"),
        XmlEncodingStyle.Utf8BomDeclarationOneLine => Make(new UTF8Encoding(true), declaration: true, newLine: null),
        XmlEncodingStyle.Utf8NoBom => Make(new UTF8Encoding(false), declaration: false, newLine: "\n"),
        XmlEncodingStyle.Windows1255Declared => Make(Windows1255, declaration: true, newLine: "\r\n"),
        XmlEncodingStyle.Windows1255Undeclared => Make(Windows1255, declaration: false, newLine: "\n"),
        XmlEncodingStyle.Utf16LeBom => Make(new UnicodeEncoding(bigEndian: false, byteOrderMark: true), declaration: true, newLine: "\r\n"),
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
