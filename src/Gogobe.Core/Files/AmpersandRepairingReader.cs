namespace Gogobe.Core.Files;

/// <summary>
/// Some generators write a bare <c>&amp;</c> in text ("Procter & Gamble"), which no XML parser accepts.
/// This reader passes text through unchanged except that an <c>&amp;</c> not starting a well-formed
/// reference (<c>&amp;name;</c>, <c>&amp;#123;</c>, <c>&amp;#x1F;</c>) is written as <c>&amp;amp;</c>.
/// It scans with a vectorised IndexOf, so clean files cost one extra copy.
/// Known limit: a bare <c>&amp;</c> inside a CDATA section would also be escaped; these files do not use CDATA.
/// It also bounds the longest run of characters between markup characters (<c>&lt;</c>, <c>&gt;</c>), so a single
/// enormous value or tag fails the file before the XML reader buffers it whole.
/// Owns <c>inner</c>.
/// </summary>
internal sealed class AmpersandRepairingReader(TextReader inner, int maxRun) : TextReader
{
    // Longest reference we recognise: '&' + 32 name chars + ';'. Beyond that it is treated as bare.
    private const int MaxReference = 34;
    private const string Escape = "amp;";

    // Reads at least this large skip the internal buffer while no '&' is pending (see ReadDirect).
    private const int DirectReadChars = 8 * 1024;

    private char[] _buffer = new char[32 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private int _pendingEscape = Escape.Length; // index into Escape still to emit; Length = nothing pending
    private long _run; // chars since the last '<' or '>'

    /// <summary>How many bare ampersands were escaped so far.</summary>
    public int Repairs { get; private set; }

    /// <summary>
    /// From now on, hand text on unescaped (runs still bounded): the fast price scanner reads bare ampersands itself
    /// and counts them, and escapes what it hands back to XmlReader through a new reader of this kind.
    /// </summary>
    internal bool PassBareAmpersands { get; set; }

    public override int Peek()
    {
        if (_pendingEscape < Escape.Length)
        {
            return Escape[_pendingEscape];
        }

        Fill(1);
        return _start < _end ? _buffer[_start] : -1;
    }

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_pendingEscape < Escape.Length)
        {
            var n = Math.Min(buffer.Length, Escape.Length - _pendingEscape);
            Escape.AsSpan(_pendingEscape, n).CopyTo(buffer);
            _pendingEscape += n;
            return n;
        }

        if (PassBareAmpersands)
        {
            return ReadRaw(buffer);
        }

        if (_start == _end && !_eof && buffer.Length >= DirectReadChars)
        {
            return ReadDirect(buffer);
        }

        Fill(MaxReference + 1);
        if (_start == _end)
        {
            return 0;
        }

        var available = _buffer.AsSpan(_start, Math.Min(_end - _start, buffer.Length));
        var amp = available.IndexOf('&');
        if (amp != 0)
        {
            var take = amp < 0 ? available.Length : amp;
            available[..take].CopyTo(buffer);
            _start += take;
            return take;
        }

        // The buffer starts with '&': decide whether it begins a reference.
        buffer[0] = '&';
        var bare = !StartsReference(_buffer.AsSpan(_start + 1, _end - _start - 1));
        _start++;
        if (bare)
        {
            Repairs++;
            _pendingEscape = 0;
        }

        return 1;
    }

    /// <summary>
    /// A large read with nothing buffered: the inner reader decodes straight into the caller's buffer (StreamReader does so
    /// for reads of at least its own buffer) and the text is copied no further when it holds no <c>&amp;</c>. From the first
    /// <c>&amp;</c> on, the chunk goes to the internal buffer and is served as usual.
    /// </summary>
    private int ReadDirect(Span<char> buffer)
    {
        var n = inner.Read(buffer);
        if (n == 0)
        {
            _eof = true;
            return 0;
        }

        var chunk = buffer[..n];
        CheckRuns(chunk);
        var amp = chunk.IndexOf('&');
        if (amp < 0)
        {
            return n;
        }

        var rest = chunk[amp..];
        if (rest.Length > _buffer.Length)
        {
            // Larger than the internal buffer: hand back what precedes the '&' and keep the rest (never more than the caller's).
            _buffer = new char[rest.Length];
        }

        rest.CopyTo(_buffer);
        _start = 0;
        _end = rest.Length;
        return amp > 0 ? amp : Read(buffer);
    }

    /// <summary>Unescaped reading: what is buffered (an escape under way first), then straight from the inner reader.</summary>
    private int ReadRaw(Span<char> buffer)
    {
        if (_start < _end)
        {
            var n = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            return n;
        }

        if (_eof)
        {
            return 0;
        }

        var read = inner.Read(buffer);
        if (read == 0)
        {
            _eof = true;
        }

        CheckRuns(buffer[..read]);
        return read;
    }

    /// <summary>Whether the text after an <c>&amp;</c> makes it a reference; otherwise it is bare and gets escaped.</summary>
    internal static bool StartsReference(ReadOnlySpan<char> after)
    {
        var limit = Math.Min(after.Length, MaxReference - 1);
        if (limit == 0)
        {
            return false;
        }

        if (after[0] == '#')
        {
            var i = 1;
            var hex = i < limit && (after[i] == 'x' || after[i] == 'X');
            if (hex)
            {
                i++;
            }

            var digitsStart = i;
            while (i < limit && (hex ? char.IsAsciiHexDigit(after[i]) : char.IsAsciiDigit(after[i])))
            {
                i++;
            }

            return i > digitsStart && i < limit && after[i] == ';';
        }

        if (!(char.IsAsciiLetter(after[0]) || after[0] == '_' || after[0] == ':'))
        {
            return false;
        }

        for (var i = 1; i < limit; i++)
        {
            var c = after[i];
            if (c == ';')
            {
                return true;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '.' or '-'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Makes at least <paramref name="wanted"/> chars available unless the input ends first.</summary>
    private void Fill(int wanted)
    {
        if (_end - _start >= wanted || _eof)
        {
            return;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < wanted && !_eof)
        {
            var n = inner.Read(_buffer.AsSpan(_end));
            if (n == 0)
            {
                _eof = true;
            }

            CheckRuns(_buffer.AsSpan(_end, n));

            _end += n;
        }
    }

    /// <summary>Two vectorised scans per chunk; the full walk only when the limit is shorter than a chunk.</summary>
    private void CheckRuns(ReadOnlySpan<char> chunk)
    {
        var first = chunk.IndexOfAny('<', '>');
        if (first < 0)
        {
            _run += chunk.Length;
            ThrowIfTooLong();
            return;
        }

        _run += first;
        ThrowIfTooLong();
        var last = chunk.LastIndexOfAny('<', '>');
        if (last - first > maxRun)
        {
            var rest = chunk[(first + 1)..last];
            while (!rest.IsEmpty)
            {
                var next = rest.IndexOfAny('<', '>');
                _run = next < 0 ? rest.Length : next;
                ThrowIfTooLong();
                rest = next < 0 ? [] : rest[(next + 1)..];
            }
        }

        _run = chunk.Length - last - 1;
        ThrowIfTooLong();
    }

    private void ThrowIfTooLong()
    {
        if (_run > maxRun)
        {
            throw new InvalidDataException($"a value or tag is longer than the limit of {maxRun} characters");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
