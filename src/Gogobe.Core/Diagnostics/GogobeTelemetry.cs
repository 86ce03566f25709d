using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gogobe.Core.Diagnostics;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one <see cref="Meter"/> of Gogobe, both named <see cref="Name"/>, and
/// the instruments the pipeline records on. Static on purpose: both are process-wide, cost nothing while no listener
/// (an OpenTelemetry provider) subscribes, and the exporters are chosen by the host, never here.
/// </summary>
public static class GogobeTelemetry
{
    /// <summary>The name of the activity source and of the meter: subscribe to this.</summary>
    public const string Name = "Gogobe";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Rows seen in files (accepted and rejected, before deduplication), as <c>RunReport.RowsRead</c> counts them.</summary>
    public static readonly Counter<long> RowsRead =
        Meter.CreateCounter<long>("gogobe.rows.read", "{row}", "Rows read from price files (accepted and rejected, before deduplication).");

    public static readonly Counter<long> RowsChanged =
        Meter.CreateCounter<long>("gogobe.rows.changed", "{row}", "Rows whose stored value changed (new or changed prices, stores, promotions).");

    public static readonly Counter<long> RowsRejected =
        Meter.CreateCounter<long>("gogobe.rows.rejected", "{row}", "Rows rejected as unreadable (missing code, bad or absurd price, ...).");

    public static readonly Counter<long> DuplicatesRemoved =
        Meter.CreateCounter<long>("gogobe.duplicates.removed", "{row}", "Rows dropped because the same file repeated them.");

    /// <summary>Files by <see cref="Attributes.Outcome"/>: completed, failed or skipped.</summary>
    public static readonly Counter<long> Files =
        Meter.CreateCounter<long>("gogobe.files", "{file}", "Files processed, by outcome (completed, failed, skipped).");

    public static readonly Counter<long> BytesDownloaded =
        Meter.CreateCounter<long>("gogobe.bytes.downloaded", "By", "Raw bytes read from portal download streams (compressed, as served).");

    /// <summary>
    /// Per file, the time the parser spent waiting on the download stream's reads (the download's share of the parse
    /// span, which streams the body). The benchmark's time split subtracts it from parse.
    /// </summary>
    public static readonly Histogram<double> DownloadWait =
        Meter.CreateHistogram<double>("gogobe.download.wait", "s", "Time spent waiting on a file's download stream while parsing it.");

    public static readonly Histogram<double> FileDuration =
        Meter.CreateHistogram<double>("gogobe.file.duration", "s", "Time to download, parse and write one file.");

    public static readonly Histogram<double> ChainDuration =
        Meter.CreateHistogram<double>("gogobe.chain.duration", "s", "Time to list and process all files of one chain in a run.");

    public static readonly UpDownCounter<long> TasksActive =
        Meter.CreateUpDownCounter<long>("gogobe.tasks.active", "{chain}", "Chains being processed right now.");

    /// <summary>Defined here so every instrument lives in one place; the dashboard's event stream records on it.</summary>
    public static readonly UpDownCounter<long> SseClients =
        Meter.CreateUpDownCounter<long>("gogobe.sse.clients", "{client}", "Dashboard clients connected to the live event stream.");

    /// <summary>The values of <see cref="Attributes.Outcome"/>.</summary>
    public static class Outcomes
    {
        public const string Completed = "completed";
        public const string Failed = "failed";
        public const string Skipped = "skipped";
    }

    /// <summary>Attribute (span) and tag (metric) names.</summary>
    public static class Attributes
    {
        public const string RunId = "gogobe.run.id";
        public const string Chains = "gogobe.run.chains";
        public const string ChainName = "gogobe.chain.name";
        public const string ChainId = "gogobe.chain.id";
        public const string FilesListed = "gogobe.chain.files_listed";
        public const string FilesPlanned = "gogobe.chain.files_planned";
        public const string FilesCompleted = "gogobe.chain.files_completed";
        public const string FilesFailed = "gogobe.chain.files_failed";
        public const string FilesSkipped = "gogobe.chain.files_skipped";
        public const string FileName = "gogobe.file.name";
        public const string FileKind = "gogobe.file.kind";
        public const string StoreId = "gogobe.store.id";
        public const string Outcome = "gogobe.file.outcome";
        public const string Rows = "gogobe.file.rows";
        public const string RowsChanged = "gogobe.file.rows_changed";
        public const string RowsRejected = "gogobe.file.rows_rejected";
        public const string Duplicates = "gogobe.file.duplicates_removed";
        public const string Bytes = "gogobe.file.bytes";
    }
}
