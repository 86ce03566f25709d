using System.CommandLine;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Gogobe.Storage;
using Npgsql;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe retention [--dry-run]</c>: makes the coming months' price_history partitions (draining rows that waited in
/// the DEFAULT partition) and prunes old file log rows and, when asked, old price history months. Meant for a daily
/// timer next to the run; see docs/RETENTION.md.
/// </summary>
internal static class RetentionCommand
{
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Show what would be pruned; change nothing." };
    private static readonly Option<int> FileLogDays = NotNegative(
        "--file-log-days", "Keep file_processing_log rows this many days after they finished (0 = forever).", new RetentionOptions().FileLogDays);
    private static readonly Option<int> PriceHistoryDays = NotNegative(
        "--price-history-days", "Keep price_history this many days; whole months older are dropped (0 = forever).", new RetentionOptions().PriceHistoryDays);
    private static readonly Option<int> MonthsAhead = NotNegative(
        "--months-ahead", "Monthly price_history partitions to keep ready after the current month.", 2);

    public static Command Create()
    {
        var command = new Command("retention", "Prune old file log rows and price history months; ensure the next months' partitions.")
        {
            DryRun, FileLogDays, PriceHistoryDays, MonthsAhead, CommonOptions.Demo, CommonOptions.DataDir, CommonOptions.Database,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        using var loggerFactory = ConsoleLogging.Create();
        var time = TimeProvider.System;
        var dryRun = parse.GetValue(DryRun);
        var options = new RetentionOptions { FileLogDays = parse.GetValue(FileLogDays), PriceHistoryDays = parse.GetValue(PriceHistoryDays) };

        await using var database = await AppDatabase.OpenOrReportAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir), parse.GetValue(CommonOptions.Demo),
            loggerFactory, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        console.MarkupLine($"Database: [grey]{Markup.Escape(database.Description)}[/]");
        try
        {
            if (dryRun)
            {
                console.MarkupLine("[yellow]Dry run:[/] nothing is changed; partitions are not created.");
            }
            else
            {
                // Before pruning: rows drained from DEFAULT into their month's partition become prunable with it.
                var partitions = await PgPartitions.EnsureMonthlyAsync(
                    database.DataSource, time.GetUtcNow(), parse.GetValue(MonthsAhead), cancellationToken).ConfigureAwait(false);
                console.MarkupLine(partitions.Created.Count == 0
                    ? "Partitions: all present."
                    : $"Partitions: created {string.Join(", ", partitions.Created)}; {partitions.RowsMovedFromDefault:N0} rows moved out of DEFAULT.");
            }

            var result = dryRun
                ? await PgRetention.PreviewAsync(database.DataSource, options, time, cancellationToken).ConfigureAwait(false)
                : await PgRetention.PruneAsync(database.DataSource, options, time, cancellationToken).ConfigureAwait(false);
            Print(console, result);
            return 0;
        }
        catch (NpgsqlException ex)
        {
            console.MarkupLine($"[red]Retention failed:[/] {Markup.Escape(ex.Message)}");
            return 1;
        }
    }

    private static void Print(IAnsiConsole console, RetentionResult result)
    {
        var verb = result.DryRun ? "would delete" : "deleted";
        console.MarkupLine(result.FileLogCutoff is { } logCutoff
            ? $"File log: {verb} {result.FileLogRowsDeleted:N0} rows finished before {logCutoff:u}."
            : "File log: kept forever (--file-log-days 0).");

        if (result.PriceHistoryCutoff is not { } historyCutoff)
        {
            console.MarkupLine("Price history: kept forever (--price-history-days 0).");
        }
        else if (result.PartitionsDropped.Count == 0)
        {
            console.MarkupLine($"Price history: no month lies entirely before {historyCutoff:u}.");
        }
        else
        {
            console.MarkupLine(
                $"Price history: {(result.DryRun ? "would drop" : "dropped")} {string.Join(", ", result.PartitionsDropped)} "
                + $"({result.PriceHistoryRowsDropped:N0} rows, all before {historyCutoff:u}).");
        }
    }

    private static Option<int> NotNegative(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{name} must be 0 or more.");
            }
        });
        return option;
    }
}
