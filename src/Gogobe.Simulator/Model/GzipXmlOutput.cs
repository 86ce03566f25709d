using System.IO.Compression;
using System.Xml;

namespace Gogobe.Simulator.Model;

/// <summary>
/// XmlWriter -> (gate) -> GZipStream -> a small buffer that is drained asynchronously into the destination.
/// The fast synchronous XmlWriter never touches the destination (Kestrel forbids synchronous writes), and at most
/// about <see cref="DrainThreshold"/> bytes are held whatever the file's size.
/// </summary>
internal sealed class GzipXmlOutput : IAsyncDisposable
{
    private const int DrainThreshold = 64 * 1024;
    private readonly Stream _destination;
    private readonly MemoryStream _buffer = new();
    private readonly GZipStream _gzip;
    private readonly GateStream _gate;

    public GzipXmlOutput(Stream destination, XmlWriterSettings settings)
    {
        _destination = destination;
        _gzip = new GZipStream(_buffer, CompressionLevel.Fastest, leaveOpen: true);
        _gate = new GateStream(_gzip);
        Xml = XmlWriter.Create(_gate, settings);
    }

    public XmlWriter Xml { get; }

    /// <summary>Sends what the compressor has produced so far, once it is worth a write.</summary>
    public ValueTask DrainIfFullAsync(CancellationToken cancellationToken) =>
        _buffer.Length >= DrainThreshold ? DrainAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>
    /// Ends the file here, mid-element: what was written so far is flushed, later XML (including the end tags the
    /// writer adds when closed) is dropped, and the gzip stream is still finished properly.
    /// </summary>
    public void CutHere()
    {
        Xml.Flush();
        _gate.Closed = true;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Xml.Dispose();
        await _gzip.DisposeAsync().ConfigureAwait(false);
        await DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Xml.Dispose();
        await _gzip.DisposeAsync().ConfigureAwait(false);
        await _buffer.DisposeAsync().ConfigureAwait(false);
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

    /// <summary>Passes writes through until closed, then swallows them.</summary>
    private sealed class GateStream(Stream inner) : Stream
    {
        public bool Closed { get; set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
            if (!Closed)
            {
                inner.Flush();
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!Closed)
            {
                inner.Write(buffer, offset, count);
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!Closed)
            {
                inner.Write(buffer);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
