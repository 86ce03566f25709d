namespace Gogobe.Storage;

/// <summary>How long <see cref="PgRetention"/> keeps things. Zero days means keep forever.</summary>
public sealed record RetentionOptions
{
    /// <summary>Days of <c>file_processing_log</c> rows kept, counted from when each file finished (0 = keep forever).</summary>
    public int FileLogDays { get; init; } = 400;

    /// <summary>
    /// Days of <c>price_history</c> kept (0 = keep forever). Whole monthly partitions are dropped once they lie entirely
    /// before the cutoff, so up to a month more than this is kept.
    /// </summary>
    public int PriceHistoryDays { get; init; }

    /// <summary>Log rows deleted per statement: each batch is its own short transaction, never one giant one.</summary>
    public int DeleteBatchSize { get; init; } = 10_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(FileLogDays);
        ArgumentOutOfRangeException.ThrowIfNegative(PriceHistoryDays);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DeleteBatchSize);
    }
}
