namespace Gogobe.Core.Files;

/// <summary>
/// Stops a decompressed stream that grows past <see cref="ReaderLimits.MaxDecompressedBytes"/> or, once past
/// <see cref="ReaderLimits.RatioCheckAfterBytes"/>, expands more than <see cref="ReaderLimits.MaxCompressionRatio"/>
/// times its compressed size (a zip bomb). The check runs per read call, so nothing past the limit is handed on. Owns <c>inner</c>.
/// </summary>
/// <param name="compressedBytes">Compressed bytes consumed so far; null for plain files (no ratio).</param>
internal sealed class SizeLimitStream(Stream inner, string container, ReaderLimits limits, Func<long>? compressedBytes) : ReadOnlyStream(inner)
{
    private long _read;

    public override int Read(Span<byte> buffer)
    {
        var n = Inner.Read(buffer);
        _read += n;
        if (_read > limits.MaxDecompressedBytes)
        {
            throw new InvalidDataException(
                $"{container} content exceeds the size limit of {limits.MaxDecompressedBytes} bytes (possible decompression bomb)");
        }

        if (compressedBytes is not null && _read > limits.RatioCheckAfterBytes)
        {
            var compressed = Math.Max(1, compressedBytes());
            var ratio = (double)_read / compressed;
            if (ratio > limits.MaxCompressionRatio)
            {
                throw new InvalidDataException(
                    $"{container} compression ratio {ratio:F0}:1 exceeds the limit of {limits.MaxCompressionRatio:F0}:1 (possible decompression bomb)");
            }
        }

        return n;
    }
}
