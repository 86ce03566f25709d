using System.Diagnostics;
using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.Core.Scraping;
using Microsoft.Extensions.Logging;

namespace Gogobe.Core.Orchestration;

/// <summary>
/// Runs scrapers in parallel (a bounded <see cref="Parallel.ForEachAsync(IEnumerable{T}, ParallelOptions, Func{T, CancellationToken, ValueTask})"/>
/// pool, one chain per worker); within a chain, files are read one after another through <see cref="FileIngestor"/>
/// (a price file's completion overlaps the reading of the next one: see <c>IngestFilesAsync</c>).
/// One chain's failure never stops another: it is reported on that chain and recorded in the file log.
/// </summary>
public sealed partial class Orchestrator(IFileLog log, IPriceSink sink, TimeProvider time, ILoggerFactory loggerFactory)
{
    private const string DoneTodayReason = "already completed today (one pass daily; --force to redo)";

    private readonly ILogger _logger = loggerFactory.CreateLogger<Orchestrator>();

    public async Task<RunReport> RunAsync(
        IReadOnlyList<SupermarketScraper> scrapers, RunOptions options, IRunObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scrapers);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var runId = options.RunId ?? Guid.CreateVersion7(time.GetUtcNow());
        var startedAt = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        // Every line of this run, from any logger, carries its run id (per-run log files route on it).
        using var runScope = _logger.BeginScope(LogScope.ForRun(runId));
        LogRunStarted(runId, scrapers.Count, options.MaxDegreeOfParallelism);
        using var activity = GogobeTelemetry.Source.StartActivity("gogobe.run");
        activity?.SetTag(GogobeTelemetry.Attributes.RunId, runId.ToString()).SetTag(GogobeTelemetry.Attributes.Chains, scrapers.Count);
        try
        {
            await sink.EnsureChainsAsync([.. scrapers.Select(s => s.Chain)], cancellationToken).ConfigureAwait(false);
            var reports = new ChainReport[scrapers.Count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
            // The chain spans name their parent explicitly rather than trusting Activity.Current to flow into the pool's workers.
            var parent = activity?.Context ?? default;
            await Parallel.ForEachAsync(
                Enumerable.Range(0, scrapers.Count),
                parallel,
                async (index, ct) => reports[index] = await RunChainAsync(scrapers[index], options, observer, runId, parent, ct).ConfigureAwait(false))
                .ConfigureAwait(false);

            var report = new RunReport(runId, startedAt, Stopwatch.GetElapsedTime(started), reports);
            LogRunFinished(runId, report.FilesCompleted, report.FilesFailed, report.FilesSkipped, report.RowsRead, report.Elapsed.TotalSeconds);
            if (!report.Succeeded)
            {
                activity?.SetStatus(ActivityStatusCode.Error, $"{report.ChainsFailed} chains and {report.FilesFailed} files failed");
            }

            return report;
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            throw;
        }
    }

