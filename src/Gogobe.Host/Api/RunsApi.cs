using Gogobe.Core.Scraping;
using Gogobe.Host.Hosting;
using Gogobe.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gogobe.Host.Api;

/// <summary>
/// <c>POST /api/runs</c> starts a run in the background (202 with its id, 409 while one runs);
/// <c>GET /api/runs/{id}</c> gives its state and totals; <c>DELETE /api/runs/{id}</c> cancels it;
/// <c>DELETE /api/runs/{id}/chains/{chainId}</c> aborts one chain of it.
/// </summary>
internal static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/api/runs");
        runs.MapPost(string.Empty, Start);
        runs.MapGet("/{id:guid}", GetAsync);
        runs.MapDelete("/{id:guid}", Cancel);
        runs.MapDelete("/{id:guid}/chains/{chainId}", AbortChain);
        return endpoints;
    }

    private static Results<Accepted<RunStarted>, ProblemHttpResult> Start(RunLauncher launcher)
    {
        var start = launcher.TryStart();
        return start.Run is { } run
            ? TypedResults.Accepted(Location(run.Id), new RunStarted(run.Id))
            : TypedResults.Problem(
                title: "A run is already in progress",
                detail: $"Run {start.Active!.Id} is still running; wait for it to finish or DELETE {Location(start.Active.Id)}.",
                statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(
        Guid id, RunLauncher launcher, AppDatabase database, CancellationToken cancellationToken)
    {
        var launched = launcher.Find(id);
        var totals = await database.Status.RunTotalsAsync(id, cancellationToken).ConfigureAwait(false);
        if (launched is null && totals.Totals.Files == 0)
        {
            return NotFound(id);
        }

        // A run this process did not start (e.g. `gogobe run`) is known only by its log rows.
        var state = launched?.State.ToString() ?? (totals.Totals.Processing > 0 ? nameof(RunState.Running) : nameof(RunState.Finished));
        return TypedResults.Ok(new RunView(
            id, state, launched?.StartedAt, launched?.FinishedAt, launched?.Succeeded, launched?.Error, totals.Totals, totals.Chains));
    }

    private static Results<Accepted, ProblemHttpResult> Cancel(Guid id, RunLauncher launcher)
    {
        if (launcher.TryCancel(id))
        {
            return TypedResults.Accepted(Location(id));
        }

        return launcher.Find(id) is { } run
            ? TypedResults.Problem(
                title: "The run is not running",
                detail: $"Run {id} is already {run.State}.",
                statusCode: StatusCodes.Status409Conflict)
            : NotFound(id);
    }

    private static Results<Accepted, ProblemHttpResult> AbortChain(Guid id, string chainId, RunLauncher launcher, ScraperRegistry registry)
    {
        if (!registry.Scrapers.Any(s => s.Chain.Id == chainId))
        {
            return TypedResults.Problem(title: "No such chain", detail: $"No chain {chainId} is registered.", statusCode: StatusCodes.Status404NotFound);
        }

        if (launcher.TryAbortChain(id, chainId))
        {
            return TypedResults.Accepted(Location(id));
        }

        return launcher.Find(id) is { } run
            ? TypedResults.Problem(title: "The run is not running", detail: $"Run {id} is already {run.State}.", statusCode: StatusCodes.Status409Conflict)
            : NotFound(id);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "No such run", detail: $"No run {id} is known.", statusCode: StatusCodes.Status404NotFound);

    private static string Location(Guid id) => $"/api/runs/{id}";

    internal sealed record RunStarted(Guid RunId);

    internal sealed record RunView(
        Guid RunId,
        string State,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt,
        bool? Succeeded,
        string? Error,
        FileTotals Totals,
        IReadOnlyList<ChainRunTotals> Chains);
}
