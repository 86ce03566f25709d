namespace Gogobe.Core.Files;

/// <summary>
/// A forward-only stream that first replays bytes already peeked from <c>inner</c>, then goes on with
/// <c>inner</c>. This is how the reader looks at the head of a file (magic bytes, BOM, declaration)
/// without buffering the whole file. Owns <c>inner</c>.
/// </summary>
public sealed class PrefixedStream(byte[] prefix, int offset, int count, Stream inner) : ReadOnlyStream(inner)
{
    private int _offset = offset;
    private readonly int _end = offset + count;

    public override int Read(Span<byte> buffer)
    {
        if (_offset < _end)
        {
            var n = Math.Min(buffer.Length, _end - _offset);
            prefix.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        return Inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset < _end)
        {
            return Read(buffer.Span);
        }

        return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