    /// <summary>
    /// Runs one chain of run <paramref name="runId"/> (the supervisor's unit of work: one task = one chain). Same path as
    /// <see cref="RunAsync"/>'s per-chain work; a chain failure is reported in the <see cref="ChainReport"/>, a cancelled
    /// <paramref name="cancellationToken"/> throws.
    /// </summary>
    public async Task<ChainReport> RunChainAsync(
        SupermarketScraper scraper, RunOptions options, IRunObserver? observer, Guid runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scraper);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await sink.EnsureChainsAsync([scraper.Chain], cancellationToken).ConfigureAwait(false);
        return await RunChainAsync(scraper, options, observer, runId, parent: default, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ChainReport> RunChainAsync(
        SupermarketScraper scraper, RunOptions options, IRunObserver? observer, Guid runId, ActivityContext parent,
        CancellationToken cancellationToken)
    {
        var chain = scraper.Chain;
        var started = Stopwatch.GetTimestamp();
        using var chainScope = _logger.BeginScope(LogScope.ForChain(runId, scraper));
        using var activity = GogobeTelemetry.Source.StartActivity("gogobe.chain", ActivityKind.Internal, parent);
        activity?.SetTag(GogobeTelemetry.Attributes.ChainName, chain.Name).SetTag(GogobeTelemetry.Attributes.ChainId, chain.Id);
        using var active = PipelineTelemetry.ChainActive(chain);
        observer?.ChainStarted(chain);
        var outcomes = new List<FileOutcome>();
        FilePlan? plan = null;
        var listed = 0;
        string? error = null;
        string? notice = null;
        var abort = options.ChainAbort?.Invoke(chain) ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abort);
        var chainToken = linked.Token;
        using var http = options.HttpClientFactory(chain);
        var portal = options.PortalAddress?.Invoke(scraper.Portal.Address) ?? scraper.Portal.Address;
        var context = new ScrapeContext(http, portal, time, loggerFactory.CreateLogger(scraper.GetType()))
        {
            CertificatePin = options.CertificatePins.GetValueOrDefault(portal.Host),
        };
        try
        {
            var listing = await PipelineTelemetry.TraceAsync("list", () => ListAsync(scraper, context, chainToken)).ConfigureAwait(false);
            listed = listing.Count;
            plan = FilePlanner.Plan(listing);
            foreach (var group in plan.Unrecognised.GroupBy(odd => UnrecognisedReason(odd.Name)))
            {
                foreach (var odd in group)
                {
                    LogUnrecognisedName(chain.Name, odd.Name, group.Key);
                    activity?.AddEvent(new ActivityEvent("gogobe.file.unrecognised", tags: new ActivityTagsCollection
                    {
                        [GogobeTelemetry.Attributes.FileName] = odd.Name,
                        ["gogobe.reason"] = group.Key,
                    }));
                }

                await log.SkipAsync([.. group.Select(odd => new FileLogStart(runId, chain.Name, chain.Id, null, odd.Name, null))], group.Key, chainToken)
                    .ConfigureAwait(false);
            }

            observer?.FilesPlanned(chain, plan.Files.Count);
            activity?.SetTag(GogobeTelemetry.Attributes.FilesPlanned, plan.Files.Count);
            var ingestor = new FileIngestor(log, sink, options);
            // Logged under the chain's main id (see Chain.OtherIds), so that is the id to look up.
            var doneToday = options.Force
                ? new HashSet<(int StoreId, FileKind Kind)>()
                : await log.CompletedOnAsync(chain.Id, IsraelClock.Today(time), chainToken).ConfigureAwait(false);
            await IngestFilesAsync(scraper, plan.Files, doneToday, ingestor, context, runId, outcomes, observer, chainToken).ConfigureAwait(false);
            ThrowIfEveryLinkIsDead(chain, outcomes);
        }
        catch (NoFilesYetException ex)
        {
            // Early morning: the portal has not published today's files yet. Expected, so not an error.
            notice = ex.Message;
            LogNoFilesYet(chain.Name, ex.Message);
            await log.SkipAsync([new FileLogStart(runId, chain.Name, chain.Id, null, "(listing)", null)], ex.Message, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The chain as a whole failed (login, listing, portal down): record it where the fleet view looks.
            // A chain aborted on its own (not the run) ends like a failed chain, with a reason the operator recognises.
            error = ex is OperationCanceledException && abort.IsCancellationRequested ? "aborted" : FailureReasons.Describe(ex);
            LogChainFailed(chain.Name, error);
            LogChainFailure(ex, chain.Name);
            var entry = new FileLogStart(runId, chain.Name, chain.Id, null, "(listing)", null);
            var logId = await log.StartAsync(entry, CancellationToken.None).ConfigureAwait(false);
            await log.FailAsync(logId, error, FileCounts.None, CancellationToken.None).ConfigureAwait(false);
        }

        var report = new ChainReport(chain, outcomes, listed, plan?.Placeholders ?? 0, plan?.Superseded ?? 0,
            plan?.Unrecognised.Count ?? 0, error, Stopwatch.GetElapsedTime(started), notice);
        PipelineTelemetry.RecordChain(activity, report);
        observer?.ChainFinished(report);
        return report;
    }

    /// <summary>
    /// The chain's files, in plan order. A price file's completion (its changed prices written, its transaction committed:
    /// database work) overlaps the reading of the chain's next price file when that is another store's, so the chain's
    /// worker is not idle while PostgreSQL commits. One file completes while one is read, never more; the scraper is still
    /// called for one file at a time (a file's download is closed when its reading ends); outcomes are recorded in order.
    /// Only price files of different stores overlap: each locks its own store, so they cannot wait on each other.
    /// </summary>
    private async Task IngestFilesAsync(
        SupermarketScraper scraper, IReadOnlyList<PlannedFile> files, IReadOnlySet<(int StoreId, FileKind Kind)> doneToday,
        FileIngestor ingestor, ScrapeContext context, Guid runId, List<FileOutcome> outcomes, IRunObserver? observer,
        CancellationToken cancellationToken)
    {
        var chain = scraper.Chain;
        var skipped = new List<FileLogStart>();
        Task<FileOutcome>? completing = null;
        PlannedFile? completingFile = null;
        try
        {
            foreach (var planned in files)
            {
                if (doneToday.Contains((planned.Name.StoreId, planned.Name.Kind)))
                {
                    await RecordCompletingAsync().ConfigureAwait(false);
                    Record(Skip(chain, planned, runId, skipped));
                    continue;
                }

                if (completingFile is not null && !MayOverlap(completingFile, planned))
                {
                    await RecordCompletingAsync().ConfigureAwait(false);
                }

                // Skips are logged in one statement, before the next file starts so the log keeps its order.
                await log.SkipAsync(skipped, DoneTodayReason, cancellationToken).ConfigureAwait(false);
                skipped.Clear();
                var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var ingesting = ingestor.IngestAsync(scraper, planned, context, runId, read.SetResult, cancellationToken);
                await Task.WhenAny(read.Task, ingesting).ConfigureAwait(false);
                try
                {
                    await RecordCompletingAsync().ConfigureAwait(false);
                }
                finally
                {
                    (completing, completingFile) = (ingesting, planned);
                }

                if (ingesting.IsCompleted)
                {
                    // It ended before its reading did (failed, or cancelled: that throws here, stopping the chain as before).
                    await RecordCompletingAsync().ConfigureAwait(false);
                }
            }

            await RecordCompletingAsync().ConfigureAwait(false);
            await log.SkipAsync(skipped, DoneTodayReason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A failure or cancellation between files: the file still completing ends first (its own cancellation
            // rolls it back), so nothing outlives the chain.
            if (completing is not null)
            {
                await Task.WhenAny(completing).ConfigureAwait(false);
                _ = completing.Exception; // observed: the failure that got here is the one reported
            }
        }

        async Task RecordCompletingAsync()
        {
            if (completing is null)
            {
                return;
            }

            var outcome = await completing.ConfigureAwait(false);
            (completing, completingFile) = (null, null);
            Record(outcome);
        }

        void Record(FileOutcome outcome)
        {
            if (outcome.Status == FileStatus.Failed)
            {
                LogFileFailed(chain.Name, outcome.FileName, outcome.Reason);
            }

            PipelineTelemetry.RecordFile(chain, outcome);
            outcomes.Add(outcome);
            observer?.FileFinished(chain, outcome);
        }
    }

    /// <summary>
    /// Every file the chain tried answered 404 (two or more: one withdrawn file is that file's failure): the portal's links
    /// changed, not its files. The chain fails saying so, where the fleet view looks, instead of ending "done" with nothing
    /// but failed files.
    /// </summary>
    private static void ThrowIfEveryLinkIsDead(Chain chain, List<FileOutcome> outcomes)
    {
        var tried = outcomes.Where(o => o.Status != FileStatus.Skipped).ToList();
        if (tried.Count >= 2 && tried.All(o => o.Status == FileStatus.Failed && FailureReasons.IsNotFound(o.Reason)))
        {
            throw new PortalChangedException(chain, "download", $"each of the {tried.Count} file links listed (first: {tried[0].FileName})",
                "answered 404 Not Found");
        }
    }

    private static bool MayOverlap(PlannedFile completing, PlannedFile next) =>
        IsPriceFile(completing.Name.Kind) && IsPriceFile(next.Name.Kind) && completing.Name.StoreId != next.Name.StoreId;

    private static bool IsPriceFile(FileKind kind) => kind is FileKind.PriceFull or FileKind.Price;

    private static async Task<List<PublishedFile>> ListAsync(SupermarketScraper scraper, ScrapeContext context, CancellationToken cancellationToken)
    {
        var listing = new List<PublishedFile>();
        await foreach (var file in scraper.ListFilesAsync(context, cancellationToken).ConfigureAwait(false))
        {
            listing.Add(file);
        }

        return listing;
    }

    private static string UnrecognisedReason(string fileName) =>
        // Portal names are untrusted input: say so when one is not merely unfamiliar but unsafe.
        PriceFileName.IsSafeFileName(fileName)
            ? "file name matches neither naming scheme"
            : "unsafe file name refused (path or control characters)";

    /// <summary>A file of a (store, kind) already completed today: its outcome now, its log row with the chain's next batch of skips.</summary>
    private static FileOutcome Skip(Chain chain, PlannedFile planned, Guid runId, List<FileLogStart> skipped)
    {
        var name = planned.Name;
        using var activity = PipelineTelemetry.StartFile(chain, planned.File.Name, name.Kind.ToString(), name.StoreId);
        skipped.Add(new FileLogStart(runId, chain.Name, chain.Id, name.StoreId, planned.File.Name, name.Kind));
        var outcome = new FileOutcome(planned.File.Name, name.Kind, name.StoreId, FileStatus.Skipped, 0, 0, 0, 0, DoneTodayReason, TimeSpan.Zero);
        activity.Finish(outcome);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} started: {Chains} chains, {Parallelism} at a time")]
    private partial void LogRunStarted(Guid runId, int chains, int parallelism);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Run {RunId} finished: {Completed} files completed, {Failed} failed, {Skipped} skipped, {Rows} rows in {Seconds:F1} s")]
    private partial void LogRunFinished(Guid runId, int completed, int failed, int skipped, long rows, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Chain}: {Reason}: {FileName}")]
    private partial void LogUnrecognisedName(string chain, string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Chain}: file {FileName} failed: {Reason}")]
    private partial void LogFileFailed(string chain, string fileName, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Chain}: {Notice}")]
    private partial void LogNoFilesYet(string chain, string notice);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Chain}: chain failed: {Reason}")]
    private partial void LogChainFailed(string chain, string reason);

    // The stack trace is for whoever debugs a scraper, not for the operator's console.
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Chain}: chain failure details")]
    private partial void LogChainFailure(Exception exception, string chain);
}
