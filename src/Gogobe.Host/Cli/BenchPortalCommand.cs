using System.CommandLine;
using System.Globalization;
using Gogobe.Core.Scraping;
using Gogobe.Host.Bench;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe bench-portal</c> (hidden): the simulator of a <c>gogobe bench</c> run, in its own process so that its
/// model of the day does not count as Gogobe's memory. Started and driven by the bench (<see cref="BenchDay"/>);
/// speaks <see cref="BenchPortalProtocol"/> on stdin/stdout and logs warnings to stderr.
/// </summary>
internal static class BenchPortalCommand
{
    private static readonly Option<string> Chains = new("--chains") { Description = "Chain ids, comma-separated.", Required = true };
    private static readonly Option<int> Stores = new("--stores") { Description = "Stores per chain.", Required = true };
    private static readonly Option<int> Items = new("--items") { Description = "Distinct items per store.", Required = true };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the synthetic day.", Required = true };
    private static readonly Option<string> Day = new("--day") { Description = "The simulated day, yyyy-MM-dd.", Required = true };
    private static readonly Option<string> Cache = new("--cache") { Description = "Folder the generated files are written to.", Required = true };

    public static Command Create()
    {
        var command = new Command("bench-portal", "The benchmark's simulator process (started by gogobe bench).")
        {
            Chains, Stores, Items, Seed, Day, Cache,
        };
        command.Hidden = true;
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var ids = parse.GetRequiredValue(Chains).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var registered = ScraperRegistry.Discover().Scrapers;
        var unknown = ids.Where(id => registered.All(s => s.Chain.Id != id)).ToArray();
        if (unknown.Length > 0 || !DateOnly.TryParseExact(parse.GetRequiredValue(Day), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            await System.Console.Error.WriteLineAsync($"bench-portal: unknown chains ({string.Join(", ", unknown)}) or a --day not yyyy-MM-dd").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Stdout carries the protocol, so every log line goes to stderr, which the bench forwards when this process fails.
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(options => options.SingleLine = true)
            .Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
        var portal = await BenchPortal.StartAsync(
            [.. ids.Select(id => registered.First(s => s.Chain.Id == id))], parse.GetRequiredValue(Stores), parse.GetRequiredValue(Items),
            parse.GetRequiredValue(Seed), day, parse.GetRequiredValue(Cache), loggerFactory, cancellationToken).ConfigureAwait(false);
        await portal.ServeAsync(System.Console.In, System.Console.Out, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
