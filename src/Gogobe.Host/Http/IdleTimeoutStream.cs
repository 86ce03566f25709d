namespace Gogobe.Host.Http;

/// <summary>
/// A response body that fails with a <see cref="TimeoutException"/> when the portal sends nothing for
/// <c>idle</c>: a stalled download would otherwise hold its chain forever (no HTTP timeout covers a body that has
/// started). Bodies are never retried mid-way, so the file fails with that reason and the chain goes on. Disposing
/// the stream also disposes <c>onDispose</c> (the host slot it holds).
/// </summary>
internal sealed class IdleTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idle;
    private readonly Uri? _address;
    private readonly IDisposable _onDispose;
    private readonly CancellationTokenSource _stalled = new();
    private readonly CancellationTokenRegistration _abort;

    public IdleTimeoutStream(Stream inner, TimeSpan idle, Uri? address, IDisposable onDispose)
    {
        _inner = inner;
        _idle = idle;
        _address = address;
        _onDispose = onDispose;
        // A blocking read cannot take a token: closing the body under it is what ends it.
        _abort = _stalled.Token.Register(static state => ((Stream)state!).Dispose(), inner);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        Arm();
        try
        {
            return _inner.Read(buffer);
        }
        catch (Exception ex) when (_stalled.IsCancellationRequested && ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            throw Stalled(ex);
        }
        finally
        {
            Disarm();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Arm();
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_stalled.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                   && ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            throw Stalled(ex);
        }
        finally
        {
            Disarm();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
            _abort.Dispose();
            _stalled.Dispose();
            _inner.Dispose();
            _onDispose.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Arm()
    {
        // The timer can fire just after a read returned, before Disarm: the body is closed by then, so say why.
        if (_stalled.IsCancellationRequested)
        {
            throw Stalled(new ObjectDisposedException(nameof(IdleTimeoutStream)));
        }

        _stalled.CancelAfter(_idle);
    }

    private void Disarm()
    {
        if (!_stalled.IsCancellationRequested)
        {
            _stalled.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private TimeoutException Stalled(Exception inner) =>
        new($"the download from {_address} stalled: no data for {_idle.TotalSeconds:0.###} s (Gogobe:Http:BodyIdleTimeout); bodies are not retried", inner);
}
