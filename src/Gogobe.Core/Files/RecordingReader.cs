namespace Gogobe.Core.Files;

/// <summary>
/// Passes a text through and keeps a copy of what was read, up to a cap: the fast price scanner takes over from the
/// XmlReader at the first row, and needs the text the XmlReader had already read ahead. Does not own <c>inner</c>.
/// </summary>
internal sealed class RecordingReader(TextReader inner, int cap) : TextReader
{
    private char[] _recorded = new char[16 * 1024];

    /// <summary>Chars recorded (the first <see cref="Length"/> chars of the text).</summary>
    public int Length { get; private set; }

    /// <summary>More than the cap was read: the record is incomplete and was dropped.</summary>
    public bool Overflowed { get; private set; }

    public ReadOnlySpan<char> Recorded => _recorded.AsSpan(0, Length);

    public override int Peek() => inner.Peek();

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var n = inner.Read(buffer);
        if (n > 0 && !Overflowed)
        {
            Record(buffer[..n]);
        }

        return n;
    }

    private void Record(ReadOnlySpan<char> read)
    {
        if (Length + read.Length > cap)
        {
            Overflowed = true;
            _recorded = [];
            Length = 0;
            return;
        }

        if (Length + read.Length > _recorded.Length)
        {
            Array.Resize(ref _recorded, Math.Min(cap, Math.Max(_recorded.Length * 2, Length + read.Length)));
        }

        read.CopyTo(_recorded.AsSpan(Length));
        Length += read.Length;
    }
}
