using Gogobe.Core.Scraping;
using Gogobe.Host.Hosting;
using Gogobe.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gogobe.Host.Api;

/// <summary>
/// <c>GET /api/status</c>: a JSON snapshot of the fleet, for scripts, tests and the page: today's fields plus the live
/// stream's latest fleet, metrics, db and run data (null fleet/metrics until the stream's first tick).
/// </summary>
internal static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/status", GetStatusAsync);
        return endpoints;
    }

    private static async Task<Ok<FleetStatus>> GetStatusAsync(
        AppDatabase database, ScraperRegistry registry, StatusBroadcaster broadcaster, TimeProvider time, CancellationToken cancellationToken)
    {
        await broadcaster.WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        var latest = (await database.Status.LatestPerChainAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.ChainId, StringComparer.Ordinal);
        var chains = registry.Scrapers.Select(s =>
        {
            latest.TryGetValue(s.Chain.Id, out var last);
            return new ChainStatus(
                s.Chain.Name, s.Chain.Id, s.Portal.Family, StateOf(last), last?.FileName, last?.Status,
                last?.RowsRead, last?.RowsChanged, last?.Error, last?.StartedAt, last?.FinishedAt);
        }).ToList();
        // The stream's latest events, as the contract has them; the fields above stay for older clients.
        var (fleet, metrics, db, run) = broadcaster.Snapshot();
        return TypedResults.Ok(new FleetStatus(time.GetUtcNow(), database.Description, chains, fleet, metrics, db, run));
    }

    // The newest file decides: one being processed means the chain runs; a failed one is an error.
    private static string StateOf(ChainFileStatus? last) => last?.Status switch
    {
        null => "Waiting",
        FileStatus.Processing => "Running",
        FileStatus.Failed => "Error",
        _ => "Done",
    };

    internal sealed record FleetStatus(
        DateTimeOffset GeneratedAt, string Database, IReadOnlyList<ChainStatus> Chains, FleetEvent? Fleet, MetricsEvent? Metrics, DbEvent Db, RunEvent Run);

    internal sealed record ChainStatus(
        string Name,
        string Id,
        string Family,
        string State,
        string? LastFile,
        string? LastStatus,
        int? RowsRead,
        int? RowsChanged,
        string? Error,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt);
}
