using Gogobe.Core.Files;

namespace Gogobe.Core.Ingest;

/// <summary>
/// The file_processing_log: one row per file a run touched. Implemented by Gogobe.Storage.
/// A file's <c>completed</c> transition is written by <see cref="IFileWriter.CompleteAsync"/>, inside the file's own transaction.
/// </summary>
public interface IFileLog
{
    /// <summary>
    /// The (store, kind) pairs of the chain whose file completed during the given Israel-local day. One question per
    /// chain run, not one per file: a national day lists thousands of files, and the one pass daily must skip them fast.
    /// </summary>
    Task<IReadOnlySet<(int StoreId, FileKind Kind)>> CompletedOnAsync(string chainId, DateOnly israelDay, CancellationToken cancellationToken);

    /// <summary>Records a file as <c>processing</c> (visible at once, outside any file transaction) and returns its log id.</summary>
    Task<long> StartAsync(FileLogStart entry, CancellationToken cancellationToken);

    /// <summary>Records files that were not processed (already done today, placeholder, ...), all for one reason, in one statement.</summary>
    Task SkipAsync(IReadOnlyCollection<FileLogStart> entries, string reason, CancellationToken cancellationToken);

    /// <summary>Marks a started file <c>failed</c> with a clear reason; its rows were rolled back.</summary>
    Task FailAsync(long logId, string reason, FileCounts counts, CancellationToken cancellationToken);
}

/// <summary>What is known of a file when it starts. StoreId/Kind are null when the name could not be parsed.</summary>
public sealed record FileLogStart(Guid RunId, string Source, string ChainId, int? StoreId, string FileName, FileKind? Kind);

/// <summary>
/// Counts gathered while reading a file. <paramref name="RejectsByReason"/> breaks <paramref name="RowsRejected"/> down
/// (stored with the log row); <paramref name="Note"/> flags something an operator should see on a file that still
/// completed, e.g. "empty file" or "3 values repaired".
/// </summary>
public sealed record FileCounts(
    int RowsRead,
    int DuplicatesRemoved,
    int RowsRejected,
    IReadOnlyDictionary<string, int>? RejectsByReason = null,
    string? Note = null)
{
    public static FileCounts None { get; } = new(0, 0, 0);
}
