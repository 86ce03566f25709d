using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Orchestration;

public enum FileStatus
{
    Completed,
    Failed,
    Skipped,
}

/// <summary>What happened to one file.</summary>
public sealed record FileOutcome(
    string FileName,
    FileKind? Kind,
    int? StoreId,
    FileStatus Status,
    int RowsRead,
    int DuplicatesRemoved,
    int RowsRejected,
    int RowsChanged,
    string? Reason,
    TimeSpan Elapsed);

/// <summary>
/// What happened to one chain in a run. <see cref="Error"/> is set when the chain itself failed (listing, login);
/// <see cref="Notice"/> when it had nothing to do for an expected reason (no files published yet today).
/// </summary>
public sealed record ChainReport(
    Chain Chain,
    IReadOnlyList<FileOutcome> Files,
    int FilesListed,
    int Placeholders,
    int Superseded,
    int UnrecognisedNames,
    string? Error,
    TimeSpan Elapsed,
    string? Notice = null)
{
    public int Completed => Files.Count(f => f.Status == FileStatus.Completed);
    public int Failed => Files.Count(f => f.Status == FileStatus.Failed);
    public int Skipped => Files.Count(f => f.Status == FileStatus.Skipped);
    public long RowsRead => Files.Sum(f => (long)f.RowsRead);
    public long DuplicatesRemoved => Files.Sum(f => (long)f.DuplicatesRemoved);
    public long RowsRejected => Files.Sum(f => (long)f.RowsRejected);
    public long RowsChanged => Files.Sum(f => (long)f.RowsChanged);
    public bool Succeeded => Error is null && Failed == 0;
}

/// <summary>The result of one orchestra run.</summary>
public sealed record RunReport(Guid RunId, DateTimeOffset StartedAt, TimeSpan Elapsed, IReadOnlyList<ChainReport> Chains)
{
    public long RowsRead => Chains.Sum(c => c.RowsRead);
    public long RowsChanged => Chains.Sum(c => c.RowsChanged);
    public long DuplicatesRemoved => Chains.Sum(c => c.DuplicatesRemoved);
    public int FilesCompleted => Chains.Sum(c => c.Completed);
    public int FilesFailed => Chains.Sum(c => c.Failed);
    public int FilesSkipped => Chains.Sum(c => c.Skipped);
    public int ChainsFailed => Chains.Count(c => c.Error is not null);
    public bool Succeeded => Chains.All(c => c.Succeeded);
}
