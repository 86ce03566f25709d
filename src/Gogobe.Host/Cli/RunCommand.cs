using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Gogobe.Core;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Host.Configuration;
using Gogobe.Core.Supervision;
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
    private static readonly Option<int> TaskTimeout = Positive("--task-timeout", "Seconds a chain may run before its task fails with reason timeout.", 7_200);
    private static readonly Option<int> MaxAttempts = Positive("--max-attempts", "Attempts per chain (a chain that throws, or whose worker dies, is retried).", 3);
    private static readonly TimeSpan RunPoll = TimeSpan.FromMilliseconds(500);
    private static readonly Option<Uri?> Proxy = new("--proxy") { Description = "HTTP proxy for the real portals (they often answer only Israeli addresses)." };

    public static Command Create()
    {
        var command = new Command("run", "Run every registered scraper once (one pass daily: stores done today are skipped).")
        {
            CommonOptions.Demo, Force, Chains, Parallel, BatchSize, MaxRejected, DemoChains, DemoStores, DemoItems, DemoSeed,
            CommonOptions.DataDir, CommonOptions.Database, SummaryJson, Proxy, OtelConsole, TaskTimeout, MaxAttempts, OpsSettings.LogDir,
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
        return await GracefulStop.RunAsync(
            ops.Shutdown.Grace, loggerFactory, console,
            "open files rolled back and marked failed; run again to finish (stores done today are skipped).",
            stop => RunAsync(parse, console, demo, loggerFactory, time, stop), cancellationToken).ConfigureAwait(false);
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
            return ExitCodes.Usage;
        }

        // The portal HTTP settings (Gogobe:Http) and the per-host cap (Gogobe:Runs) come from the same sources as serve's.
        if (!TryReadHttpSettings(out var http, out var perHost, out var invalid))
        {
            await System.Console.Error.WriteLineAsync(invalid).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using var database = await AppDatabase.OpenOrReportAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir), demo,
            loggerFactory, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return ExitCodes.Database;
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
        var supervisor = new SupervisorOptions
        {
            TaskTimeout = TimeSpan.FromSeconds(parse.GetValue(TaskTimeout)),
            MaxAttempts = parse.GetValue(MaxAttempts),
        };
        var runId = Guid.CreateVersion7(time.GetUtcNow());
        var startedAt = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var chains = run.Scrapers;
        var submission = RunSubmitter.Create(runId, run.Scrapers, settings, run.Demo?.World, supervisor, RunSubmitter.Origin("run"));
        var active = await SubmitOrFindActiveAsync(database, submission, cancellationToken).ConfigureAwait(false);
        if (active is not null)
        {
            // Another run is going: join it rather than refuse (a dead one is adopted: its lost tasks are rescued and run
            // here; a demo run's portals are served by this process's own simulator, from the run's stored world).
            runId = active.Id;
            chains = [.. ScraperRegistry.Discover().Scrapers.Where(s => active.Settings.Chains.Contains(s.Chain.Id))];
            var how = SubmitterIsGone(active.SubmittedBy)
                ? $"its submitter ({Markup.Escape(active.SubmittedBy)}) is gone: adopting it"
                : $"submitted by {Markup.Escape(active.SubmittedBy)}: joining it";
            console.MarkupLine($"Run [blue]{runId}[/] is already active, {how} with {settings.Parallelism} workers here until it ends. "
                + $"For a fresh run instead: `gogobe jobs abort {runId}`, then run again.");
        }
        else
        {
            console.MarkupLine($"Run [blue]{runId}[/] queued: {run.Scrapers.Count} tasks; {settings.Parallelism} workers in this process (any `gogobe worker` on this database helps).");
        }

        var collector = new ChainReportCollector(new RunObservers(new ConsoleRunObserver(console), new FileOutcomeLogger(loggerFactory)));
        var final = await HostWorkersUntilDoneAsync(
            database, chains, run.Demo, runId, supervisor, settings.Parallelism, http, collector, time, loggerFactory, console, cancellationToken).ConfigureAwait(false);
        // The summary is the database's truth: every chain's files as the log holds them, whichever process ran it.
        var logged = (await database.Status.RunFilesAsync(runId, CancellationToken.None).ConfigureAwait(false)).ToLookup(f => f.ChainId, f => f.Outcome);
        var report = new RunReport(runId, startedAt, Stopwatch.GetElapsedTime(started),
            [.. chains.Select(s => ReportOf(s.Chain, collector, final.Tasks, [.. logged[s.Chain.Id]]))]);

        var peak = PeakMemory.Megabytes();
        RunSummaryTable.Write(console, report, peak);
        if (parse.GetValue(SummaryJson) is { } file)
        {
            await WriteSummaryAsync(file, report, peak, cancellationToken).ConfigureAwait(false);
        }

        return report.Succeeded && final.Run?.State == JobState.Succeeded ? 0 : 1;
    }

    /// <summary>
    /// Hosts <paramref name="parallel"/> worker loops in this process until run <paramref name="runId"/> has ended (its
    /// demo tasks on <paramref name="demo"/>, this process's own simulator, when it is the run's). On Ctrl+C the workers
    /// stop gracefully (their chains roll back and requeue) and the run stays queued for the next `gogobe run` or worker.
    /// </summary>
    private static async Task<(RunRecord? Run, IReadOnlyList<TaskRecord> Tasks)> HostWorkersUntilDoneAsync(
        AppDatabase database, IReadOnlyList<SupermarketScraper> scrapers, DemoPortal? demo, Guid runId, SupervisorOptions supervisor, int parallel,
        PortalHttpOptions http, IRunObserver observer, TimeProvider time, ILoggerFactory loggerFactory, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pool = new WorkerPool(database, scrapers, supervisor, parallel, http, time, loggerFactory, observer, demo).RunAsync(new WorkerLimits(), stop.Token);
        RunRecord? record = null;
        try
        {
            while (true)
            {
                record = await database.Jobs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
                if (record is null || record.State.IsTerminal())
                {
                    break;
                }

                await Task.Delay(RunPoll, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A demo run too: any process serves its portals from its stored world, so it can be finished elsewhere.
            console.MarkupLine($"[yellow]Stopped: run {runId} stays queued; `gogobe run` or `gogobe worker` finishes it, `gogobe jobs abort {runId}` drops it.[/]");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pool.ConfigureAwait(false);
        }

        record = await database.Jobs.GetRunAsync(runId, CancellationToken.None).ConfigureAwait(false);
        var tasks = await database.Jobs.ListTasksAsync(runId, state: null, limit: 10_000, CancellationToken.None).ConfigureAwait(false);
        return (record, tasks);
    }

    /// <summary>Submits the run; null when it was queued, else the run that is active (one at a time), to be joined.</summary>
    private static async Task<RunRecord?> SubmitOrFindActiveAsync(
        AppDatabase database, RunSubmission submission, CancellationToken cancellationToken)
    {
        try
        {
            await database.Jobs.SubmitRunAsync(submission, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RunAlreadyActiveException ex)
        {
            // Null when it ended between the two statements: then submit again.
            return await database.Jobs.GetRunAsync(ex.ActiveRunId, cancellationToken).ConfigureAwait(false)
                ?? await SubmitOrFindActiveAsync(database, submission, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the process that submitted a run (<c>verb@machine:pid</c>) is known to be gone: only this machine's processes can be checked.</summary>
    private static bool SubmitterIsGone(string submittedBy)
    {
        var at = submittedBy.IndexOf('@', StringComparison.Ordinal);
        var colon = submittedBy.LastIndexOf(':');
        if (at < 0 || colon < at
            || !string.Equals(submittedBy[(at + 1)..colon], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(submittedBy[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    /// <summary>
    /// A chain's report from the database: its files as the log holds them, its listing count, time and outcome from its
    /// task's stored result; what only the running process knew (placeholders, superseded and unrecognised names) from
    /// this process's own report when its workers ran the chain.
    /// </summary>
    private static ChainReport ReportOf(Chain chain, ChainReportCollector collector, IReadOnlyList<TaskRecord> tasks, IReadOnlyList<FileOutcome> files)
    {
        var task = tasks.FirstOrDefault(t => t.ChainId == chain.Id);
        var result = TaskResultSummary.FromJson(task?.Result);
        collector.Reports.TryGetValue(chain.Id, out var local);
        var error = task?.State switch
        {
            JobState.Succeeded => result?.Error ?? local?.Error,
            null => "unknown: no task",
            _ => $"{task.State.ToDb()}: {task.Reason ?? "no result"}",
        };
        var notice = result?.Notice ?? local?.Notice ?? (task?.State is JobState.Succeeded && local is null ? $"run by worker {task.WorkerId}" : null);
        return new ChainReport(chain, files, result?.FilesListed ?? local?.FilesListed ?? 0, local?.Placeholders ?? 0, local?.Superseded ?? 0,
            local?.UnrecognisedNames ?? 0, error, TimeSpan.FromSeconds(result?.ElapsedSeconds ?? local?.Elapsed.TotalSeconds ?? 0), notice);
    }

    internal static bool TryReadHttpSettings(out PortalHttpOptions http, out int perHostConcurrency, out string? failure)
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
