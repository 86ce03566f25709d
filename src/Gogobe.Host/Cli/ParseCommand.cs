using System.CommandLine;
using System.Globalization;
using Gogobe.Core.Files;
using Gogobe.Host.Console;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe parse FILE...</c>: what a file is and what the reader makes of it — the tool an operator reaches for when a
/// chain breaks. Reads each file to the end (streaming, no database); exit code 1 when any file could not be read.
/// </summary>
internal static class ParseCommand
{
    private static readonly Argument<FileInfo[]> Files = new("files")
    {
        Description = "Price-transparency files (gz, zip or xml; any kind).",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Command Create()
    {
        var command = new Command("parse", "Describe price files: kind, chain, store, container, encoding, shape, rows, rejects by reason.") { Files };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(parse.GetRequiredValue(Files), cancellationToken)));
        return command;
    }

    private static int Run(FileInfo[] files, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        var failed = 0;
        foreach (var file in files)
        {
            if (!file.Exists)
            {
                console.MarkupLine($"[red]{Markup.Escape(file.FullName)}: no such file[/]");
                failed++;
                continue;
            }

            FileInspection inspection;
            using (var stream = file.OpenRead())
            {
                inspection = PriceFileReader.Inspect(stream, file.Name, cancellationToken);
            }

            Write(console, file, inspection);
            failed += inspection.Succeeded ? 0 : 1;
        }

        return failed == 0 ? 0 : 1;
    }

    private static void Write(IAnsiConsole console, FileInfo file, FileInspection inspection)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string label, string? value) => grid.AddRow($"[grey]{label}[/]", Markup.Escape(value ?? "-"));
        Row("name", inspection.NameSummary);
        Row("kind", inspection.Kind is { } kind ? $"{kind} (from the {inspection.KindSource})" : "unknown");
        Row("size", file.Length.ToString("N0", CultureInfo.CurrentCulture) + " bytes");
        Row("container", inspection.Container);
        Row("encoding", inspection.Encoding);
        Row("shape", inspection.Shape);
        Row("rows", inspection.RowsRead.ToString("N0", CultureInfo.CurrentCulture));
        Row("rejected", inspection.RowsRejected == 0 ? "0" : $"{inspection.RowsRejected:N0}: {Reasons(inspection.RejectsByReason)}");
        if (inspection.WarningsByReason.Count > 0)
        {
            Row("warnings", Reasons(inspection.WarningsByReason));
        }

        if (inspection.Repairs > 0)
        {
            Row("repairs", inspection.Repairs.ToString("N0", CultureInfo.CurrentCulture));
        }

        grid.AddRow("[grey]result[/]", inspection.Succeeded ? "[green]read to the end[/]" : $"[red]failed: {Markup.Escape(inspection.Error!)}[/]");
        console.Write(new Panel(grid).Header(Markup.Escape(file.Name)).Border(BoxBorder.Rounded));
    }

    private static string Reasons(IReadOnlyDictionary<string, int> reasons) =>
        string.Join(", ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} ×{r.Value:N0}"));
}
