namespace Gogobe.Core.Files;

/// <summary>
/// Bounds that make reading a hostile or broken file fail fast with a clear <see cref="InvalidDataException"/>
/// instead of filling the disk, the memory or the run's time. The defaults sit far above any real price file
/// (the largest PriceFull files are a few hundred MB of XML at 10–30:1 compression).
/// </summary>
/// <param name="MaxDecompressedBytes">Most bytes a file may decompress to (default 2 GiB).</param>
/// <param name="MaxCompressionRatio">Most decompressed bytes per compressed byte (default 200), checked once past <paramref name="RatioCheckAfterBytes"/>.</param>
/// <param name="RatioCheckAfterBytes">Decompressed bytes before the ratio is judged: small files compress very well legitimately (default 8 MiB).</param>
/// <param name="MaxValueChars">Longest run of text between markup characters (a value, a tag) and longest element value, in chars (default 1 Mi).</param>
/// <param name="MaxDepth">Deepest element nesting (default 64; real files nest under 12). Bounds the parsers' stacks.</param>
public sealed record ReaderLimits(
    long MaxDecompressedBytes = ReaderLimits.DefaultMaxDecompressedBytes,
    double MaxCompressionRatio = ReaderLimits.DefaultMaxCompressionRatio,
    long RatioCheckAfterBytes = ReaderLimits.DefaultRatioCheckAfterBytes,
    int MaxValueChars = ReaderLimits.DefaultMaxValueChars,
    int MaxDepth = ReaderLimits.DefaultMaxDepth)
{
    public const int DefaultMaxDepth = 64;

    public const long DefaultMaxDecompressedBytes = 2L * 1024 * 1024 * 1024;
    public const double DefaultMaxCompressionRatio = 200;
    public const long DefaultRatioCheckAfterBytes = 8L * 1024 * 1024;
    public const int DefaultMaxValueChars = 1024 * 1024;

    public static ReaderLimits Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDecompressedBytes, 1, nameof(MaxDecompressedBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCompressionRatio, 1, nameof(MaxCompressionRatio));
        ArgumentOutOfRangeException.ThrowIfNegative(RatioCheckAfterBytes, nameof(RatioCheckAfterBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxValueChars, 64, nameof(MaxValueChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 4, nameof(MaxDepth));
    }
}
