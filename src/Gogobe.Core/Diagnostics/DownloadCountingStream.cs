using System.Diagnostics;
using Gogobe.Core.Files;

namespace Gogobe.Core.Diagnostics;

/// <summary>
/// Counts the raw bytes read from a portal download into <see cref="GogobeTelemetry.BytesDownloaded"/> as they arrive
/// (so a long download shows progress, not one jump at its end) and keeps the file's total for its span.
/// <c>Files.ByteCountingStream</c> counts only synchronous reads and only for the reader's own ratio check; this one
/// forwards asynchronous reads too. Owns <c>inner</c>.
/// </summary>
internal sealed class DownloadCountingStream(Stream inner, KeyValuePair<string, object?> chainTag) : ReadOnlyStream(inner)
{
    public long BytesRead { get; private set; }

    /// <summary>Time spent inside the inner stream's reads: waiting on the network (or the portal), not parsing.</summary>
    public TimeSpan WaitTime => Stopwatch.GetElapsedTime(0, _waitTicks);

    private long _waitTicks;

    public override int Read(Span<byte> buffer)
    {
        var started = Stopwatch.GetTimestamp();
        var read = Inner.Read(buffer);
        _waitTicks += Stopwatch.GetTimestamp() - started;
        return Count(read);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _waitTicks += Stopwatch.GetTimestamp() - started;
        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        if (read > 0)
        {
            BytesRead += read;
            GogobeTelemetry.BytesDownloaded.Add(read, chainTag);
        }

        return read;
    }
}
