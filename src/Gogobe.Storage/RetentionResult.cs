namespace Gogobe.Storage;

/// <summary>
/// What <see cref="PgRetention"/> pruned, or in a dry run would prune. A cutoff is null when that retention is off
/// (zero days); partitions are named <c>price_history_YYYY_MM</c>.
/// </summary>
public sealed record RetentionResult(
    bool DryRun,
    DateTimeOffset? FileLogCutoff,
    long FileLogRowsDeleted,
    DateTimeOffset? PriceHistoryCutoff,
    IReadOnlyList<string> PartitionsDropped,
    long PriceHistoryRowsDropped);
