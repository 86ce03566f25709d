using System.IO.Compression;
using System.Xml;

namespace Gogobe.Simulator.Model;

/// <summary>
/// XmlWriter -> (gate) -> container (gzip, zip entry or nothing) -> a small buffer that is drained asynchronously into
/// the destination. The fast synchronous XmlWriter never touches the destination (Kestrel forbids synchronous writes),
/// and at most about <see cref="DrainThreshold"/> bytes are held whatever the file's size.
/// </summary>
internal sealed class XmlOutput : IAsyncDisposable
{
    private const int DrainThreshold = 64 * 1024;
    private readonly Stream _destination;
    private readonly MemoryStream _buffer = new();
    private readonly Stream? _compressor;
    private readonly ZipArchive? _zip;
    private readonly GateStream _gate;

    public XmlOutput(Stream destination, XmlWriterSettings settings, FileContainer container, string entryName)
    {
        _destination = destination;
        switch (container)
        {
            case FileContainer.Gzip:
                _compressor = new GZipStream(_buffer, CompressionLevel.Fastest, leaveOpen: true);
                break;
            case FileContainer.Zip or FileContainer.ZipNamedGz:
                // Not seekable on purpose: the archive then streams (data descriptors) instead of seeking back into
                // a buffer that has already been drained.
                _zip = new ZipArchive(new ForwardOnly(_buffer), ZipArchiveMode.Create, leaveOpen: true);
                _compressor = _zip.CreateEntry(entryName, CompressionLevel.Fastest).Open();
                break;
            default:
                break;
        }

        _gate = new GateStream(_compressor ?? _buffer);
        Xml = XmlWriter.Create(_gate, settings);
    }

    public XmlWriter Xml { get; }

    /// <summary>Sends what the compressor has produced so far, once it is worth a write.</summary>
    public ValueTask DrainIfFullAsync(CancellationToken cancellationToken) =>
        _buffer.Length >= DrainThreshold ? DrainAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>
    /// Ends the file here, mid-element: what was written so far is flushed, later XML (including the end tags the
    /// writer adds when closed) is dropped, and the container is still finished properly.
    /// </summary>
    public void CutHere()
    {
        Xml.Flush();
        _gate.Closed = true;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await CloseAsync().ConfigureAwait(false);
        await DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await _buffer.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask CloseAsync()
    {
        Xml.Dispose();
        if (_compressor is not null)
        {
            await _compressor.DisposeAsync().ConfigureAwait(false);
        }

        _zip?.Dispose();
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        await _destination.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken).ConfigureAwait(false);
        _buffer.SetLength(0);
    }

    /// <summary>Write-only, non-seekable view of a stream.</summary>
    private class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => WriteCore(buffer);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected virtual void WriteCore(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        // Dispose is not overridden: Stream's does not close the inner stream, so the buffer (owned by the output) stays open.
    }

    /// <summary>Passes writes through until closed, then swallows them.</summary>
    private sealed class GateStream(Stream inner) : ForwardOnly(inner)
    {
        private readonly Stream _inner = inner;

        public bool Closed { get; set; }

        public override void Flush()
        {
            if (!Closed)
            {
                _inner.Flush();
            }
        }

        protected override void WriteCore(ReadOnlySpan<byte> buffer)
        {
            if (!Closed)
            {
                base.WriteCore(buffer);
            }
        }
    }
}
