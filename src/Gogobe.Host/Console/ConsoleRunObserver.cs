using System.Collections.Concurrent;
using System.Diagnostics;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Spectre.Console;

namespace Gogobe.Host.Console;

/// <summary>
/// Shows a run's progress as lines (one per chain event and at most one progress line per chain every few seconds),
/// which reads well both in a terminal and in a CI log, unlike a redrawn display.
/// </summary>
internal sealed class ConsoleRunObserver(IAnsiConsole console) : IRunObserver
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<string, ChainProgress> _chains = new(StringComparer.Ordinal);
    private readonly long _started = Stopwatch.GetTimestamp();

    public void ChainStarted(Chain chain)
    {
        _chains[chain.Id] = new ChainProgress();
        Write($"[blue]{Markup.Escape(chain.Name)}[/]: listing files");
    }

    public void FilesPlanned(Chain chain, int files)
    {
        _chains[chain.Id].Planned = files;
        Write($"[blue]{Markup.Escape(chain.Name)}[/]: {files} files to process");
    }

    public void FileFinished(Chain chain, FileOutcome outcome)
    {
        var progress = _chains[chain.Id];
        var done = Interlocked.Increment(ref progress.Done);
        Interlocked.Add(ref progress.Rows, outcome.RowsRead);
        if (outcome.Status == FileStatus.Failed)
        {
            Write($"[red]{Markup.Escape(chain.Name)}[/]: {Markup.Escape(outcome.FileName)} failed: {Markup.Escape(outcome.Reason ?? string.Empty)}");
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (done == progress.Planned || Stopwatch.GetElapsedTime(progress.LastShown, now) >= ProgressEvery)
        {
            progress.LastShown = now;
            Write($"{Markup.Escape(chain.Name)}: {done}/{progress.Planned} files, {progress.Rows:N0} rows");
        }
    }

    public void ChainFinished(ChainReport report)
    {
        var name = Markup.Escape(report.Chain.Name);
        Write(report.Error is null
            ? $"[green]{name}[/]: done — {report.Completed} completed, {report.Skipped} skipped, {report.Failed} failed, {report.RowsRead:N0} rows in {report.Elapsed.TotalSeconds:F1} s"
            : $"[red]{name}[/]: failed — {Markup.Escape(report.Error)}");
    }

    private void Write(string markup)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        lock (console)
        {
            console.MarkupLine($"[grey]{elapsed:mm\\:ss}[/] {markup}");
        }
    }

    private sealed class ChainProgress
    {
        public int Planned;
        public int Done;
        public long Rows;
        public long LastShown;
    }
}
