using System.Text;

namespace Gogobe.Core.Files;

/// <summary>
/// A single-byte code page (windows-1255) decoded through a 256-char table taken from the code-pages provider's own
/// encoding, with runs of ASCII widened in vectors (<see cref="Ascii.ToUtf16"/>). The provider's decoder maps byte
/// by byte through its general machinery: profiled on a steady national day, decoding the three windows-1255 chains
/// (a tenth of the rows) cost as much as decoding all the UTF-8 ones. The table is the provider's answer for every
/// byte, fallback characters included, so the text is the same by construction; encoding (never done on this path)
/// is the provider's.
/// </summary>
internal sealed class SingleByteTableEncoding : Encoding
{
    private readonly Encoding _inner;
    private readonly char[] _table;

    private SingleByteTableEncoding(Encoding inner, char[] table)
        : base(inner.CodePage)
    {
        _inner = inner;
        _table = table;
    }

    public override string WebName => _inner.WebName;

    public override string EncodingName => _inner.EncodingName;

    public override string HeaderName => _inner.HeaderName;

    public override string BodyName => _inner.BodyName;

    public override bool IsSingleByte => true;

    public override ReadOnlySpan<byte> Preamble => default;

    /// <summary>
    /// The table form of <paramref name="inner"/>, or <paramref name="inner"/> itself when it is not a stateless
    /// one-byte-one-char encoding that keeps ASCII as is.
    /// </summary>
    public static Encoding Over(Encoding inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var table = new char[256];
        Span<byte> one = stackalloc byte[1];
        Span<char> decoded = stackalloc char[4];
        for (var b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            if (inner.GetChars(one, decoded) != 1 || (b < 0x80 && decoded[0] != (char)b))
            {
                return inner;
            }

            table[b] = decoded[0];
        }

        return new SingleByteTableEncoding(inner, table);
    }

    public override byte[] GetPreamble() => [];

    public override int GetByteCount(char[] chars, int index, int count) => _inner.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        _inner.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetMaxByteCount(int charCount) => _inner.GetMaxByteCount(charCount);

    public override int GetCharCount(byte[] bytes, int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _ = bytes.AsSpan(index, count);
        return count;
    }

    public override int GetCharCount(ReadOnlySpan<byte> bytes) => bytes.Length;

    public override int GetMaxCharCount(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return byteCount;
    }

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
        Decode(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex));

    public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars) => Decode(bytes, chars);

    public override Decoder GetDecoder() => new TableDecoder(this);

    public override object Clone() => new SingleByteTableEncoding((Encoding)_inner.Clone(), _table);

    public override bool Equals(object? value) => value is SingleByteTableEncoding other && other._inner.Equals(_inner);

    public override int GetHashCode() => _inner.GetHashCode();

    private int Decode(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        if (chars.Length < bytes.Length)
        {
            throw new ArgumentException("The output buffer is too small for the decoded characters.", nameof(chars));
        }

        var table = _table;
        var i = 0;
        while (i < bytes.Length)
        {
            // Up to the next byte of the upper half (markup, digits and Latin text), in vectors…
            _ = Ascii.ToUtf16(bytes[i..], chars[i..], out var ascii);
            i += ascii;

            // …then that run of the upper half (Hebrew), through the table.
            while (i < bytes.Length && bytes[i] >= 0x80)
            {
                chars[i] = table[bytes[i]];
                i++;
            }
        }

        return bytes.Length;
    }

    /// <summary>Stateless: every byte is a whole character, so nothing is carried between calls.</summary>
    private sealed class TableDecoder(SingleByteTableEncoding encoding) : Decoder
    {
        public override int GetCharCount(byte[] bytes, int index, int count) => encoding.GetCharCount(bytes, index, count);

        public override int GetCharCount(ReadOnlySpan<byte> bytes, bool flush) => bytes.Length;

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
            encoding.Decode(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex));

        public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars, bool flush) => encoding.Decode(bytes, chars);
    }
}
