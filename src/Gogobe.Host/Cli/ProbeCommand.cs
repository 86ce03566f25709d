using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Gogobe.Core;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Host.Configuration;
using Gogobe.Host.Hosting;
using Gogobe.Host.Http;
using Gogobe.Scrapers.Families;
using Gogobe.Scrapers.Ftp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe probe</c>: what a chain's portal publishes for a day, as its scraper sees it (login, listing, names, kinds,
/// stores, times, sizes), without downloading a file or touching the database. The tool for "did the portal change?":
/// exit 0 with the list, exit 1 naming the step that failed (login refused, an HTTP status, the selector or key not
/// found, with its address).
/// </summary>
internal static class ProbeCommand
{
    private static readonly Option<string[]> Chains = new("--chain")
    {
        Description = "The chain to probe, by name, class or chain id (repeat for several).",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string?> Portal = new("--portal")
    {
        Description = "Read this address instead of the chain's portal (a local copy, a mirror); one chain only. ftps:// reads Cerberus over FTPS.",
    };

    private static readonly Option<string?> Day = new("--day") { Description = "The Israel date to probe, YYYY-MM-DD (default: today)." };

    private static readonly Option<bool> Json = new("--json") { Description = "Print a JSON array of the files (name, kind, store, published, size, url, chain)." };

    private static readonly Option<string?> Proxy = new("--proxy") { Description = "HTTP proxy for the real portals." };

    private static readonly Option<string?> Pin = new("--certificate-pin")
    {
        Description = "SHA-256 thumbprint of a TLS certificate to trust although it does not validate (a local FTPS copy with a self-signed certificate).",
    };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("probe", "Show what a chain's portal publishes for a day, as its scraper sees it; downloads nothing, writes nothing.")
        {
            Chains, Portal, Day, Json, CommonOptions.Demo, Proxy, Pin,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var error = System.Console.Error;
        IReadOnlyList<SupermarketScraper> scrapers;
        try
        {
            scrapers = ScraperRegistry.Discover().Select(parse.GetValue(Chains) ?? []);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (!TryAddress(parse.GetValue(Portal), "--portal", out var portal) || !TryAddress(parse.GetValue(Proxy), "--proxy", out var proxy))
        {
            return ExitCodes.Usage;
        }

        var demo = parse.GetValue(CommonOptions.Demo);
        if (portal is not null && (scrapers.Count != 1 || demo))
        {
            await error.WriteLineAsync("--portal replaces one chain's portal: give exactly one --chain, and not --demo.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (portal is not null && !portal.AbsolutePath.EndsWith('/'))
        {
            portal = new UriBuilder(portal) { Path = portal.AbsolutePath + "/" }.Uri; // a base address: chains resolve their paths below it
        }

        TimeProvider clock = TimeProvider.System;
        if (parse.GetValue(Day) is { } dayText)
        {
            if (!DateOnly.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                await error.WriteLineAsync($"--day must be a date as YYYY-MM-DD, not '{dayText}'.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            clock = new IsraelDayClock(day);
        }

        var configuration = new ConfigurationManager();
        GogobeConfiguration.Compose(configuration, AppContext.BaseDirectory, new Dictionary<string, string?>());
        var http = GogobeConfiguration.Read<PortalHttpOptions>(configuration, PortalHttpOptions.Section);
        if (new PortalHttpOptionsValidator().Validate(null, http) is { Failed: true } invalid)
        {
            await error.WriteLineAsync("Invalid configuration: " + string.Join(" ", invalid.Failures ?? [])).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var loggerFactory = ConsoleLogging.Create();
        await using var simulator = demo
            ? await DemoPortal.StartAsync(scrapers, new DemoScale(0, 3, 50, 42), clock, loggerFactory, cancellationToken).ConfigureAwait(false)
            : null;
        using var clients = simulator is null
            ? PortalHttpClients.Create(http, proxy ?? (string.IsNullOrWhiteSpace(http.Proxy) ? null : new Uri(http.Proxy)), 2, loggerFactory)
            : PortalHttpClients.Create(http.ForSimulator(), proxy: null, 2, loggerFactory);

        var json = parse.GetValue(Json);
        var listed = new List<ProbedFile>();
        var failed = 0;
        var today = IsraelClock.Today(clock);
        foreach (var scraper in scrapers)
        {
            var address = portal ?? simulator?.MapPortal(scraper.Portal.Address) ?? scraper.Portal.Address;
            using var client = clients.CreateClient(scraper.Chain);
            var context = new ScrapeContext(client, address, clock, loggerFactory.CreateLogger(scraper.GetType()))
            {
                CertificatePin = parse.GetValue(Pin),
            };
            var result = await ProbeAsync(scraper, context, today, cancellationToken).ConfigureAwait(false);
            listed.AddRange(result.Files);
            if (result.Failure is not null)
            {
                failed++;
                await error.WriteLineAsync($"{scraper.Chain}: probe of {address} failed at {result.Failure}").ConfigureAwait(false);
            }

            if (!json)
            {
                await PrintAsync(scraper, address, today, result).ConfigureAwait(false);
            }
        }

        if (json)
        {
            await System.Console.Out.WriteLineAsync(JsonSerializer.Serialize(listed, JsonOptions)).ConfigureAwait(false);
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Failures;
    }

    private static bool TryAddress(string? text, string option, out Uri? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out address) && address.Scheme is "http" or "https" or "ftp" or "ftps")
        {
            return true;
        }

        System.Console.Error.WriteLine($"{option} must be an absolute http(s):// or ftp(s):// address, not '{text}'.");
        return false;
    }

    /// <summary>The chain's listing, kept to the files of <paramref name="day"/> (by the listing's time, else the name's).</summary>
    private static async Task<ProbeResult> ProbeAsync(SupermarketScraper scraper, ScrapeContext context, DateOnly day, CancellationToken cancellationToken)
    {
        var files = new List<ProbedFile>();
        var otherDays = 0;
        try
        {
            await foreach (var file in scraper.ListFilesAsync(context, cancellationToken).ConfigureAwait(false))
            {
                var parsed = PriceFileName.TryParse(file.Name, out var name) ? name : null;
                var published = file.PublishedAt ?? (parsed is { PublishedAt: var at } && at != default ? at : null);
                if (published is { } p && DateOnly.FromDateTime(p) != day)
                {
                    otherDays++;
                    continue;
                }

                files.Add(new ProbedFile(
                    scraper.Chain.Name, file.Name, parsed?.Kind.ToString() ?? PriceFileReader.KindOf(file.Name)?.ToString(),
                    parsed is { IsPlaceholder: false } ? parsed.StoreId : null, published, file.Size, file.Location.AbsoluteUri));
            }

            return new ProbeResult(files, otherDays, Notice: null, Failure: null);
        }
        catch (NoFilesYetException ex)
        {
            return new ProbeResult(files, otherDays, ex.Message, Failure: null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(files, otherDays, Notice: null, Step(ex) + ": " + ex.Message);
        }
    }

    /// <summary>The step a failure happened at, as the operator reads it.</summary>
    private static string Step(Exception ex) => ex switch
    {
        CerberusLoginRefusedException => "login",
        FtpsException ftps when ftps.Message.Contains("login", StringComparison.OrdinalIgnoreCase) => "login",
        FtpsException => "FTPS",
        PortalChangedException { Step: { } step } => step,
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status} {status}",
        HttpRequestException => "connection",
        TaskCanceledException or TimeoutException => "timeout",
        _ => "listing",
    };

    private static async Task PrintAsync(SupermarketScraper scraper, Uri address, DateOnly day, ProbeResult result)
    {
        var output = System.Console.Out;
        await output.WriteLineAsync($"{scraper.Chain} — {scraper.Portal.Family} at {address}").ConfigureAwait(false);
        foreach (var file in result.Files)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {file.Kind ?? "?",-9}  store {(file.Store is { } s ? s.ToString("000", CultureInfo.InvariantCulture) : "—"),-3}  {(file.Published is { } p ? p.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "time unknown"),-16}  {Size(file.Size),10}  {file.Name}"))
                .ConfigureAwait(false);
        }

        var summary = $"  {result.Files.Count} files for {day:yyyy-MM-dd}"
            + (result.OtherDays > 0 ? $" ({result.OtherDays} more listed from other days)" : "")
            + (result.Notice is { } notice ? $"; {notice}" : "")
            + (result.Failure is { } failure ? $"; FAILED at {failure}" : "");
        await output.WriteLineAsync(summary).ConfigureAwait(false);
    }

    private static string Size(long? bytes) => bytes switch
    {
        null => "size unknown",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024d * 1024):0.0} MB"),
    };

    private sealed record ProbeResult(List<ProbedFile> Files, int OtherDays, string? Notice, string? Failure);

    /// <summary>One listed file as <c>--json</c> prints it.</summary>
    private sealed record ProbedFile(string Chain, string Name, string? Kind, int? Store, DateTime? Published, long? Size, string Url);

    /// <summary>Noon in Israel of a chosen day: the "today" a probe of that day runs in.</summary>
    private sealed class IsraelDayClock(DateOnly day) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow()
        {
            var (start, end) = IsraelClock.DayBounds(day);
            return start + ((end - start) / 2);
        }
    }
}
