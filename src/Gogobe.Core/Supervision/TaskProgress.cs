using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Supervision;

/// <summary>
/// A task's progress (0–100) and phase from the orchestrator's callbacks: files planned, then files finished. Passes
/// every callback on to <paramref name="inner"/> (e.g. the console progress of <c>gogobe run</c>).
/// </summary>
internal sealed class TaskProgress(IRunObserver? inner) : IRunObserver
{
    private readonly Lock _gate = new();
    private int _planned = -1;
    private int _finished;
    private bool _done;

    public (int Progress, string Phase) Current
    {
        get
        {
            lock (_gate)
            {
                if (_done)
                {
                    return (100, "done");
                }

                if (_planned < 0)
                {
                    return (0, "listing");
                }

                // 99 at most until the chain reports back: the last file's commit is not the chain's end.
                return _planned == 0 ? (99, "files 0/0") : (Math.Min(99, _finished * 100 / _planned), $"files {_finished}/{_planned}");
            }
        }
    }

    public void ChainStarted(Chain chain) => inner?.ChainStarted(chain);

    public void FilesPlanned(Chain chain, int files)
    {
        lock (_gate)
        {
            _planned = files;
        }

        inner?.FilesPlanned(chain, files);
    }

    public void FileFinished(Chain chain, FileOutcome outcome)
    {
        lock (_gate)
        {
            _finished++;
        }

        inner?.FileFinished(chain, outcome);
    }

    public void ChainFinished(ChainReport report)
    {
        lock (_gate)
        {
            _done = true;
        }

        inner?.ChainFinished(report);
    }
}
