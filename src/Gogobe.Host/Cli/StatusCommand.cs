using System.CommandLine;
using System.Globalization;
using Gogobe.Core.Supervision;
using Gogobe.Host.Console;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary><c>gogobe status</c>: the active run, its tasks by state, and the workers seen lately with their heartbeat ages.</summary>
internal static class StatusCommand
{
    private static readonly TimeSpan WorkersWithin = TimeSpan.FromMinutes(5);

    public static Command Create()
    {
        var command = new Command("status", "The active run, its tasks by state, and the workers seen in the last 5 minutes.")
        {
            CommonOptions.Demo, CommonOptions.DataDir, CommonOptions.Database,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        await using var database = await JobsCommand.OpenAsync(parse, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        var active = await database.Jobs.ActiveRunAsync(cancellationToken).ConfigureAwait(false);
        if (active is null)
        {
            var recent = await database.Jobs.ListRunsAsync(state: null, limit: 1, cancellationToken).ConfigureAwait(false);
            var last = recent.Count > 0 ? recent[0] : null;
            console.MarkupLine(last is null
                ? "No active run; no run yet."
                : $"No active run. Last run {last.Id}: {last.State.ToDb()}{(last.Reason is { } r ? $" ({Markup.Escape(r)})" : string.Empty)}, finished {last.FinishedAt:u}.");
        }
        else
        {
            var tasks = await database.Jobs.ListTasksAsync(active.Id, state: null, limit: 10_000, cancellationToken).ConfigureAwait(false);
            var byState = string.Join(", ", Enum.GetValues<JobState>()
                .Select(s => (State: s, Count: tasks.Count(t => t.State == s)))
                .Where(p => p.Count > 0)
                .Select(p => $"{p.Count} {p.State.ToDb()}"));
            console.MarkupLine($"Active run [blue]{active.Id}[/] ({active.State.ToDb()}, submitted by {Markup.Escape(active.SubmittedBy)}"
                + $"{(active.AbortRequested ? ", abort requested" : string.Empty)}): {tasks.Count} tasks: {byState}");
        }

        var workers = await database.Jobs.ListWorkersAsync(WorkersWithin, cancellationToken).ConfigureAwait(false);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("worker", "host", "pid", "heartbeat age");
        foreach (var worker in workers)
        {
            table.AddRow(Markup.Escape(worker.Id), Markup.Escape(worker.Host), worker.Pid.ToString(CultureInfo.InvariantCulture),
                $"{worker.HeartbeatAge.TotalSeconds:F1} s");
        }

        console.MarkupLine($"{workers.Count} workers seen in the last {WorkersWithin.TotalMinutes:F0} minutes:");
        console.Write(table);
        return 0;
    }
}
