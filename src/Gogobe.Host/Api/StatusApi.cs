using Gogobe.Host.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gogobe.Host.Api;

/// <summary>
/// <c>GET /api/status</c>: a JSON snapshot for scripts and tests: the live stream's latest fleet, metrics, db and run
/// data, plus <c>chains</c> (the fleet's chains, kept at the top level for older clients).
/// </summary>
internal static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/status", GetStatusAsync);
        return endpoints;
    }

    private static async Task<Ok<FleetStatus>> GetStatusAsync(
        AppDatabase database, StatusBroadcaster broadcaster, TimeProvider time, CancellationToken cancellationToken)
    {
        await broadcaster.WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        // One source of truth for chain states: the stream's own fleet, so this endpoint and the page never disagree.
        var (fleet, metrics, db, run) = broadcaster.Snapshot();
        return TypedResults.Ok(new FleetStatus(time.GetUtcNow(), database.Description, fleet?.Chains ?? [], fleet, metrics, db, run));
    }

    internal sealed record FleetStatus(
        DateTimeOffset GeneratedAt, string Database, IReadOnlyList<ChainView> Chains, FleetEvent? Fleet, MetricsEvent? Metrics, DbEvent Db, RunEvent Run);
}
