using Gogobe.Core.Scraping;

namespace Gogobe.Core.Orchestration;

/// <summary>Progress of a run as it happens (console progress, tests). Called from several threads at once.</summary>
public interface IRunObserver
{
    void ChainStarted(Chain chain);

    void FilesPlanned(Chain chain, int files);

    void FileFinished(Chain chain, FileOutcome outcome);

    void ChainFinished(ChainReport report);
}
