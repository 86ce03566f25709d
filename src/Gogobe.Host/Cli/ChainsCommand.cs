using System.CommandLine;
using System.Text.Json;
using Gogobe.Core.Scraping;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Gogobe.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe chains</c>: the chains the registry found, with their portal family, ids, portal address, and the last
/// outcome each had in <c>file_processing_log</c> (its newest run's file counts and last error). The list never depends
/// on the database: when it cannot be reached the command says so and still lists the chains.
/// </summary>
internal static class ChainsCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "Write the list as JSON (one array) instead of a table." };
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("chains", "List the registered chains (found by reflection), their portals and their last outcome (--demo: in the demo database).")
        {
            Json, CommonOptions.Demo, CommonOptions.Database, CommonOptions.DataDir,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var scrapers = ScraperRegistry.Discover().Scrapers;
        var (outcomes, databaseNote) = await LastOutcomesAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir), parse.GetValue(CommonOptions.Demo),
            cancellationToken).ConfigureAwait(false);
        var rows = scrapers.Select(s => Row(s, outcomes)).ToList();
        if (parse.GetValue(Json))
        {
            var json = JsonSerializer.Serialize(new { database = databaseNote, chains = rows }, JsonOptions);
            await System.Console.Out.WriteLineAsync(json).ConfigureAwait(false);
            return 0;
        }

        var console = CliConsole.Create();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Chain", "Chain id(s)", "Family", "Portal", "Last outcome", "Class");
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                string.Join(", ", row.ChainIds),
                Markup.Escape(row.Family),
                Markup.Escape(row.Portal),
                Outcome(row.LastOutcome),
                Markup.Escape(row.Class));
        }

        console.Write(table);
        console.MarkupLine($"[grey]{rows.Count} chains. Last outcomes: {Markup.Escape(databaseNote)}[/]");
        return 0;
    }

    private static ChainRow Row(SupermarketScraper scraper, IReadOnlyDictionary<string, LastOutcome> outcomes) => new(
        scraper.Chain.Name,
        [.. scraper.Chain.AllIds],
        scraper.Portal.Family,
        scraper.Portal.Address.ToString(),
        scraper.GetType().FullName ?? scraper.GetType().Name,
        outcomes.TryGetValue(scraper.Chain.Name, out var outcome) ? outcome : null);

    private static string Outcome(LastOutcome? outcome)
    {
        if (outcome is null)
        {
            return "[grey]—[/]";
        }

        var colour = outcome.Status switch
        {
            "failed" => "red",
            "processing" => "blue",
            "skipped" => "grey",
            _ => "green",
        };
        var text = $"[{colour}]{outcome.Status}[/] {outcome.At:yyyy-MM-dd HH:mm} UTC: {outcome.Completed} completed, {outcome.Failed} failed, {outcome.Skipped} skipped";
        return outcome.Error is { Length: > 0 } error ? $"{text}\n[red]{Markup.Escape(error.Length > 160 ? error[..160] + "…" : error)}[/]" : text;
    }

    /// <summary>
    /// The newest run of each chain (by name, the log's <c>source</c>), from the fleet query and the run totals the
    /// dashboard uses (both index-served). Empty with the reason when the database cannot be reached.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, LastOutcome> Outcomes, string Note)> LastOutcomesAsync(
        string? connectionString, string dataDirectory, bool demo, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<string, LastOutcome>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(connectionString) && !File.Exists(Path.Combine(Path.GetFullPath(dataDirectory), "PG_VERSION")))
        {
            // Listing chains must not initdb a cluster: with none, nothing has run yet.
            return (outcomes, $"no database configured (--db or GOGOBE_DB) and no managed cluster in {Path.GetFullPath(dataDirectory)}; outcomes not shown");
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                // An unreachable server should cost seconds, not Npgsql's default 15.
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                if (builder.Timeout > ConnectTimeout.TotalSeconds)
                {
                    builder.Timeout = (int)ConnectTimeout.TotalSeconds;
                }

                connectionString = builder.ConnectionString;
            }

            await using var database = await AppDatabase.OpenAsync(
                connectionString, dataDirectory, demo, NullLoggerFactory.Instance, cancellationToken).ConfigureAwait(false);
            var latest = await database.Status.LatestPerChainAsync(cancellationToken).ConfigureAwait(false);
            foreach (var run in latest.GroupBy(l => l.RunId))
            {
                var totals = await database.Status.RunTotalsAsync(run.Key, cancellationToken).ConfigureAwait(false);
                foreach (var newest in run)
                {
                    var chain = totals.Chains.FirstOrDefault(c => c.Source == newest.Source)?.Totals ?? FileTotals.Zero;
                    var status = chain.Failed > 0 ? "failed" : chain.Processing > 0 ? "processing" : chain.Completed > 0 ? "completed" : newest.Status;
                    outcomes[newest.Source] = new LastOutcome(
                        status, newest.RunId, newest.FinishedAt ?? newest.StartedAt, chain.Completed, chain.Failed, chain.Skipped, chain.RowsRead,
                        newest.Status == "failed" ? newest.Error : (chain.Failed > 0 ? await LastErrorAsync(database, newest.RunId, newest.Source, cancellationToken).ConfigureAwait(false) : null));
                }
            }

            return (outcomes, $"from {database.Description}");
        }
        catch (Exception ex) when (ex is PostgresClusterException or NpgsqlException or ArgumentException or TimeoutException or IOException)
        {
            return (outcomes, $"database not reachable ({ex.Message.ReplaceLineEndings(" ")}); outcomes not shown");
        }
    }

    /// <summary>The newest error of a chain's run, when its newest file did not fail but an earlier one did.</summary>
    private static async Task<string?> LastErrorAsync(AppDatabase database, Guid runId, string source, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT error FROM file_processing_log WHERE run_id = $1 AND source = $2 AND status = 'failed' ORDER BY started_at DESC, id DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private sealed record ChainRow(string Name, IReadOnlyList<string> ChainIds, string Family, string Portal, string Class, LastOutcome? LastOutcome);

    /// <summary>A chain's newest run as the file log has it: files by status and the last error.</summary>
    private sealed record LastOutcome(
        string Status, Guid RunId, DateTimeOffset At, int Completed, int Failed, int Skipped, long RowsRead, string? Error);
}
