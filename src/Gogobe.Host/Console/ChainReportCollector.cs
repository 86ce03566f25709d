using System.Collections.Concurrent;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;

namespace Gogobe.Host.Console;

/// <summary>Keeps each chain's latest report (a retried chain reports once per attempt) and passes every callback on.</summary>
internal sealed class ChainReportCollector(IRunObserver inner) : IRunObserver
{
    private readonly ConcurrentDictionary<string, ChainReport> _reports = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ChainReport> Reports => _reports;

    public void ChainStarted(Chain chain) => inner.ChainStarted(chain);

    public void FilesPlanned(Chain chain, int files) => inner.FilesPlanned(chain, files);

    public void FileFinished(Chain chain, FileOutcome outcome) => inner.FileFinished(chain, outcome);

    public void ChainFinished(ChainReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _reports[report.Chain.Id] = report;
        inner.ChainFinished(report);
    }
}
