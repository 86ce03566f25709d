using System.CommandLine;
using System.Text.Json;
using Gogobe.Core;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Host.Configuration;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Gogobe.Host.Logging;
using Gogobe.Simulator;
using Gogobe.Storage;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary><c>gogobe run</c>: one orchestra run over the registered chains, with progress and a summary table.</summary>
internal static class RunCommand
{
    private static readonly Option<bool> Force = new("--force") { Description = "Process stores even if they already completed today." };
    private static readonly Option<string[]> Chains = new("--chain")
    {
        Description = "Run only these chains (name, class name or chain id); repeatable. Default: every registered chain.",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<int> Parallel = Positive("--parallel", "Chains processed at once (default: CPU count).", Environment.ProcessorCount);
    private static readonly Option<int> BatchSize = Positive("--batch-size", "Rows per deduplicated COPY batch (smaller batches keep the heap smaller).", 5_000);
    private static readonly Option<double> MaxRejected = new("--max-rejected")
    {
        Description = "A file fails when more than this share of its rows is rejected (0..1).",
        DefaultValueFactory = _ => 0.2,
    };
    private static readonly Option<int> DemoChains = Positive("--chains", "Demo: how many of the registered chains to simulate (default: all).", int.MaxValue);
    private static readonly Option<int> DemoStores = Positive("--stores", "Demo: stores per chain.", 5);
    private static readonly Option<int> DemoItems = Positive("--items", "Demo: items per store.", 2_000);
    private static readonly Option<int> DemoSeed = new("--seed") { Description = "Demo: seed of the simulated data.", DefaultValueFactory = _ => 42 };
    private static readonly Option<FileInfo?> SummaryJson = new("--summary-json") { Description = "Also write the run summary as JSON to this file." };
    private static readonly Option<bool> OtelConsole = new("--otel-console")
    {
        Description = "Write the run's OpenTelemetry spans and metrics to the console (OTLP export is set by OTEL_EXPORTER_OTLP_ENDPOINT).",
    };
    private static readonly Option<Uri?> Proxy = new("--proxy") { Description = "HTTP proxy for the real portals (they often answer only Israeli addresses)." };

    public static Command Create()
    {
        var command = new Command("run", "Run every registered scraper once (one pass daily: stores done today are skipped).")
        {
            CommonOptions.Demo, Force, Chains, Parallel, BatchSize, MaxRejected, DemoChains, DemoStores, DemoItems, DemoSeed,
            CommonOptions.DataDir, CommonOptions.Database, SummaryJson, Proxy, OtelConsole, OpsSettings.LogDir,
        };
        MaxRejected.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 1)
            {
                result.AddError("--max-rejected is a share from 0 to 1, e.g. 0.2.");
            }
        });
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (ops, failure) = OpsSettings.Read(parse);
        if (ops is null)
        {
            await System.Console.Error.WriteLineAsync(failure).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var console = CliConsole.Create();
        var demo = parse.GetValue(CommonOptions.Demo);
        using var loggerFactory = ConsoleLogging.Create(ops.Logs);
        // Disposed last, when the run is over: that flushes the final spans and metrics.
        using var telemetry = Telemetry.StartForCli(parse.GetValue(OtelConsole));
        var time = TimeProvider.System;
        using var signals = new ShutdownSignals(ops.Shutdown.Grace, time, loggerFactory.CreateLogger("Gogobe.Shutdown"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping);
        var work = RunAsync(parse, console, demo, loggerFactory, time, stop.Token);
        if (!await signals.WaitUnlessForcedAsync(work).ConfigureAwait(false))
        {
            // Forced: open files may stay 'processing' (their transactions die with the process, so nothing is half-written).
            // Exit now rather than wait in the disposals for the very work we gave up on.
            console.MarkupLine("[red]Stop forced:[/] exiting without waiting for open work.");
            Environment.Exit(ExitCodes.Forced);
        }

        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
        {
            console.MarkupLine($"[yellow]Stopped ({signals.Signal?.ToString() ?? "on request"}):[/] open files rolled back and marked failed; run again to finish (stores done today are skipped).");
            return ExitCodes.Stopped;
        }
    }

    private static async Task<int> RunAsync(
        ParseResult parse, IAnsiConsole console, bool demo, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {

        IReadOnlyList<SupermarketScraper> scrapers;
        try
        {
            scrapers = ScraperRegistry.Discover().Select(parse.GetValue(Chains) ?? []);
        }
        catch (ArgumentException ex)
        {
            console.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            return 2;
        }

        // The portal HTTP settings (Gogobe:Http) and the per-host cap (Gogobe:Runs) come from the same sources as serve's.
        if (!TryReadHttpSettings(out var http, out var perHost, out var invalid))
        {
            await System.Console.Error.WriteLineAsync(invalid).ConfigureAwait(false);
            return 2;
        }

        await using var database = await AppDatabase.OpenOrReportAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir), demo,
            loggerFactory, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        var settings = new RunSettings(
            Force: parse.GetValue(Force),
            Parallelism: parse.GetValue(Parallel),
            BatchSize: parse.GetValue(BatchSize),
            MaxRejectedShare: parse.GetValue(MaxRejected),
            Proxy: parse.GetValue(Proxy),
            Demo: demo ? new DemoScale(parse.GetValue(DemoChains), parse.GetValue(DemoStores), parse.GetValue(DemoItems), parse.GetValue(DemoSeed)) : null,
            PerHostConcurrency: perHost,
            Http: http);
        await using var run = await RunFactory.PrepareAsync(scrapers, settings, time, loggerFactory, cancellationToken).ConfigureAwait(false);
        if (run.Demo is { } portal)
        {
            console.MarkupLine($"[grey]Demo: simulating {run.Scrapers.Count} chains × {parse.GetValue(DemoStores)} stores × {parse.GetValue(DemoItems):N0} items at {portal.BaseAddress}[/]");
        }

        console.MarkupLine($"Database: [grey]{Markup.Escape(database.Description)}[/]");
        var observer = new RunObservers(new ConsoleRunObserver(console), new FileOutcomeLogger(loggerFactory));
        var report = await RunFactory.CreateOrchestrator(database, time, loggerFactory)
            .RunAsync(run.Scrapers, run.Options, observer, cancellationToken).ConfigureAwait(false);

        var peak = PeakMemory.Megabytes();
        RunSummaryTable.Write(console, report, peak);
        if (parse.GetValue(SummaryJson) is { } file)
        {
            await WriteSummaryAsync(file, report, peak, cancellationToken).ConfigureAwait(false);
        }

        return report.Succeeded ? 0 : 1;
    }

    private static bool TryReadHttpSettings(out PortalHttpOptions http, out int perHostConcurrency, out string? failure)
    {
        var configuration = new ConfigurationBuilder();
        GogobeConfiguration.Compose(configuration, AppContext.BaseDirectory, new Dictionary<string, string?>());
        var settings = configuration.Build();
        (http, perHostConcurrency, failure) = (new PortalHttpOptions(), 4, null);
        try
        {
            http = GogobeConfiguration.Read<PortalHttpOptions>(settings, PortalHttpOptions.Section);
            perHostConcurrency = GogobeConfiguration.Read<RunsOptions>(settings, RunsOptions.Section).PerHostConcurrency;
        }
        catch (InvalidOperationException ex)
        {
            failure = "Invalid configuration: " + ex.Message;
            return false;
        }

        var result = new PortalHttpOptionsValidator().Validate(null, http);
        if (result.Failed || perHostConcurrency < 1)
        {
            failure = "Invalid configuration: " + (result.Failed ? result.FailureMessage : $"{RunsOptions.Section}:PerHostConcurrency must be at least 1 (was {perHostConcurrency}).");
            return false;
        }

        return true;
    }

    private static async Task WriteSummaryAsync(FileInfo file, RunReport report, double peakRssMegabytes, CancellationToken cancellationToken)
    {
        var summary = new
        {
            report.RunId,
            report.StartedAt,
            ElapsedSeconds = report.Elapsed.TotalSeconds,
            report.RowsRead,
            report.RowsChanged,
            report.DuplicatesRemoved,
            report.FilesCompleted,
            report.FilesFailed,
            report.FilesSkipped,
            RowsPerSecond = report.RowsRead / Math.Max(report.Elapsed.TotalSeconds, 0.001),
            PeakRssMegabytes = peakRssMegabytes,
            Chains = report.Chains.Select(c => new
            {
                c.Chain.Name,
                c.Chain.Id,
                c.FilesListed,
                c.Completed,
                c.Skipped,
                c.Failed,
                c.RowsRead,
                c.DuplicatesRemoved,
                c.RowsChanged,
                c.Error,
                Files = c.Files.Select(f => new { f.FileName, Kind = f.Kind?.ToString(), f.StoreId, Status = f.Status.ToString(), f.RowsRead, f.DuplicatesRemoved, f.RowsChanged, f.Reason }),
            }),
        };
        file.Directory?.Create();
        await using var stream = file.Create();
        await JsonSerializer.SerializeAsync(stream, summary, SummaryJsonOptions, cancellationToken).ConfigureAwait(false);
    }

    private static readonly JsonSerializerOptions SummaryJsonOptions = new() { WriteIndented = true };

    private static Option<int> Positive(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be at least 1.");
            }
        });
        return option;
    }
}
