using System.Net;

namespace Gogobe.Host.Http;

/// <summary>
/// A response's content as the caller sees it: the same headers and bytes, read through an
/// <see cref="IdleTimeoutStream"/>, and holding the host slot (<see cref="HostThrottle"/>) until the content or its
/// stream is disposed. Streaming stays streaming: nothing here buffers.
/// </summary>
internal sealed class GuardedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TimeSpan _idle;
    private readonly Uri? _address;
    private readonly IDisposable _slot;

    public GuardedContent(HttpContent inner, TimeSpan idle, Uri? address, IDisposable slot)
    {
        _inner = inner;
        _idle = idle;
        _address = address;
        _slot = slot;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new IdleTimeoutStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _idle, _address, _slot);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        new IdleTimeoutStream(_inner.ReadAsStream(cancellationToken), _idle, _address, _slot);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var body = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _slot.Dispose();
        }

        base.Dispose(disposing);
    }
}
