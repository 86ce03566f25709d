using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gogobe.Core.Files;

/// <summary>The fast price scanner's text buffer, and the hand-over of the rest of the file to the XmlReader parser.</summary>
internal sealed partial class FastPriceParser
{
    /// <summary>
    /// More text into the buffer, keeping what is unread from <see cref="_pos"/>. False at the end of the text, or when a
    /// row would outgrow <see cref="MaxRowChars"/> (XmlReader then reads it, streaming).
    /// </summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        if (_pos > 0)
        {
            _linesDropped += LineBreaks(_buf.AsSpan(0, _pos));
            _buf.AsSpan(_pos, _end - _pos).CopyTo(_buf);
            _end -= _pos;
            _pos = 0;
        }

        if (_end == _buf.Length)
        {
            if (_buf.Length >= MaxRowChars)
            {
                return false;
            }

            Array.Resize(ref _buf, Math.Min(MaxRowChars, _buf.Length * 2));
        }

        var before = _end;
        while (_end == before || _buf.Length - _end >= DirectReadChars)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var n = _file.Text.Read(_buf, _end, _buf.Length - _end);
            if (n == 0)
            {
                _eof = true;
                break;
            }

            _end += n;
        }

        return _end > before;
    }

    /// <summary>
    /// Hands the rest of the file, from <see cref="_pos"/>, to the XmlReader parser: the document's opening, the end tags
    /// consumed, a line break per line of the rows read (errors then name the same line), then the unread text.
    /// </summary>
    private PriceRow? FallBack()
    {
        var lines = _linesDropped + LineBreaks(_buf.AsSpan(0, _pos));
        var parts = new List<ReadOnlyMemory<char>>
        {
            _opening.AsMemory(),
            _closed.ToString().AsMemory(),
            new string('\n', (int)Math.Min(lines, int.MaxValue / 2)).AsMemory(),
            _buf.AsSpan(_pos, _end - _pos).ToArray(),
        };
        ReturnBuffer();
        _xml = new PriceXmlParser(_file, _stats, _file.Escaped(new ReplayReader(parts, _file.Text))) { ItemsSeen = _items };
        _xml.MuteHeaderValues(_headerValues);
        _mode = Mode.XmlReader;
        return _xml.Next();
    }

    /// <summary>
    /// Line breaks as XmlReader counts them (CR LF, a lone CR and LF each end a line): the LFs and the CRs no LF follows,
    /// in one vectorised pass over the text dropped at each top-up (counting CR LF pairs as a substring walked it line
    /// by line: 3 % of the reader's time on files with CR LF ends).
    /// </summary>
    internal static long LineBreaks(ReadOnlySpan<char> text)
    {
        var chars = MemoryMarshal.Cast<char, ushort>(text);
        long lines = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var cr = Vector256.Create((ushort)'\r');
            var lf = Vector256.Create((ushort)'\n');
            for (; i + Vector256<ushort>.Count < chars.Length; i += Vector256<ushort>.Count)
            {
                var here = Vector256.Create(chars.Slice(i, Vector256<ushort>.Count));
                var next = Vector256.Create(chars.Slice(i + 1, Vector256<ushort>.Count));
                var ends = Vector256.Equals(here, lf) | (Vector256.Equals(here, cr) & ~Vector256.Equals(next, lf));
                lines += BitOperations.PopCount(ends.ExtractMostSignificantBits());
            }
        }

        for (; i < chars.Length; i++)
        {
            if (chars[i] == '\n' || (chars[i] == '\r' && (i + 1 == chars.Length || chars[i + 1] != '\n')))
            {
                lines++;
            }
        }

        return lines;
    }
}
