using System.CommandLine;
using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Host.Bench;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Gogobe.Storage;
using Npgsql;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe bench</c>: the national-scale benchmark (docs/BENCHMARK.md). A synthetic day from the simulator, pre-generated,
/// served on loopback and ingested by the real orchestrator into fresh databases; baselines over a subset of the same files.
/// </summary>
internal static class BenchCommand
{
    private static readonly Option<double> Scale = new("--scale")
    {
        Description = "Size of the day: 1.0 = national (≈30 chains, 3,000 stores, 10,000 items per store); 0.01 runs in seconds.",
        DefaultValueFactory = _ => 0.01,
    };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the synthetic day.", DefaultValueFactory = _ => 42 };
    private static readonly Option<DirectoryInfo> Out = new("--out")
    {
        Description = "Folder for <name>.json, <name>.md and <name>.svg.",
        DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("bench", "results")),
    };
    private static readonly Option<string?> Name = new("--name") { Description = "Base name of the result files (default: today's date, yyyy-MM-dd)." };
    private static readonly Option<bool> NoBaselines = new("--no-baselines") { Description = "Skip the write-path baselines (scenarios and parse only)." };
    private static readonly Option<bool> ParseOnly = new("--parse-only")
    {
        Description = "Only the reader: fast parser vs XmlReader parser, rows/s per core over the day's PriceFull files; no database, no result files.",
    };

    public static Command Create()
    {
        var command = new Command("bench", "Benchmark a synthetic national day end to end, with baselines; writes json, md and svg results.")
        {
            Scale, Seed, Out, Name, NoBaselines, ParseOnly, CommonOptions.DataDir, CommonOptions.Database,
        };
        Scale.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or > 10)
            {
                result.AddError("--scale must be more than 0 and at most 10.");
            }
        });
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        using var loggerFactory = ConsoleLogging.Create();
        var time = TimeProvider.System;
        var settings = new BenchSettings(
            parse.GetValue(Scale), parse.GetValue(Seed), parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir),
            Baselines: !parse.GetValue(NoBaselines), ParseOnly: parse.GetValue(ParseOnly));
        var runner = new BenchRunner(settings, time, loggerFactory, line => console.MarkupLine(Markup.Escape(line)));
        if (settings.ParseOnly)
        {
            var p = await runner.ParseOnlyAsync(ScraperRegistry.Discover().Scrapers, cancellationToken).ConfigureAwait(false);
            console.MarkupLine(Markup.Escape(string.Create(
                CultureInfo.InvariantCulture,
                $"Parse only, {p.Files} files, {p.Rows:N0} rows: fast parser {p.RowsPerSecondPerCore:N0} rows/s per core (CPU {p.CpuSeconds:N2} s), " +
                $"XmlReader parser {p.XmlReaderRowsPerSecondPerCore:N0} rows/s per core (CPU {p.XmlReaderCpuSeconds:N2} s): " +
                $"{p.RowsPerSecondPerCore / Math.Max(p.XmlReaderRowsPerSecondPerCore, 1):N2}×{(p.SameRowCount ? "" : " — ROW COUNTS DIFFER")}")));
            return p.SameRowCount ? 0 : 1;
        }

        BenchReport report;
        try
        {
            report = await runner.RunAsync(ScraperRegistry.Discover().Scrapers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PostgresClusterException or NpgsqlException)
        {
            console.MarkupLine($"[red]Database unavailable:[/] {Markup.Escape(ex.Message)}");
            return 3;
        }
        catch (BenchBusyException ex)
        {
            console.MarkupLine($"[red]Benchmark not started:[/] {Markup.Escape(ex.Message)}");
            return 3;
        }

        BenchOutput.WriteTable(console, report);
        var name = parse.GetValue(Name) ?? report.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var file in await BenchOutput.WriteFilesAsync(report, parse.GetRequiredValue(Out).FullName, name, cancellationToken).ConfigureAwait(false))
        {
            console.MarkupLine($"[grey]Wrote {Markup.Escape(file)}[/]");
        }

        var failed = report.Scenarios.Sum(s => s.FilesFailed);
        return failed == 0 ? 0 : 1;
    }
}
