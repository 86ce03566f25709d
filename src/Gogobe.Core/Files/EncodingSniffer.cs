using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Gogobe.Core.Files;

/// <summary>
/// Decides a file's text encoding from its first bytes, in the order that works on these files
/// (FORMATS.md): byte-order mark, then the XML declaration, then "is it strictly valid UTF-8?",
/// else windows-1255 (the Hebrew single-byte code page; ISO-8859-8 is read as its superset windows-1255).
/// </summary>
internal static partial class EncodingSniffer
{
    /// <summary>Throws on invalid bytes, so a file that turns out not to be UTF-8 fails loudly instead of filling with U+FFFD.</summary>
    public static Encoding StrictUtf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding Utf16LittleEndian { get; } = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);

    public static Encoding Utf16BigEndian { get; } = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    public static Encoding Windows1255 { get; } = CreateWindows1255();

    private static Encoding CreateWindows1255()
    {
        // windows-1255 is not in the in-box set of encodings: the code-pages provider adds it. Registering is idempotent.
        // Its decoder is slow; the same mapping through a table is not (SingleByteTableEncoding).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return SingleByteTableEncoding.Over(Encoding.GetEncoding(1255));
    }

    /// <summary>The encoding of <paramref name="head"/> and the length of its byte-order mark (0 if none).</summary>
    /// <param name="complete">True when <paramref name="head"/> is the whole file (a cut multi-byte sequence at its end is then an error).</param>
    public static (Encoding Encoding, int BomLength) Detect(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (StrictUtf8, 3);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Utf16LittleEndian, 2);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Utf16BigEndian, 2);
        }

        // UTF-16 without a BOM still shows itself in "<?": one zero byte beside each ASCII char.
        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'<', 0, (byte)'?', 0]))
        {
            return (Utf16LittleEndian, 0);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0, (byte)'<', 0, (byte)'?']))
        {
            return (Utf16BigEndian, 0);
        }

        var declared = DeclaredEncoding(head);
        var validUtf8 = IsValidUtf8(head, complete);
        if (declared is not null)
        {
            // A declaration of UTF-8 on bytes that are not UTF-8 is a lie seen in the wild; the bytes win.
            if (declared.CodePage == Encoding.UTF8.CodePage && !validUtf8)
            {
                return (Windows1255, 0);
            }

            return (declared, 0);
        }

        return (validUtf8 ? StrictUtf8 : Windows1255, 0);
    }

    /// <summary>The encoding named in an XML declaration at the start of an ASCII-compatible file, if any we can use.</summary>
    private static Encoding? DeclaredEncoding(ReadOnlySpan<byte> head)
    {
        var start = 0;
        while (start < head.Length && head[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        var rest = head[start..];
        if (!rest.StartsWith("<?xml"u8))
        {
            return null;
        }

        var end = rest[..Math.Min(rest.Length, 512)].IndexOf("?>"u8);
        if (end < 0)
        {
            return null;
        }

        var declaration = Encoding.ASCII.GetString(rest[..end]);
        var match = EncodingAttribute().Match(declaration);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value.Trim().ToUpperInvariant();
        switch (name)
        {
            case "UTF-8" or "UTF8":
                return StrictUtf8;
            case "ISO-8859-8" or "ISO-8859-8-I" or "ISO8859-8" or "WINDOWS-1255" or "CP1255" or "HEBREW":
                return Windows1255;
            case "UTF-16" or "UTF-16LE" or "UTF-16BE" or "UNICODE":
                // The declaration was readable as single bytes, so the file is not UTF-16 whatever it says.
                return null;
            default:
                _ = Windows1255; // make sure the code-page provider is registered before asking for others
                try
                {
                    return Encoding.GetEncoding(name);
                }
                catch (ArgumentException)
                {
                    return null;
                }
        }
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes, bool complete)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock: complete);
            // NeedMoreData: the head was cut inside a multi-byte sequence, which says nothing against UTF-8.
            return status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    [GeneratedRegex("""encoding\s*=\s*["'](?<name>[^"']+)["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex EncodingAttribute();
}
