using System.CommandLine;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Gogobe.Host.Logging;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe worker</c>: leases queued tasks from the database and runs them until stopped (Ctrl+C / SIGTERM stop it
/// gracefully: the running chain rolls back its open file and its task is requeued). Any number of workers, on any
/// number of machines sharing the database, split the work; each also rescues orphaned tasks.
/// </summary>
internal static class WorkerCommand
{
    private static readonly Option<int> Parallel = Positive("--parallel", "Worker loops in this process (tasks run at once).", 1);
    private static readonly Option<int?> MaxTasks = new("--max-tasks") { Description = "Exit after running this many tasks." };
    private static readonly Option<double?> IdleExit = new("--idle-exit") { Description = "Exit after finding no work for this many seconds." };
    private static readonly Option<double> Heartbeat = new("--heartbeat")
    {
        Description = "Seconds between a running task's heartbeats.", DefaultValueFactory = _ => 2,
    };
    private static readonly Option<double> OrphanAfter = new("--orphan-after")
    {
        Description = "Seconds without a heartbeat after which a running task is orphaned and requeued.", DefaultValueFactory = _ => 10,
    };

    public static Command Create()
    {
        var command = new Command("worker", "Run queued tasks from the database until stopped (leases with FOR UPDATE SKIP LOCKED).")
        {
            Parallel, MaxTasks, IdleExit, Heartbeat, OrphanAfter, CommonOptions.Demo, CommonOptions.DataDir, CommonOptions.Database, OpsSettings.LogDir,
        };
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
        using var loggerFactory = ConsoleLogging.Create(ops.Logs);
        return await GracefulStop.RunAsync(
            ops.Shutdown.Grace, loggerFactory, console, "running chains rolled back their open file; their tasks are back in the queue.",
            stop => WorkAsync(parse, console, loggerFactory, stop), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> WorkAsync(ParseResult parse, IAnsiConsole console, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        SupervisorOptions supervisor;
        try
        {
            supervisor = new SupervisorOptions
            {
                HeartbeatInterval = TimeSpan.FromSeconds(parse.GetValue(Heartbeat)),
                OrphanAfter = TimeSpan.FromSeconds(parse.GetValue(OrphanAfter)),
            };
            supervisor.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            console.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            return ExitCodes.Usage;
        }

        await using var database = await AppDatabase.OpenOrReportAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir), parse.GetValue(CommonOptions.Demo),
            loggerFactory, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return ExitCodes.Database;
        }

        if (!RunCommand.TryReadHttpSettings(out var http, out _, out var invalid))
        {
            await System.Console.Error.WriteLineAsync(invalid).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var loops = parse.GetValue(Parallel);
        console.MarkupLine($"Worker {Environment.MachineName}:{Environment.ProcessId}: {loops} loops on [grey]{Markup.Escape(database.Description)}[/]");
        var limits = new WorkerLimits(parse.GetValue(MaxTasks), parse.GetValue(IdleExit) is { } idle ? TimeSpan.FromSeconds(idle) : null);
        var tasks = await new WorkerPool(database, ScraperRegistry.Discover().Scrapers, supervisor, loops, http, TimeProvider.System, loggerFactory,
            new FileOutcomeLogger(loggerFactory))
            .RunAsync(limits, cancellationToken).ConfigureAwait(false);
        console.MarkupLine($"Worker stopped after {tasks} tasks.");
        return ExitCodes.Success;
    }

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
