using System.CommandLine;
using System.Globalization;
using Gogobe.Core.Supervision;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary><c>gogobe jobs list [--state S]</c> and <c>gogobe jobs abort ID</c>: the durable runs and tasks, from any process.</summary>
internal static class JobsCommand
{
    private static readonly Option<string?> State = new("--state") { Description = "Only tasks in this state (QUEUED, RUNNING, SUCCEEDED, FAILED, ABORTED, ORPHANED)." };
    private static readonly Option<int> Limit = new("--limit") { Description = "At most this many tasks.", DefaultValueFactory = _ => 50 };
    private static readonly Argument<Guid> Id = new("id") { Description = "A run id (aborts all its tasks) or a task id." };

    public static Command Create()
    {
        var list = new Command("list", "Tasks, newest runs first: state, attempt, progress, worker, reason.")
        {
            State, Limit, CommonOptions.Demo, CommonOptions.DataDir, CommonOptions.Database,
        };
        list.SetAction(ListAsync);
        var abort = new Command("abort", "Request the abort of a run or a task; its worker stops within about a second and rolls back its open file.")
        {
            Id, CommonOptions.Demo, CommonOptions.DataDir, CommonOptions.Database,
        };
        abort.SetAction(AbortAsync);
        return new Command("jobs", "Runs and tasks in the database (the supervisor).") { list, abort };
    }

    private static async Task<int> ListAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        JobState? state;
        try
        {
            state = parse.GetValue(State) is { } text ? JobStates.Parse(text) : null;
        }
        catch (ArgumentException ex)
        {
            console.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            return 2;
        }

        await using var database = await OpenAsync(parse, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        var tasks = await database.Jobs.ListTasksAsync(runId: null, state, parse.GetValue(Limit), cancellationToken).ConfigureAwait(false);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("run", "task", "chain", "state", "attempt", "progress", "worker", "heartbeat", "reason");
        foreach (var task in tasks)
        {
            table.AddRow(
                task.RunId.ToString(), task.Id.ToString(), Markup.Escape(task.ChainName), task.State.ToDb(),
                $"{task.Attempt}/{task.MaxAttempts}", $"{task.Progress}% {Markup.Escape(task.Phase ?? string.Empty)}",
                Markup.Escape(task.WorkerId ?? "-"), task.HeartbeatAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(task.Reason ?? string.Empty));
        }

        console.Write(table);
        console.MarkupLine($"{tasks.Count} tasks");
        return 0;
    }

    private static async Task<int> AbortAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        await using var database = await OpenAsync(parse, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        var id = parse.GetValue(Id);
        var target = await database.Jobs.RequestAbortAsync(id, cancellationToken).ConfigureAwait(false);
        console.MarkupLine(target switch
        {
            AbortTarget.Run => $"Abort requested for run {id} and its tasks.",
            AbortTarget.Task => $"Abort requested for task {id}.",
            AbortTarget.AlreadyFinished => $"[yellow]{id} has already ended.[/]",
            _ => $"[red]No run or task {id}.[/]",
        });
        return target switch
        {
            AbortTarget.Run or AbortTarget.Task => 0,
            AbortTarget.AlreadyFinished => 1,
            _ => 2,
        };
    }

    internal static Task<AppDatabase?> OpenAsync(ParseResult parse, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // Quiet: these verbs print tables, not the database's start-up chatter.
        var loggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        return AppDatabase.OpenOrReportAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir), parse.GetValue(CommonOptions.Demo),
            loggerFactory, console, cancellationToken);
    }
}
