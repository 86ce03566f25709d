using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Net.Sockets;
using System.Text.Json;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Npgsql;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe sse-load</c>: a load command (not a test) for the dashboard stream. It starts its own <c>gogobe serve</c>
/// on a free loopback port over the demo database, measures the database's transaction rate with one viewer, then
/// connects N viewers to <c>/api/stream-status</c> and measures again, with the delay from each metrics tick (the
/// event's own <c>at</c>) to its arrival at every client, and the server's memory.
/// </summary>
internal static class SseLoadCommand
{
    private static readonly Option<int> Clients = new("--clients") { Description = "SSE clients to connect.", DefaultValueFactory = _ => 1_000 };
    private static readonly Option<int> Seconds = new("--seconds") { Description = "Seconds measured, for the baseline and under load each.", DefaultValueFactory = _ => 20 };
    private static readonly Option<FileInfo?> Output = new("--out") { Description = "Also write the figures as JSON to this file." };

    public static Command Create()
    {
        var command = new Command("sse-load", "Load-test the dashboard stream: N SSE clients on loopback; DB transactions/s, tick-to-client delay, server RSS.")
        {
            Clients, Seconds, Output, CommonOptions.DataDir, CommonOptions.Database,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        var clients = Math.Max(1, parse.GetValue(Clients));
        var window = TimeSpan.FromSeconds(Math.Max(5, parse.GetValue(Seconds)));
        using var loggerFactory = ConsoleLogging.Create();
        await using var database = await AppDatabase.OpenOrReportAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir), demo: true, loggerFactory, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        using var server = StartServer(database.ConnectionString, url);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = url,
                Timeout = Timeout.InfiniteTimeSpan,
            };
            await WaitAliveAsync(http, server, cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"[grey]server pid {server.Id} at {url}; measuring {window.TotalSeconds:F0} s with 1 client, then {clients:N0}[/]");

            var baseline = await MeasureAsync(http, database, server, 1, window, cancellationToken).ConfigureAwait(false);
            var loaded = await MeasureAsync(http, database, server, clients, window, cancellationToken).ConfigureAwait(false);

            var table = new Table().Border(TableBorder.Rounded).AddColumns("", "1 client", $"{clients:N0} clients");
            table.AddRow("clients connected", baseline.Connected.ToString("N0", CultureInfo.CurrentCulture), loaded.Connected.ToString("N0", CultureInfo.CurrentCulture));
            table.AddRow("DB transactions / s", baseline.TransactionsPerSecond.ToString("F1", CultureInfo.CurrentCulture), loaded.TransactionsPerSecond.ToString("F1", CultureInfo.CurrentCulture));
            table.AddRow("metrics events received", baseline.Delays.Length.ToString("N0", CultureInfo.CurrentCulture), loaded.Delays.Length.ToString("N0", CultureInfo.CurrentCulture));
            table.AddRow("tick → client p50 (ms)", baseline.Percentile(0.50).ToString("F1", CultureInfo.CurrentCulture), loaded.Percentile(0.50).ToString("F1", CultureInfo.CurrentCulture));
            table.AddRow("tick → client p99 (ms)", baseline.Percentile(0.99).ToString("F1", CultureInfo.CurrentCulture), loaded.Percentile(0.99).ToString("F1", CultureInfo.CurrentCulture));
            table.AddRow("server RSS (MB)", baseline.ServerRssMegabytes.ToString("F0", CultureInfo.CurrentCulture), loaded.ServerRssMegabytes.ToString("F0", CultureInfo.CurrentCulture));
            console.Write(table);

            if (parse.GetValue(Output) is { } file)
            {
                file.Directory?.Create();
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(new { Baseline = baseline.Summary(), Loaded = loaded.Summary() }), cancellationToken).ConfigureAwait(false);
            }

            return loaded.Connected == clients ? 0 : 1;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<Measurement> MeasureAsync(
        HttpClient http, AppDatabase database, Process server, int clients, TimeSpan window, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delays = new ConcurrentBag<double>();
        var connected = 0;
        var measuring = 0;
        var readers = Enumerable.Range(0, clients).Select(_ => Task.Run(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri("api/stream-status", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref connected);
                    var stream = await response.Content.ReadAsStreamAsync(stop.Token).ConfigureAwait(false);
                    await foreach (var item in SseParser.Create(stream).EnumerateAsync(stop.Token).ConfigureAwait(false))
                    {
                        if (item.EventType == "metrics" && Volatile.Read(ref measuring) == 1)
                        {
                            using var json = JsonDocument.Parse(item.Data);
                            var at = json.RootElement.GetProperty("at").GetDateTimeOffset();
                            delays.Add((DateTimeOffset.UtcNow - at).TotalMilliseconds);
                        }
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
                {
                    // The window ended (or the client could not connect: counted by `connected`).
                }
            },
            CancellationToken.None)).ToList();

        // Let every client connect and the stream settle before the window opens.
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref connected) < clients && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        var before = await TransactionsAsync(database, cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(window, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        var after = await TransactionsAsync(database, cancellationToken).ConfigureAwait(false);
        var elapsed = watch.Elapsed.TotalSeconds;
        var rss = ServerRssMegabytes(server);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(readers).ConfigureAwait(false);
        // The two sampling queries are this command's own transactions.
        return new Measurement(Volatile.Read(ref connected), (after - before - 1) / elapsed, [.. delays], rss);
    }

    private static async Task<long> TransactionsAsync(AppDatabase database, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
        // Statistics are snapshotted per transaction; a fresh one each time reads the current counters.
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static Process StartServer(string connectionString, Uri url)
    {
        var start = SelfCommand.StartInfo("serve", "--demo", "--urls", url.ToString().TrimEnd('/'));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["GOGOBE_DB"] = connectionString;
        start.Environment["Gogobe__Runs__Schedule"] = string.Empty;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start gogobe serve");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitAliveAsync(HttpClient http, Process server, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 240; i++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"gogobe serve exited with code {server.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("alive", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException("gogobe serve did not answer /alive within 60 s");
    }

    private static double ServerRssMegabytes(Process server)
    {
        server.Refresh();
        return server.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Measurement(int Connected, double TransactionsPerSecond, double[] Delays, double ServerRssMegabytes)
    {
        public double Percentile(double p)
        {
            if (Delays.Length == 0)
            {
                return double.NaN;
            }

            var sorted = Delays.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        }

        public object Summary() => new
        {
            Connected,
            TransactionsPerSecond,
            Events = Delays.Length,
            P50Milliseconds = Percentile(0.50),
            P99Milliseconds = Percentile(0.99),
            ServerRssMegabytes,
        };
    }
}
