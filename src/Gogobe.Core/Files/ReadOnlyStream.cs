namespace Gogobe.Core.Files;

/// <summary>
/// Base of the read-only wrappers around another stream (byte counting, size limits, corruption guard, an HTTP body):
/// it owns the <see cref="Stream"/> boilerplate, so a wrapper writes only its reads. Forward-only unless a wrapper says
/// otherwise; writing, seeking and lengths are not supported. Disposes <see cref="Inner"/> with itself unless
/// <c>leaveOpen</c>. Derived streams override <see cref="Read(Span{byte})"/> and, when they read asynchronously,
/// <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>; the array overloads route to those.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    private readonly bool _leaveOpen;

    /// <param name="inner">The stream read through.</param>
    /// <param name="leaveOpen">Keep <paramref name="inner"/> open when this stream is disposed.</param>
    protected ReadOnlyStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The stream read through.</summary>
    protected Stream Inner { get; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
