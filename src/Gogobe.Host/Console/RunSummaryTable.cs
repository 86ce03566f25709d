using System.Globalization;
using Gogobe.Core.Orchestration;
using Spectre.Console;

namespace Gogobe.Host.Console;

/// <summary>The table printed when a run ends: one line per chain, totals, throughput and peak memory.</summary>
internal static class RunSummaryTable
{
    public static void Write(IAnsiConsole console, RunReport report, double peakRssMegabytes)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"Run {report.RunId}");
        table.AddColumns("Chain", "Listed", "Completed", "Skipped", "Failed", "Rows read", "Duplicates", "Changed", "Elapsed", "Status");
        foreach (var chain in report.Chains)
        {
            table.AddRow(
                Markup.Escape(chain.Chain.Name),
                chain.FilesListed.ToString("N0", CultureInfo.CurrentCulture),
                chain.Completed.ToString("N0", CultureInfo.CurrentCulture),
                chain.Skipped.ToString("N0", CultureInfo.CurrentCulture),
                chain.Failed > 0 ? $"[red]{chain.Failed:N0}[/]" : "0",
                chain.RowsRead.ToString("N0", CultureInfo.CurrentCulture),
                chain.DuplicatesRemoved.ToString("N0", CultureInfo.CurrentCulture),
                chain.RowsChanged.ToString("N0", CultureInfo.CurrentCulture),
                $"{chain.Elapsed.TotalSeconds:F1} s",
                chain.Error is null ? (chain.Failed == 0 ? "[green]Done[/]" : "[yellow]Done with errors[/]") : $"[red]Error[/]: {Markup.Escape(chain.Error)}");
        }

        table.AddRow(
            "[bold]Total[/]",
            report.Chains.Sum(c => c.FilesListed).ToString("N0", CultureInfo.CurrentCulture),
            report.FilesCompleted.ToString("N0", CultureInfo.CurrentCulture),
            report.FilesSkipped.ToString("N0", CultureInfo.CurrentCulture),
            report.FilesFailed.ToString("N0", CultureInfo.CurrentCulture),
            report.RowsRead.ToString("N0", CultureInfo.CurrentCulture),
            report.DuplicatesRemoved.ToString("N0", CultureInfo.CurrentCulture),
            report.RowsChanged.ToString("N0", CultureInfo.CurrentCulture),
            $"{report.Elapsed.TotalSeconds:F1} s",
            report.Succeeded ? "[green]OK[/]" : "[red]FAILURES[/]");
        console.Write(table);
        var seconds = Math.Max(report.Elapsed.TotalSeconds, 0.001);
        console.MarkupLine(
            $"{report.RowsRead:N0} rows in {report.Elapsed.TotalSeconds:F1} s = [bold]{report.RowsRead / seconds:N0} rows/s[/]; " +
            $"{report.FilesCompleted / seconds:N1} files/s; peak RSS {peakRssMegabytes:N0} MB");
    }
}
