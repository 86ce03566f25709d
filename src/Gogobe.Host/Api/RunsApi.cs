using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Host.Hosting;
using Gogobe.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gogobe.Host.Api;

/// <summary>
/// The job API over the durable run and task tables. <c>POST /api/runs</c> queues a run (202 with its id at once, 409
/// while one is active in any process, 400 naming the problem for a body that is not a <see cref="RunRequest"/>); <c>GET /api/runs/{id}</c> gives its state, progress, per-task results and file
/// totals; <c>DELETE /api/runs/{id}</c> and <c>DELETE /api/runs/{id}/chains/{chainId}</c> request aborts, which the
/// workers (in any process) notice within about a second.
/// </summary>
internal static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/api/runs");
        runs.MapPost(string.Empty, StartAsync);
        runs.MapGet("/{id:guid}", GetAsync);
        runs.MapDelete("/{id:guid}", CancelAsync);
        runs.MapDelete("/{id:guid}/chains/{chainId}", AbortChainAsync);
        return endpoints;
    }

    /// <summary>
    /// The state as the dashboard and older clients know it: Running while queued or running, then Finished, or
    /// Cancelled when the run was aborted. <see cref="RunView.JobState"/> has the supervisor's own state.
    /// </summary>
    public static string LegacyState(JobState state) => state switch
    {
        JobState.Queued or JobState.Running => "Running",
        JobState.Aborted => "Cancelled",
        _ => "Finished",
    };

    private static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> StartAsync(
        HttpRequest http, RunLauncher launcher, ScraperRegistry registry, CancellationToken cancellationToken)
    {
        var (request, problem) = await RunRequest.ReadAsync(http, registry, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return TypedResults.Problem(title: "Bad run request", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        }

        var start = await launcher.TryStartAsync(request, cancellationToken).ConfigureAwait(false);
        return start.RunId is { } runId
            ? TypedResults.Accepted(Location(runId), new RunStarted(runId))
            : TypedResults.Problem(
                title: "A run is already in progress",
                detail: $"Run {start.ActiveRunId} is still active; wait for it to finish or DELETE {Location(start.ActiveRunId!.Value)}.",
                statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(Guid id, AppDatabase database, CancellationToken cancellationToken)
    {
        var run = await database.Jobs.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return NotFound(id);
        }

        var tasks = await database.Jobs.ListTasksAsync(id, state: null, limit: 10_000, cancellationToken).ConfigureAwait(false);
        var totals = await database.Status.RunTotalsAsync(id, cancellationToken).ConfigureAwait(false);
        var progress = tasks.Count == 0 ? 100 : (int)Math.Round(tasks.Average(t => t.State.IsTerminal() ? 100 : t.Progress));
        bool? succeeded = run.State.IsTerminal() ? run.State == JobState.Succeeded && totals.Totals.Failed == 0 : null;
        return TypedResults.Ok(new RunView(
            id, LegacyState(run.State), run.State.ToDb(), progress, run.StartedAt ?? run.CreatedAt, run.FinishedAt, succeeded, run.Reason,
            run.AbortRequested, totals.Totals, totals.Chains,
            [.. tasks.OrderBy(t => t.ChainName, StringComparer.OrdinalIgnoreCase).Select(TaskView.From)]));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(Guid id, AppDatabase database, CancellationToken cancellationToken)
    {
        var target = await database.Jobs.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is null
            ? AbortTarget.NotFound
            : await database.Jobs.RequestAbortAsync(id, cancellationToken).ConfigureAwait(false);
        return Answer(target, id);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> AbortChainAsync(
        Guid id, string chainId, AppDatabase database, ScraperRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.Scrapers.Any(s => s.Chain.Id == chainId))
        {
            return TypedResults.Problem(title: "No such chain", detail: $"No chain {chainId} is registered.", statusCode: StatusCodes.Status404NotFound);
        }

        var run = await database.Jobs.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return NotFound(id);
        }

        if (run.State.IsTerminal())
        {
            return Answer(AbortTarget.AlreadyFinished, id);
        }

        return Answer(await database.Jobs.RequestChainAbortAsync(id, chainId, cancellationToken).ConfigureAwait(false), id);
    }

    private static Results<Accepted, ProblemHttpResult> Answer(AbortTarget target, Guid id) => target switch
    {
        AbortTarget.Run or AbortTarget.Task => TypedResults.Accepted(Location(id)),
        AbortTarget.AlreadyFinished => TypedResults.Problem(
            title: "The run is not running", detail: $"Run {id} (or that chain of it) has already ended.", statusCode: StatusCodes.Status409Conflict),
        _ => NotFound(id),
    };

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "No such run", detail: $"No run {id} is known.", statusCode: StatusCodes.Status404NotFound);

    private static string Location(Guid id) => $"/api/runs/{id}";

    internal sealed record RunStarted(Guid RunId);

    internal sealed record RunView(
        Guid RunId,
        string State,
        string JobState,
        int Progress,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt,
        bool? Succeeded,
        string? Error,
        bool AbortRequested,
        FileTotals Totals,
        IReadOnlyList<ChainRunTotals> Chains,
        IReadOnlyList<TaskView> Tasks);

    internal sealed record TaskView(
        Guid TaskId,
        string ChainId,
        string ChainName,
        string State,
        string? Reason,
        int Attempt,
        int MaxAttempts,
        int Progress,
        string? Phase,
        string? WorkerId,
        DateTimeOffset? HeartbeatAt,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt,
        TaskResultSummary? Result)
    {
        public static TaskView From(TaskRecord task) => new(
            task.Id, task.ChainId, task.ChainName, task.State.ToDb(), task.Reason, task.Attempt, task.MaxAttempts, task.Progress, task.Phase,
            task.WorkerId, task.HeartbeatAt, task.StartedAt, task.FinishedAt, TaskResultSummary.FromJson(task.Result));
    }
}
