using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;

namespace Gogobe.Host.Logging;

/// <summary>
/// Writes a run's progress to the log (one line per chain start, plan, file and chain end), so a chain's log file tells
/// its story file by file. The orchestrator calls observers inside the chain's logging scope, so these lines land in
/// that run's and that chain's files.
/// </summary>
internal sealed partial class FileOutcomeLogger(ILoggerFactory loggerFactory) : IRunObserver
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Gogobe.Run");

    public void ChainStarted(Chain chain) => LogChainStarted(chain.Name, chain.Id);

    public void FilesPlanned(Chain chain, int files) => LogFilesPlanned(files);

    public void FileFinished(Chain chain, FileOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        switch (outcome.Status)
        {
            case FileStatus.Completed:
                LogFileCompleted(outcome.FileName, outcome.RowsRead, outcome.DuplicatesRemoved, outcome.RowsRejected, outcome.RowsChanged,
                    outcome.Elapsed.TotalSeconds);
                break;
            case FileStatus.Skipped:
                LogFileSkipped(outcome.FileName, outcome.Reason);
                break;
            default:
                LogFileFailed(outcome.FileName, outcome.Reason);
                break;
        }
    }

    public void ChainFinished(ChainReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        LogChainFinished(report.Completed, report.Failed, report.Skipped, report.RowsRead, report.Elapsed.TotalSeconds);
    }

    [LoggerMessage(LogLevel.Information, "chain {ChainName} ({ChainId}) started: listing files")]
    private partial void LogChainStarted(string chainName, string chainId);

    [LoggerMessage(LogLevel.Information, "{Files} files to process")]
    private partial void LogFilesPlanned(int files);

    [LoggerMessage(LogLevel.Information,
        "{FileName} completed: {Rows} rows, {Duplicates} duplicates removed, {Rejected} rejected, {Changed} prices changed in {Seconds:F2} s")]
    private partial void LogFileCompleted(string fileName, int rows, int duplicates, int rejected, int changed, double seconds);

    [LoggerMessage(LogLevel.Information, "{FileName} skipped: {Reason}")]
    private partial void LogFileSkipped(string fileName, string? reason);

    [LoggerMessage(LogLevel.Warning, "{FileName} failed: {Reason}")]
    private partial void LogFileFailed(string fileName, string? reason);

    [LoggerMessage(LogLevel.Information,
        "chain finished: {Completed} completed, {Failed} failed, {Skipped} skipped, {Rows} rows in {Seconds:F1} s")]
    private partial void LogChainFinished(int completed, int failed, int skipped, long rows, double seconds);
}

/// <summary>Several observers as one (the console's progress lines and the log's).</summary>
internal sealed class RunObservers(params IRunObserver[] observers) : IRunObserver
{
    public void ChainStarted(Chain chain) => Array.ForEach(observers, o => o.ChainStarted(chain));

    public void FilesPlanned(Chain chain, int files) => Array.ForEach(observers, o => o.FilesPlanned(chain, files));

    public void FileFinished(Chain chain, FileOutcome outcome) => Array.ForEach(observers, o => o.FileFinished(chain, outcome));

    public void ChainFinished(ChainReport report) => Array.ForEach(observers, o => o.ChainFinished(report));
}
