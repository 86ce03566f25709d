namespace Gogobe.Simulator.Faults;

/// <summary>
/// A response body that sends the first part of the first write, flushes it (so the client has headers and some
/// bytes), then goes quiet for <c>stall</c> before sending the rest: a download that stops mid-way.
/// </summary>
internal sealed class StallingStream(Stream inner, TimeSpan stall, CancellationToken aborted) : Stream
{
    private bool _stalled;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_stalled || buffer.Length < 2)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        _stalled = true;
        var half = buffer.Length / 2;
        await inner.WriteAsync(buffer[..half], cancellationToken).ConfigureAwait(false);
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        await Task.Delay(stall, linked.Token).ConfigureAwait(false);
        await inner.WriteAsync(buffer[half..], cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Blocking writes pass straight through: the stall needs an await, and the simulator's bodies are written asynchronously.
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
