namespace Gogobe.Core.Files;

/// <summary>Counts the bytes read through it (the compressed side of a container), for the compression-ratio check. Owns <c>inner</c>.</summary>
internal sealed class ByteCountingStream(Stream inner) : ReadOnlyStream(inner)
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = Inner.Read(buffer);
        BytesRead += n;
        return n;
    }
}
