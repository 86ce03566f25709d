namespace Gogobe.Core.Files;

/// <summary>
/// Wraps a decompressing stream so that a damaged archive surfaces as one clear
/// <see cref="InvalidDataException"/> ("corrupt gzip: ...") wherever in the file the damage is met.
/// Network errors of the source (<see cref="IOException"/>) pass through unchanged: they are not corruption.
/// Owns <c>inner</c>.
/// </summary>
internal sealed class CorruptionGuardStream(Stream inner, string container) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private InvalidDataException Corrupt(InvalidDataException ex) => new($"corrupt {container}: {ex.Message}", ex);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
