using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Gogobe.Host.Bench;

/// <summary>Writes a <see cref="BenchReport"/> as the console table, <c>&lt;name&gt;.json</c>, <c>&lt;name&gt;.md</c> and <c>&lt;name&gt;.svg</c>.</summary>
internal static class BenchOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<IReadOnlyList<string>> WriteFilesAsync(BenchReport report, string directory, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, name + ".json");
        var md = Path.Combine(directory, name + ".md");
        var svg = Path.Combine(directory, name + ".svg");
        var stream = File.Create(json);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, report, Json, cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(md, Markdown(report, name + ".svg"), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(svg, Chart(report), cancellationToken).ConfigureAwait(false);
        return [json, md, svg];
    }

    public static void WriteTable(IAnsiConsole console, BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table().AddColumns("scenario", "wall s", "rows read", "rows/s", "files/s", "changed (expected)", "peak RSS MB (start; GC)", "simulator MB", "CPU s", "GCs 0/1/2 (pause)", "split");
        foreach (var s in report.Scenarios)
        {
            table.AddRow(
                Markup.Escape(s.Name), F(s.WallSeconds, 2), N(s.RowsRead), N(s.RowsPerSecond), F(s.FilesPerSecond, 1),
                $"{N(s.RowsChanged)} ({N(s.ExpectedRowsChanged)})", $"{N(s.PeakRssMegabytes)} ({N(s.StartRssMegabytes)}; {N(s.PeakGcCommittedMegabytes)})", N(s.SimulatorPeakRssMegabytes), F(s.CpuSeconds, 1), s.Gc.ToString(), Markup.Escape(s.Split.Shares()));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"Parse only (reader alone, one thread): {report.ParseOnly.RowsPerSecondPerCore:N0} rows/s per core over {report.ParseOnly.Rows:N0} rows " +
            $"(XmlReader parser, same files: {report.ParseOnly.XmlReaderRowsPerSecondPerCore:N0}; {report.ParseOnly.RowsPerSecondPerCore / Math.Max(report.ParseOnly.XmlReaderRowsPerSecondPerCore, 1):N2}×)")));
        if (report.Baselines.Count > 0)
        {
            var baselines = new Table().AddColumns("write path", "rows", "e2e rows/s (first)", "write rows/s (first)", "e2e rows/s (again)", "write rows/s (again)");
            foreach (var b in report.Baselines)
            {
                baselines.AddRow(Markup.Escape(b.Method), N(b.Rows), N(b.FirstEndToEndRowsPerSecond), N(b.FirstWriteRowsPerSecond),
                    N(b.AgainEndToEndRowsPerSecond), N(b.AgainWriteRowsPerSecond));
            }

            console.Write(baselines);
            foreach (var r in report.Ratios)
            {
                console.MarkupLine(Markup.Escape(FormattableString.Invariant($"{r.Times:N2}× {r.Against} — {r.Measure} (target {r.Target}×)")));
            }
        }
    }

    private static string Markdown(BenchReport report, string chart)
    {
        var m = report.Machine;
        var s = report.Scale;
        var d = report.Day;
        var b = new StringBuilder();
        b.AppendLine(Inv, $"# Gogobe benchmark, {report.At:yyyy-MM-dd HH:mm} UTC");
        b.AppendLine();
        b.AppendLine(Inv, $"Machine: {m.Cores} cores ({m.Cpu}), {m.MemoryMegabytes:N0} MB, {m.Os}; {m.Runtime}, GC {m.Gc}; {m.Postgres} on the same machine.");
        b.AppendLine();
        b.AppendLine(Inv, $"Day: scale {s.Scale} = {s.Chains} chains × {s.StoresPerChain} stores × {s.ItemsPerStore:N0} items, seed {report.Seed}: " +
            $"{d.Files:N0} files ({d.PriceFiles:N0} PriceFull), {d.Bytes / 1e6:N1} MB compressed, {d.RowsInFiles:N0} price rows ({d.DistinctRows:N0} distinct); generated in {d.GenerateSeconds:N1} s before timing.");
        b.AppendLine();
        b.AppendLine("| scenario | wall s | rows read | rows/s | files/s | rows changed (expected) | peak RSS MB (at start; managed heap committed, peak) | simulator's peak RSS MB (own process) | CPU s | garbage collections gen0 / 1 / 2 (pauses) | download / parse / resolve / write (thread-seconds shares) |");
        b.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var x in report.Scenarios)
        {
            var t = Math.Max(x.Split.Total, 1e-9);
            b.AppendLine(Inv, $"| {x.Description} | {x.WallSeconds:N2} | {x.RowsRead:N0} | {x.RowsPerSecond:N0} | {x.FilesPerSecond:N1} | {x.RowsChanged:N0} ({x.ExpectedRowsChanged:N0}) | {x.PeakRssMegabytes:N0} ({x.StartRssMegabytes:N0}; {x.PeakGcCommittedMegabytes:N0}) | {x.SimulatorPeakRssMegabytes:N0} | {x.CpuSeconds:N1} | {x.Gc} | {x.Split.Download / t:P0} / {x.Split.Parse / t:P0} / {x.Split.Resolve / t:P0} / {x.Split.Write / t:P0} (COPY {x.Split.Copy:N1} s, upsert {x.Split.Upsert:N1} s) |");
        }

        b.AppendLine();
        var p = report.ParseOnly;
        b.AppendLine(Inv, $"Parse only (the reader alone, one thread, {p.Files} files, {p.Rows:N0} rows): **{p.RowsPerSecondPerCore:N0} rows/s per core** (CPU {p.CpuSeconds:N2} s, wall {p.WallSeconds:N2} s); the XmlReader parser on the same files in the same run: {p.XmlReaderRowsPerSecondPerCore:N0} rows/s per core (CPU {p.XmlReaderCpuSeconds:N2} s), so the fast parser is {p.RowsPerSecondPerCore / Math.Max(p.XmlReaderRowsPerSecondPerCore, 1):N2}× it.");
        if (report.Baselines.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("Write paths over the same subset, same harness (files parsed and deduplicated, then written; as many files at once as cores), fresh database each:");
            b.AppendLine();
            b.AppendLine("| write path | rows | end to end rows/s (first load) | write step rows/s (first load) | end to end rows/s (again) | write step rows/s (again) |");
            b.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var x in report.Baselines)
            {
                b.AppendLine(Inv, $"| {x.Method} | {x.Rows:N0} | {x.FirstEndToEndRowsPerSecond:N0} | {x.FirstWriteRowsPerSecond:N0} | {x.AgainEndToEndRowsPerSecond:N0} | {x.AgainWriteRowsPerSecond:N0} |");
            }

            b.AppendLine();
            b.AppendLine("| Gogobe vs | measure | times faster | target |");
            b.AppendLine("|---|---|---:|---:|");
            foreach (var r in report.Ratios)
            {
                b.AppendLine(Inv, $"| {r.Against} | {r.Measure} | {r.Times:N2}× | {r.Target}× |");
            }
        }

        b.AppendLine();
        b.AppendLine(Inv, $"![rows/s]({chart})");
        return b.ToString();
    }

    /// <summary>A horizontal bar chart of rows/s per scenario and write path (plain SVG, no dependencies).</summary>
    private static string Chart(BenchReport report)
    {
        var bars = new List<(string Label, double Value)>();
        foreach (var s in report.Scenarios.Where(s => s.RowsRead > 0))
        {
            bars.Add(($"Gogobe run: {s.Description}", s.RowsPerSecond));
        }

        foreach (var b in report.Baselines)
        {
            bars.Add(($"{b.Method}: end to end, first load", b.FirstEndToEndRowsPerSecond));
            bars.Add(($"{b.Method}: write step, first load", b.FirstWriteRowsPerSecond));
        }

        bars.Add(("parse only, per core", report.ParseOnly.RowsPerSecondPerCore));
        const int left = 420;
        const int width = 360;
        const int row = 26;
        var max = Math.Max(bars.Max(b => b.Value), 1);
        var height = 40 + (bars.Count * row);
        var svg = new StringBuilder();
        svg.AppendLine(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 120}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(Inv, $"<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">rows/s, scale {report.Scale.Scale}, {report.Machine.Cores} cores, {report.At:yyyy-MM-dd}</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = 34 + (i * row);
            var w = Math.Max(1, bars[i].Value / max * width);
            var colour = bars[i].Label.StartsWith("Gogobe", StringComparison.Ordinal) ? "#2b7bd6" : bars[i].Label.StartsWith("parse", StringComparison.Ordinal) ? "#6aa84f" : "#999999";
            svg.AppendLine(Inv, $"<text x=\"{left - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{WebUtility.HtmlEncode(bars[i].Label)}</text>");
            svg.AppendLine(Inv, $"<rect x=\"{left}\" y=\"{y + 3}\" width=\"{w:F1}\" height=\"{row - 8}\" fill=\"{colour}\"/>");
            svg.AppendLine(Inv, $"<text x=\"{left + w + 6:F1}\" y=\"{y + 15}\">{bars[i].Value:N0}</text>");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string N(double value) => value.ToString("N0", Inv);

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(Inv), Inv);
}
