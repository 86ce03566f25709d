using Gogobe.Host.Configuration;
using Gogobe.Host.Http;
using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using Gogobe.Core;
using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Host.Hosting;
using Gogobe.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gogobe.Host.Bench;

/// <summary>What <c>gogobe bench</c> was asked for.</summary>
internal sealed record BenchSettings(double Scale, int Seed, string? ConnectionString, string DataDirectory, bool Baselines, bool ParseOnly = false);

/// <summary>
/// Runs the benchmark: generates the day (untimed), then three timed runs of the real orchestrator against the
/// simulator on loopback into a fresh database — (1) first day, empty database; (2) the same day again, which one pass
/// daily skips entirely; (3) the next day with 5 % of prices changed, forced — then the reader alone and the write
/// baselines over a subset of the same files.
/// </summary>
internal sealed partial class BenchRunner(BenchSettings settings, TimeProvider systemTime, ILoggerFactory loggerFactory, Action<string> progress)
{
    private readonly BenchClock _clock = new(systemTime);
    private readonly ILogger _logger = loggerFactory.CreateLogger<BenchRunner>();

    public async Task<BenchReport> RunAsync(IReadOnlyList<SupermarketScraper> registered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var scale = BenchScale.For(settings.Scale, registered.Count);
        await using var database = await BenchDatabase.OpenAsync(settings.ConnectionString, settings.DataDirectory, _logger, cancellationToken).ConfigureAwait(false);
        await using var day = await BenchDay.StartAsync(registered, scale, settings.Seed, IsraelClock.Today(_clock), cancellationToken).ConfigureAwait(false);
        progress($"Generating the day: {scale.Chains} chains × {scale.StoresPerChain} stores × {scale.ItemsPerStore:N0} items (seed {settings.Seed})…");
        var figures = await day.GenerateAsync(cancellationToken).ConfigureAwait(false);
        progress($"Generated {figures.Files:N0} files, {figures.Bytes / 1e6:N1} MB, {figures.RowsInFiles:N0} price rows in {figures.GenerateSeconds:N1} s (not timed).");
        var priceFiles = day.PriceFullFiles();

        await WarmUpAsync(registered, scale, database, cancellationToken).ConfigureAwait(false);
        var source = await database.FreshAsync("", cancellationToken).ConfigureAwait(false);
        var orchestrator = new Orchestrator(new PgFileLog(source, _clock), new PgPriceSink(source, _clock), _clock, loggerFactory);
        using var clock = new StageClock();
        var scenarios = new List<ScenarioResult>();
        scenarios.Add(await ScenarioAsync(
            "first day", "first day, empty database", orchestrator, day, source, clock, force: false, figures.DistinctRows + day.StoresRows, cancellationToken)
            .ConfigureAwait(false));
        scenarios.Add(await ScenarioAsync(
            "same day again", "the same day again: one pass daily skips every file", orchestrator, day, source, clock, force: false, 0, cancellationToken)
            .ConfigureAwait(false));
        var changes = await day.AdvanceDayAsync(0.05, cancellationToken).ConfigureAwait(false);
        _clock.Advance(TimeSpan.FromDays(1));
        progress($"Next day: {changes:N0} prices changed (5 %); generating its files (not timed)…");
        await day.GenerateAsync(cancellationToken).ConfigureAwait(false);
        scenarios.Add(await ScenarioAsync(
            "next day, 5% changed", "the next day, 5 % of prices changed, forced", orchestrator, day, source, clock, force: true, changes, cancellationToken)
            .ConfigureAwait(false));

        // The subset: whole files in chain order until the rows reach the target, so the slow baselines stay short.
        var target = Math.Max(5_000, (long)(300_000 * Math.Sqrt(settings.Scale)));
        var subset = new List<BenchFile>();
        long subsetRows = 0;
        foreach (var file in RoundRobin(priceFiles))
        {
            subset.Add(file);
            subsetRows += scale.ItemsPerStore;
            if (subsetRows >= target)
            {
                break;
            }
        }

        progress($"Parse only (reader alone, one thread) over {subset.Count} files…");
        var parse = await Task.Run(() => BaselineHarness.ParseOnly(subset, cancellationToken), cancellationToken).ConfigureAwait(false);
        var baselines = new List<BaselineResult>();
        if (settings.Baselines)
        {
            foreach (var (method, name) in new[]
            {
                (BaselineHarness.Gogobe, "_copy"),
                (BaselineHarness.Staged, "_staged"),
                (BaselineHarness.MultiRow, "_multirow"),
                (BaselineHarness.PerRow, "_perrow"),
            })
            {
                progress($"Baseline: {method} over {subset.Count} files…");
                baselines.Add(await BaselineHarness.RunAsync(method, database, name, subset, _clock, cancellationToken).ConfigureAwait(false));
            }
        }

        var machine = new BenchMachine(
            RuntimeInformation.OSDescription, Environment.ProcessorCount, CpuModel(), (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024)),
            RuntimeInformation.FrameworkDescription,
            $"{(GCSettings.IsServerGC ? "Server" : "Workstation")}, {(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}",
            await database.VersionAsync(cancellationToken).ConfigureAwait(false));
        return new BenchReport(_clock.RealUtcNow, machine, scale, settings.Seed, figures, scenarios, parse, baselines, Ratios(scenarios, baselines));
    }

    /// <summary>
    /// One untimed run over a tiny day of the same chains (one store, 500 items each) into a scratch database, so that
    /// the first timed scenario does not pay for JIT compilation and first connections that later ones do not.
    /// </summary>
    private async Task WarmUpAsync(IReadOnlyList<SupermarketScraper> registered, BenchScale scale, BenchDatabase database, CancellationToken cancellationToken)
    {
        progress("Warming up (untimed: a tiny day of the same chains into a scratch database)…");
        await using var tiny = await BenchDay.StartAsync(
                registered, scale with { StoresPerChain = 1, ItemsPerStore = 500 }, settings.Seed + 1, IsraelClock.Today(_clock), cancellationToken)
            .ConfigureAwait(false);
        await tiny.GenerateAsync(cancellationToken).ConfigureAwait(false);
        var scratch = await database.FreshAsync("_warmup", cancellationToken).ConfigureAwait(false);
        var orchestrator = new Orchestrator(new PgFileLog(scratch, _clock), new PgPriceSink(scratch, _clock), _clock, loggerFactory);
        using var http = SimulatorHttp();
        await orchestrator.RunAsync(
            tiny.Scrapers,
            new RunOptions { PortalAddress = tiny.MapPortal, HttpClientFactory = http.CreateClient },
            observer: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The production portal HTTP stack, set up as demo runs set it up for the loopback simulator.</summary>
    private PortalHttpClients SimulatorHttp() =>
        PortalHttpClients.Create(new PortalHttpOptions().ForSimulator(), proxy: null, perHostConcurrency: 4 * Environment.ProcessorCount, loggerFactory);

    private async Task<ScenarioResult> ScenarioAsync(
        string name, string description, Orchestrator orchestrator, BenchDay day, NpgsqlDataSource source, StageClock clock, bool force,
        long expectedChanged, CancellationToken cancellationToken)
    {
        progress($"Scenario: {description}…");
        // Garbage of the untimed steps (warm-up, the previous scenario) must not count as the scenario's memory: compact,
        // hand free memory back to the OS, then measure from the RSS the scenario starts at.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        PeakMemory.Reset(Environment.ProcessId);
        day.ResetSimulatorPeak();
        var startRss = CurrentRssMegabytes();
        await using var gcCommitted = new GcCommittedSampler();
        clock.Reset();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var gc = GcFigures.Now();
        using var http = SimulatorHttp();
        var options = new RunOptions
        {
            Force = force,
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            PortalAddress = day.MapPortal,
            HttpClientFactory = http.CreateClient,
        };
        var started = Stopwatch.GetTimestamp();
        var report = await orchestrator.RunAsync(day.Scrapers, options, observer: null, cancellationToken).ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        self.Refresh();
        var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        var gcs = GcFigures.Now().Since(gc);
        var peak = PeakMemory.Megabytes();
        var peakGc = gcCommitted.PeakMegabytes;
        var simulatorPeak = day.SimulatorPeakMegabytes;
        var result = new ScenarioResult(
            name, description, wall, report.RowsRead, report.RowsChanged, expectedChanged, report.FilesCompleted, report.FilesSkipped, report.FilesFailed,
            report.RowsRead / Math.Max(wall, 1e-9), (report.FilesCompleted + report.FilesSkipped) / Math.Max(wall, 1e-9), startRss, peak, peakGc, simulatorPeak, cpuSeconds, gcs, clock.Split(),
            await BenchDatabase.CountAsync(source, "prices", cancellationToken).ConfigureAwait(false),
            await BenchDatabase.CountAsync(source, "price_history", cancellationToken).ConfigureAwait(false));
        progress(FormattableString.Invariant(
            $"  {wall:N1} s, {result.RowsPerSecond:N0} rows/s, {result.FilesPerSecond:N1} files/s, peak RSS {peak:N0} MB (from {startRss:N0} MB at its start; managed heap committed at most {peakGc:N0} MB; simulator process {simulatorPeak:N0} MB); GCs gen0 / 1 / 2 {gcs}; {result.Split.Shares()}"));
        if (report.FilesFailed > 0)
        {
            LogFailedFiles(name, report.FilesFailed);
        }

        return result;
    }

    private static IEnumerable<BenchFile> RoundRobin(IReadOnlyList<BenchFile> files) =>
        files.GroupBy(f => f.Chain.Id)
            .SelectMany(g => g.Select((file, index) => (file, index)))
            .OrderBy(x => x.index)
            .Select(x => x.file);

    private static List<BenchRatio> Ratios(List<ScenarioResult> scenarios, List<BaselineResult> baselines)
    {
        var ratios = new List<BenchRatio>();
        var gogobe = baselines.FirstOrDefault(b => b.Method == BaselineHarness.Gogobe);
        if (gogobe is null)
        {
            return ratios;
        }

        foreach (var baseline in baselines.Where(b => b.Method != BaselineHarness.Gogobe))
        {
            // Issue 7's targets: 10× one statement per row; 1.5× (end to end) and 3× (write step) the multi-row upserts;
            // and, in its title, 2× the straightforward pipeline (XmlReader, COPY to staging, one upsert).
            var (endToEnd, write) = baseline.Method switch
            {
                BaselineHarness.PerRow => (10.0, 10.0),
                BaselineHarness.Staged => (2.0, 2.0),
                _ => (1.5, 3.0),
            };
            ratios.Add(new BenchRatio("end to end, first load (harness)", baseline.Method,
                gogobe.FirstEndToEndRowsPerSecond / baseline.FirstEndToEndRowsPerSecond, endToEnd));
            ratios.Add(new BenchRatio("end to end, same files again (harness)", baseline.Method,
                gogobe.AgainEndToEndRowsPerSecond / baseline.AgainEndToEndRowsPerSecond, endToEnd));
            ratios.Add(new BenchRatio("end to end, orchestrator first day vs harness", baseline.Method,
                scenarios[0].RowsPerSecond / baseline.FirstEndToEndRowsPerSecond, endToEnd));
            ratios.Add(new BenchRatio("write step alone, first load", baseline.Method,
                gogobe.FirstWriteRowsPerSecond / baseline.FirstWriteRowsPerSecond, write));
            ratios.Add(new BenchRatio("write step alone, same files again", baseline.Method,
                gogobe.AgainWriteRowsPerSecond / baseline.AgainWriteRowsPerSecond, write));
        }

        return ratios;
    }

    private static double CurrentRssMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bench scenario {Scenario}: {Failed} files failed")]
    private partial void LogFailedFiles(string scenario, int failed);
}
