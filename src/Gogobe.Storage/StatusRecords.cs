namespace Gogobe.Storage;

/// <summary>
/// The newest file of one source (chain) in <c>file_processing_log</c>: one cell of the fleet matrix.
/// <paramref name="RejectsByReason"/> breaks <paramref name="RowsRejected"/> down (null when nothing was rejected);
/// <paramref name="Note"/> is the operator note the file completed or failed with.
/// </summary>
public sealed record ChainFileStatus(
    string Source,
    string ChainId,
    Guid RunId,
    int? StoreId,
    string FileName,
    string? FileType,
    string Status,
    int RowsRead,
    int DuplicatesRemoved,
    int RowsRejected,
    int RowsChanged,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, int>? RejectsByReason = null,
    string? Note = null);

/// <summary>File counts by status and row counts, summed over some files.</summary>
public sealed record FileTotals(
    int Files,
    int Processing,
    int Completed,
    int Failed,
    int Skipped,
    long RowsRead,
    long DuplicatesRemoved,
    long RowsRejected,
    long RowsChanged)
{
    public static FileTotals Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public FileTotals Add(FileTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Files + other.Files,
            Processing + other.Processing,
            Completed + other.Completed,
            Failed + other.Failed,
            Skipped + other.Skipped,
            RowsRead + other.RowsRead,
            DuplicatesRemoved + other.DuplicatesRemoved,
            RowsRejected + other.RowsRejected,
            RowsChanged + other.RowsChanged);
    }
}

/// <summary>One source's (chain's) totals within a run.</summary>
public sealed record ChainRunTotals(string Source, string ChainId, FileTotals Totals);

/// <summary>A run's totals overall and per source, ordered by source.</summary>
public sealed record RunTotals(Guid RunId, FileTotals Totals, IReadOnlyList<ChainRunTotals> Chains);
