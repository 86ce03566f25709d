using System.Diagnostics;
using System.Threading.Channels;
using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Orchestration;

/// <summary>
/// Streams one file from the portal into the database: download → decompress → decode → parse on a worker thread,
/// batches through a small bounded channel to the writer, so parsing and COPY overlap and memory stays flat
/// whatever the file's size. Everything is written in the file's one transaction; any failure rolls it back and
/// marks only this file failed.
/// </summary>
internal sealed class FileIngestor(IFileLog log, IPriceSink sink, RunOptions options)
{
    /// <param name="read">Called once the file's reading is over (download closed, every row handed to the writer) and
    /// only its completion remains; not called when the reading fails.</param>
    public async Task<FileOutcome> IngestAsync(
        SupermarketScraper scraper, PlannedFile planned, ScrapeContext context, Guid runId, Action? read, CancellationToken cancellationToken)
    {
        var name = planned.Name;
        var started = Stopwatch.GetTimestamp();
        var entry = new FileLogStart(runId, scraper.Chain.Name, scraper.Chain.Id, name.StoreId, planned.File.Name, name.Kind);
        using var activity = PipelineTelemetry.StartFile(scraper.Chain, planned.File.Name, name.Kind.ToString(), name.StoreId);
        var logId = await log.StartAsync(entry, cancellationToken).ConfigureAwait(false);
        var stats = new ReadStats();
        var duplicates = 0;
        DownloadCountingStream? counted = null;
        try
        {
            await using var raw = Counted(
                await PipelineTelemetry.TraceAsync("download", () => scraper.OpenAsync(planned.File, context, cancellationToken)).ConfigureAwait(false),
                scraper.Chain, out counted);
            await using var writer = await sink.BeginFileAsync(
                logId, new FileTarget(scraper.Chain.Id, name.StoreId, name.Kind, planned.File.Name), cancellationToken).ConfigureAwait(false);

            // The parser runs on a worker thread: its span names the file span as parent explicitly.
            var parent = activity?.Context ?? default;
            duplicates = name.Kind switch
            {
                FileKind.Stores =>
                    await PumpAsync<StoreRow>(raw, stats, StoreBatches, writer.WriteStoresAsync, parent, cancellationToken).ConfigureAwait(false),
                FileKind.PromoFull or FileKind.Promo =>
                    await PumpAsync<PromotionRow>(raw, stats, PromotionBatches, writer.WritePromotionsAsync, parent, cancellationToken).ConfigureAwait(false),
                _ => await PumpAsync<PriceRow>(raw, stats, PriceBatches, writer.WritePricesAsync, parent, cancellationToken).ConfigureAwait(false),
            };

            // The reader closed the download already (disposing the decoded file closes it); closing it here too says
            // so, since the chain's next file may start downloading once this is signalled.
            await raw.DisposeAsync().ConfigureAwait(false);
            read?.Invoke();
            RejectIfTooManyRejects(stats);
            var result = await PipelineTelemetry.TraceAsync("write", () => writer.CompleteAsync(Counts(stats, duplicates), cancellationToken))
                .ConfigureAwait(false);
            var completed = new FileOutcome(planned.File.Name, name.Kind, name.StoreId, FileStatus.Completed, result.RowsRead,
                result.DuplicatesRemoved, result.RowsRejected, result.RowsChanged, null, Stopwatch.GetElapsedTime(started));
            activity.Finish(completed);
            return completed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = FailureReasons.Describe(ex);
            activity?.AddException(ex);
            await log.FailAsync(logId, reason, Counts(stats, duplicates), CancellationToken.None).ConfigureAwait(false);
            var failed = new FileOutcome(planned.File.Name, name.Kind, name.StoreId, FileStatus.Failed, stats.RowsRead + stats.RowsRejected,
                duplicates, stats.RowsRejected, 0, reason, Stopwatch.GetElapsedTime(started));
            activity.Finish(failed);
            return failed;
        }
        catch (OperationCanceledException)
        {
            // The transaction was rolled back by disposing the writer; say so in the log before giving up.
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled: the run was stopped or this chain was aborted");
            await log.FailAsync(logId, "cancelled: the run was stopped or this chain was aborted", Counts(stats, duplicates), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            activity?.SetTag(GogobeTelemetry.Attributes.Bytes, counted?.BytesRead);
            if (counted is not null)
            {
                GogobeTelemetry.DownloadWait.Record(counted.WaitTime.TotalSeconds, PipelineTelemetry.ChainTag(scraper.Chain));
            }
        }
    }

    /// <summary>
    /// Counts a download's bytes as they are read. Only a forward-only stream (a real download) is wrapped: wrapping a
    /// seekable one would hide its seekability from the reader (zips would be spooled to disk); its length is counted instead.
    /// </summary>
    private static Stream Counted(Stream raw, Chain chain, out DownloadCountingStream? counted)
    {
        if (raw.CanSeek)
        {
            counted = null;
            GogobeTelemetry.BytesDownloaded.Add(raw.Length - raw.Position, PipelineTelemetry.ChainTag(chain));
            return raw;
        }

        counted = new DownloadCountingStream(raw, PipelineTelemetry.ChainTag(chain));
        return counted;
    }

    private static FileCounts Counts(ReadStats stats, int duplicates) =>
        new(stats.RowsRead + stats.RowsRejected, duplicates, stats.RowsRejected, stats.RejectsByReason, Note(stats));

    /// <summary>What an operator should notice on a file that completed: empty, repaired values, unreadable optional values.</summary>
    private static string? Note(ReadStats stats)
    {
        var notes = new List<string>();
        if (stats.RowsRead + stats.RowsRejected == 0)
        {
            notes.Add("empty file");
        }

        if (stats.Repairs > 0)
        {
            notes.Add($"{stats.Repairs} values repaired");
        }

        notes.AddRange(stats.WarningsByReason.OrderByDescending(w => w.Value).Select(w => $"{w.Key} ×{w.Value}"));
        return notes.Count == 0 ? null : string.Join("; ", notes);
    }

    /// <summary>
    /// A file whose rows are mostly rejected is not a file with a few bad rows: its format changed or it is garbage,
    /// and completing it would quietly drop most of a store's prices.
    /// </summary>
    private void RejectIfTooManyRejects(ReadStats stats)
    {
        var total = stats.RowsRead + stats.RowsRejected;
        if (total == 0 || stats.RowsRejected <= options.MaxRejectedShare * total)
        {
            return;
        }

        var reasons = string.Join(", ", stats.RejectsByReason.OrderByDescending(r => r.Value).Take(3).Select(r => $"{r.Key} ×{r.Value}"));
        throw new InvalidDataException(
            $"{stats.RowsRejected} of {total} rows rejected ({reasons}), more than the {options.MaxRejectedShare:P0} a file may lose");
    }

    /// <summary>
    /// Runs <paramref name="produce"/> on a worker thread (XmlReader is synchronous and CPU-bound) and writes its
    /// batches as they come. At most two batches are in flight (one parsed, one being written): the parser blocks on
    /// a semaphore while the writer catches up, which is the back-pressure that keeps memory flat.
    /// Returns the duplicates removed in memory.
    /// </summary>
    private static async Task<int> PumpAsync<T>(
        Stream raw,
        ReadStats stats,
        Func<Stream, ReadStats, Action<T[]>, CancellationToken, int> produce,
        Func<IReadOnlyCollection<T>, CancellationToken, Task> write,
        ActivityContext parent,
        CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<T[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var slots = new SemaphoreSlim(2, 2);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        // A dedicated thread, not a pool thread: the parser blocks (synchronous reads of the download, the back-pressure
        // semaphore) for the whole file, and with files in parallel on a small machine parsers holding every pool thread
        // starved the async work they wait on — the COPY's continuations and the download's own I/O completions.
        var producer = Task.Factory.StartNew(
            () =>
            {
                using var parse = GogobeTelemetry.Source.StartActivity("parse", ActivityKind.Internal, parent);
                try
                {
                    var removed = produce(raw, stats, batch => { slots.Wait(token); channel.Writer.TryWrite(batch); }, token);
                    channel.Writer.Complete();
                    parse?.SetTag(GogobeTelemetry.Attributes.Rows, stats.RowsRead + stats.RowsRejected);
                    return removed;
                }
                catch (Exception ex)
                {
                    parse.Fail(ex);
                    channel.Writer.Complete(ex);
                    throw;
                }
            },
            token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                await write(batch, token).ConfigureAwait(false);
                slots.Release();
            }
        }
        catch
        {
            // Stop the parser before reporting the failure, so it does not outlive the file.
            await linked.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(producer).ConfigureAwait(false);
            throw;
        }

        return await producer.ConfigureAwait(false);
    }

    private int PriceBatches(Stream raw, ReadStats stats, Action<PriceRow[]> send, CancellationToken cancellationToken)
    {
        using var decoded = PriceFileReader.Open(raw);
        var batch = new PriceBatch(options.BatchSize);
        foreach (var row in PriceFileReader.ReadPrices(decoded, stats, cancellationToken))
        {
            batch.Add(row);
            if (batch.IsFull)
            {
                send(batch.Drain());
            }
        }

        if (batch.Count > 0)
        {
            send(batch.Drain());
        }

        return batch.DuplicatesRemoved;
    }

    private int PromotionBatches(Stream raw, ReadStats stats, Action<PromotionRow[]> send, CancellationToken cancellationToken)
    {
        using var decoded = PriceFileReader.Open(raw);
        var batch = new List<PromotionRow>(options.BatchSize);
        foreach (var row in PriceFileReader.ReadPromotions(decoded, stats, cancellationToken))
        {
            batch.Add(row);
            if (batch.Count >= options.BatchSize)
            {
                send([.. batch]);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            send([.. batch]);
        }

        // Promotions repeated in one file are resolved by the writer (last occurrence wins), which counts them.
        return 0;
    }

    private int StoreBatches(Stream raw, ReadStats stats, Action<StoreRow[]> send, CancellationToken cancellationToken)
    {
        using var decoded = PriceFileReader.Open(raw);
        var stores = new Dictionary<int, StoreRow>();
        var duplicates = 0;
        foreach (var row in PriceFileReader.ReadStores(decoded, stats, cancellationToken))
        {
            if (!stores.TryAdd(row.StoreId, row))
            {
                stores[row.StoreId] = row;
                duplicates++;
            }

            if (stores.Count >= options.BatchSize)
            {
                send([.. stores.Values]);
                stores.Clear();
            }
        }

        if (stores.Count > 0)
        {
            send([.. stores.Values]);
        }

        return duplicates;
    }
}
