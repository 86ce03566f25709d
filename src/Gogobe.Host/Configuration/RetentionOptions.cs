namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Retention</c>: how long history is kept, in days; applied daily by <c>RetentionService</c> in serve.</summary>
internal sealed class RetentionOptions
{
    public const string Section = "Gogobe:Retention";

    /// <summary>Rows of <c>file_processing_log</c>.</summary>
    public int FileLogDays { get; set; } = 400;

    /// <summary>Rows of <c>price_history</c>; 0 keeps them forever.</summary>
    public int PriceHistoryDays { get; set; }
}
