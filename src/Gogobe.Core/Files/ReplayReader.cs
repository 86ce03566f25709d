namespace Gogobe.Core.Files;

/// <summary>
/// Some texts, then the rest of another reader: how the fast price scanner hands the remainder of a file to the XmlReader
/// parser (the document's opening, the end tags it consumed, the unread text). Does not own <c>rest</c>.
/// </summary>
internal sealed class ReplayReader(IReadOnlyList<ReadOnlyMemory<char>> parts, TextReader rest) : TextReader
{
    private int _part;
    private int _offset;

    public override int Peek()
    {
        SkipEmpty();
        return _part < parts.Count ? parts[_part].Span[_offset] : rest.Peek();
    }

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        SkipEmpty();
        if (_part >= parts.Count)
        {
            return rest.Read(buffer);
        }

        var available = parts[_part].Span[_offset..];
        var n = Math.Min(available.Length, buffer.Length);
        available[..n].CopyTo(buffer);
        _offset += n;
        return n;
    }

    private void SkipEmpty()
    {
        while (_part < parts.Count && _offset >= parts[_part].Length)
        {
            _part++;
            _offset = 0;
        }
    }
}
