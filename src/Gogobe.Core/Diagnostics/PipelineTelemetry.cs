using System.Diagnostics;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using static Gogobe.Core.Diagnostics.GogobeTelemetry;

namespace Gogobe.Core.Diagnostics;

/// <summary>
/// What the orchestrator and the file ingestor record, kept here so the pipeline code stays about the pipeline.
/// File metrics are taken from the same <see cref="FileOutcome"/> the <see cref="RunReport"/> sums, so the counters
/// and the run summary always agree.
/// </summary>
internal static class PipelineTelemetry
{
    /// <summary>Runs <paramref name="action"/> inside a span named <paramref name="name"/>, marked failed when it throws.</summary>
    public static async Task<T> TraceAsync<T>(string name, Func<Task<T>> action)
    {
        using var activity = Source.StartActivity(name);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            throw;
        }
    }

    /// <summary>Sets Error status with the same one-line reason the file log gets, and records the exception.</summary>
    public static void Fail(this Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, FailureReasons.Describe(exception));
        activity.AddException(exception);
    }

    public static Activity? StartFile(Chain chain, string fileName, string? kind, int? storeId)
    {
        var activity = Source.StartActivity("gogobe.file");
        activity?.SetTag(Attributes.ChainId, chain.Id)
            .SetTag(Attributes.FileName, fileName)
            .SetTag(Attributes.FileKind, kind)
            .SetTag(Attributes.StoreId, storeId);
        return activity;
    }

    /// <summary>The file span's outcome tags; a failed file's span gets Error status with the file's reason.</summary>
    public static void Finish(this Activity? activity, FileOutcome outcome)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Attributes.Outcome, OutcomeOf(outcome.Status))
            .SetTag(Attributes.Rows, outcome.RowsRead)
            .SetTag(Attributes.RowsChanged, outcome.RowsChanged)
            .SetTag(Attributes.RowsRejected, outcome.RowsRejected)
            .SetTag(Attributes.Duplicates, outcome.DuplicatesRemoved);
        if (outcome.Status == FileStatus.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome.Reason);
        }
    }

    public static void RecordFile(Chain chain, FileOutcome outcome)
    {
        var chainTag = ChainTag(chain);
        var kindTag = new KeyValuePair<string, object?>(Attributes.FileKind, outcome.Kind?.ToString());
        var outcomeTag = new KeyValuePair<string, object?>(Attributes.Outcome, OutcomeOf(outcome.Status));
        GogobeTelemetry.Files.Add(1, chainTag, kindTag, outcomeTag);
        if (outcome.Status == FileStatus.Skipped)
        {
            return;
        }

        RowsRead.Add(outcome.RowsRead, chainTag, kindTag);
        RowsChanged.Add(outcome.RowsChanged, chainTag, kindTag);
        RowsRejected.Add(outcome.RowsRejected, chainTag, kindTag);
        DuplicatesRemoved.Add(outcome.DuplicatesRemoved, chainTag, kindTag);
        FileDuration.Record(outcome.Elapsed.TotalSeconds, kindTag, outcomeTag);
    }

    public static void RecordChain(Activity? activity, ChainReport report)
    {
        ChainDuration.Record(report.Elapsed.TotalSeconds, ChainTag(report.Chain),
            new KeyValuePair<string, object?>(Attributes.Outcome, report.Error is null ? Outcomes.Completed : Outcomes.Failed));
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Attributes.FilesListed, report.FilesListed)
            .SetTag(Attributes.FilesCompleted, report.Completed)
            .SetTag(Attributes.FilesFailed, report.Failed)
            .SetTag(Attributes.FilesSkipped, report.Skipped);
        if (report.Error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, report.Error);
        }
    }

    /// <summary>Counts the chain in <see cref="TasksActive"/> until disposed.</summary>
    public static ActiveChain ChainActive(Chain chain) => new(ChainTag(chain));

    public static KeyValuePair<string, object?> ChainTag(Chain chain) => new(Attributes.ChainName, chain.Name);

    private static string OutcomeOf(FileStatus status) => status switch
    {
        FileStatus.Completed => Outcomes.Completed,
        FileStatus.Failed => Outcomes.Failed,
        _ => Outcomes.Skipped,
    };

    internal readonly struct ActiveChain : IDisposable
    {
        private readonly KeyValuePair<string, object?> _chainTag;

        public ActiveChain(KeyValuePair<string, object?> chainTag)
        {
            _chainTag = chainTag;
            TasksActive.Add(1, chainTag);
        }

        public void Dispose() => TasksActive.Add(-1, _chainTag);
    }
}
