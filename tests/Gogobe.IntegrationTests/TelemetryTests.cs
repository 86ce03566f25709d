using System.Diagnostics;
using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Gogobe.Host.Hosting;
using Gogobe.Simulator;
using Gogobe.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Attr = Gogobe.Core.Diagnostics.GogobeTelemetry.Attributes;

namespace Gogobe.IntegrationTests;

/// <summary>
/// The spans and metrics of a real demo run, caught by in-memory exporters behind the same instrumentation the
/// executable subscribes (<see cref="Telemetry.AddGogobeInstrumentation(TracerProviderBuilder)"/>), checked against the
/// run's own <see cref="RunReport"/>.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class TelemetryTests(PostgresFixture postgres)
{
    private static readonly string[] TwoChains = ["Shufersal", "RamiLevy"];

    [Fact]
    public async Task Run_TwoChainsTwoStoresOneCorruptFile_TracesTheTreeAndCountsWhatTheReportSays()
    {
        await using var demo = await DemoHarness.StartAsync(postgres, DemoHarness.Chains(TwoChains), stores: 2, items: 150);
        var rami = demo.Scrapers.Single(s => s.GetType().Name == "RamiLevy").Chain.Id;
        demo.World.InjectFault(rami, 2, FileKind.PriceFull, FileFault.CorruptGzip);
        using var capture = new Capture();

        var report = await demo.RunAsync();

        var metrics = capture.CollectMetrics();
        var trace = capture.TraceOf(report);

        // run → chain (one per chain, parent checked by id) → list and file → download / parse / write.
        var run = Assert.Single(trace, s => s.OperationName == "gogobe.run");
        Assert.Equal(default, run.ParentSpanId);
        var chains = trace.Where(s => s.OperationName == "gogobe.chain").ToList();
        Assert.Equal(2, chains.Count);
        Assert.All(chains, c => Assert.Equal(run.SpanId, c.ParentSpanId));
        Assert.Equal(
            report.Chains.Select(c => $"{c.Chain.Name}/{c.Chain.Id}").Order(StringComparer.Ordinal),
            chains.Select(c => $"{Tag(c, Attr.ChainName)}/{Tag(c, Attr.ChainId)}").Order(StringComparer.Ordinal));
        foreach (var chain in chains)
        {
            Assert.Single(trace, s => s.OperationName == "list" && s.ParentSpanId == chain.SpanId);
        }

        var outcomes = report.Chains.SelectMany(c => c.Files.Select(f => (Chain: c.Chain, File: f))).ToList();
        var files = trace.Where(s => s.OperationName == "gogobe.file").ToList();
        Assert.Equal(outcomes.Count, files.Count);
        foreach (var (chain, outcome) in outcomes)
        {
            var file = Assert.Single(files, f => Tag(f, Attr.FileName) == outcome.FileName);
            var parent = Assert.Single(chains, c => c.SpanId == file.ParentSpanId);
            Assert.Equal(chain.Id, Tag(parent, Attr.ChainId));
            Assert.Equal(outcome.Kind?.ToString(), Tag(file, Attr.FileKind));
            Assert.Equal(outcome.StoreId, file.GetTagItem(Attr.StoreId));
            Assert.Equal(outcome.RowsRead, file.GetTagItem(Attr.Rows));
            Assert.Equal(outcome.Status.ToString().ToLowerInvariant(), Tag(file, Attr.Outcome));

            var children = trace.Where(s => s.ParentSpanId == file.SpanId).Select(s => s.OperationName).Order().ToList();
            if (outcome.Status == FileStatus.Completed)
            {
                Assert.Equal(["download", "parse", "write"], children.Where(n => n is "download" or "parse" or "write"));
                // Beside the three stages only the write step's parts: store/product resolution and COPY batches.
                Assert.All(children.Where(n => n is not ("download" or "parse" or "write")), n => Assert.True(n is "copy" or "resolve", n));
                Assert.Equal(ActivityStatusCode.Unset, file.Status);
            }
        }

        // The corrupt file: its span and its parser's span are errors carrying the reason; nothing was written.
        var failedOutcome = Assert.Single(outcomes, o => o.File.Status == FileStatus.Failed).File;
        var failed = Assert.Single(files, f => f.Status == ActivityStatusCode.Error);
        Assert.Equal(failedOutcome.FileName, Tag(failed, Attr.FileName));
        Assert.Equal(failedOutcome.Reason, failed.StatusDescription);
        Assert.Contains("gzip", failed.StatusDescription, StringComparison.OrdinalIgnoreCase);
        var failedParse = Assert.Single(trace, s => s.OperationName == "parse" && s.ParentSpanId == failed.SpanId);
        Assert.Equal(ActivityStatusCode.Error, failedParse.Status);
        Assert.DoesNotContain(trace, s => s.OperationName == "write" && s.ParentSpanId == failed.SpanId);
        Assert.Equal(ActivityStatusCode.Error, run.Status);

        // The HTTP client's and Npgsql's spans hang under ours.
        var downloads = trace.Where(s => s.OperationName == "download").Select(s => s.SpanId).ToHashSet();
        var writes = trace.Where(s => s.OperationName == "write").Select(s => s.SpanId).ToHashSet();
        Assert.Contains(capture.Spans, s => s.Kind == ActivityKind.Client && downloads.Contains(s.ParentSpanId) && s.TraceId == run.TraceId);
        Assert.Contains(capture.Spans, s => s.Source.Name == "Npgsql" && writes.Contains(s.ParentSpanId));

        // Counters equal the report's figures exactly.
        Assert.True(report.RowsRead > 0 && report.RowsChanged > 0 && report.DuplicatesRemoved > 0, "the demo should read, change and dedupe rows");
        Assert.Equal(1, report.FilesFailed);
        Assert.Equal(report.RowsRead, metrics.Sum("gogobe.rows.read"));
        Assert.Equal(report.RowsChanged, metrics.Sum("gogobe.rows.changed"));
        Assert.Equal(report.DuplicatesRemoved, metrics.Sum("gogobe.duplicates.removed"));
        Assert.Equal(report.Chains.Sum(c => c.RowsRejected), metrics.Sum("gogobe.rows.rejected"));
        Assert.Equal(report.FilesCompleted, metrics.Sum("gogobe.files", GogobeTelemetry.Outcomes.Completed));
        Assert.Equal(report.FilesFailed, metrics.Sum("gogobe.files", GogobeTelemetry.Outcomes.Failed));
        Assert.Equal(report.FilesSkipped, metrics.Sum("gogobe.files", GogobeTelemetry.Outcomes.Skipped));
        Assert.Equal(report.FilesCompleted + report.FilesFailed, metrics.HistogramCount("gogobe.file.duration"));
        Assert.Equal(2, metrics.HistogramCount("gogobe.chain.duration"));
        Assert.Equal(0, metrics.Sum("gogobe.tasks.active"));

        // Bytes are counted as read from the portal: the counter and the file spans' totals agree, and are real.
        var spanBytes = files.Sum(f => f.GetTagItem(Attr.Bytes) is long b ? b : 0);
        Assert.True(spanBytes > 1_000, $"only {spanBytes} bytes downloaded");
        Assert.Equal(spanBytes, metrics.Sum("gogobe.bytes.downloaded"));
    }

    [Fact]
    public async Task Run_SameDayAgain_SkippedFilesAreSpansAndCountedAsSkipped()
    {
        await using var demo = await DemoHarness.StartAsync(postgres, DemoHarness.Chains(TwoChains), stores: 2, items: 50);
        var first = await demo.RunAsync();
        Assert.True(first.Succeeded);
        using var capture = new Capture();

        var report = await demo.RunAsync();

        var metrics = capture.CollectMetrics();
        var trace = capture.TraceOf(report);
        Assert.True(report.FilesSkipped > 0);
        Assert.Equal(report.FilesSkipped, metrics.Sum("gogobe.files", GogobeTelemetry.Outcomes.Skipped));
        Assert.Equal(0, metrics.Sum("gogobe.files", GogobeTelemetry.Outcomes.Completed));
        Assert.Equal(0, metrics.Sum("gogobe.rows.read"));
        var files = trace.Where(s => s.OperationName == "gogobe.file").ToList();
        Assert.Equal(report.FilesSkipped, files.Count);
        Assert.All(files, f => Assert.Equal(GogobeTelemetry.Outcomes.Skipped, Tag(f, Attr.Outcome)));
        Assert.DoesNotContain(trace, s => s.OperationName == "download");
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name)?.ToString();

    /// <summary>In-memory tracer and meter providers subscribed as the executable subscribes, for one test.</summary>
    private sealed class Capture : IDisposable
    {
        private readonly List<MetricSnapshot> _metrics = [];
        private readonly TracerProvider _tracer;
        private readonly MeterProvider _meter;

        public Capture()
        {
            _tracer = Sdk.CreateTracerProviderBuilder().AddGogobeInstrumentation().AddInMemoryExporter(Spans).Build();
            _meter = Sdk.CreateMeterProviderBuilder().AddGogobeInstrumentation().AddInMemoryExporter(_metrics).Build();
        }

        /// <summary>Every finished span (ours, HTTP client's, Npgsql's); the in-memory exporter adds them under a lock.</summary>
        public List<Activity> Spans { get; } = [];

        /// <summary>Gogobe's spans of this run's trace (the provider is process-wide: other traces are not ours).</summary>
        public List<Activity> TraceOf(RunReport report)
        {
            var run = Assert.Single(Spans, s => s.OperationName == "gogobe.run" && Tag(s, Attr.RunId) == report.RunId.ToString());
            return [.. Spans.Where(s => s.TraceId == run.TraceId && s.Source.Name == GogobeTelemetry.Name)];
        }

        public MetricTotals CollectMetrics()
        {
            Assert.True(_meter.ForceFlush());
            // Cumulative temporality: the newest snapshot of each instrument holds the totals.
            return new MetricTotals(_metrics.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal));
        }

        public void Dispose()
        {
            _tracer.Dispose();
            _meter.Dispose();
        }
    }

    private sealed class MetricTotals(Dictionary<string, MetricSnapshot> byName)
    {
        /// <summary>The sum over all points (all tag sets), or over those whose outcome tag is <paramref name="outcome"/>; 0 when never recorded.</summary>
        public long Sum(string name, string? outcome = null) =>
            Points(name).Where(p => outcome is null || OutcomeOf(p) == outcome).Sum(p => p.GetSumLong());

        public long HistogramCount(string name) => Points(name).Sum(p => p.GetHistogramCount());

        private IEnumerable<MetricPoint> Points(string name) =>
            byName.TryGetValue(name, out var snapshot) ? snapshot.MetricPoints : [];

        private static string? OutcomeOf(MetricPoint point)
        {
            foreach (var tag in point.Tags)
            {
                if (tag.Key == Attr.Outcome)
                {
                    return tag.Value?.ToString();
                }
            }

            return null;
        }
    }
}
