using Gogobe.Host.Configuration;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Hosting;

/// <summary>
/// <paramref name="loops"/> worker loops in this process (each its own worker id, so each leases and heartbeats on its
/// own), over the given scrapers, plus one <see cref="OrphanRescuer"/>. <paramref name="demo"/>: this process's own demo
/// simulator, used for its run's tasks instead of a second one. <c>gogobe worker</c>, <c>gogobe run</c> and <c>gogobe serve</c> all host one.
/// </summary>
internal sealed class WorkerPool(
    AppDatabase database, IReadOnlyList<SupermarketScraper> scrapers, SupervisorOptions supervisor, int loops, PortalHttpOptions http, TimeProvider time,
    ILoggerFactory loggerFactory, IRunObserver? observer = null, DemoPortal? demo = null)
{
    /// <summary>Runs every loop until <paramref name="cancellationToken"/> (graceful stop) or <paramref name="limits"/> end them.</summary>
    public async Task<int> RunAsync(WorkerLimits limits, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loops, 1);
        var orchestrator = RunFactory.CreateOrchestrator(database, time, loggerFactory);
        var options = new JobRunOptions(http, loops, scrapers, loggerFactory, demo);
        await using var _ = options.ConfigureAwait(false);
        var workers = Enumerable.Range(1, loops)
            .Select(n => new JobWorker(JobWorker.NewWorkerId(n), database.Jobs, orchestrator, scrapers, options.CreateAsync, supervisor, time,
                loggerFactory, observer))
            .ToList();
        // A shared task budget: --max-tasks counts the pool's tasks, so each loop gets its share of it.
        var perLoop = limits.MaxTasks is { } max ? limits with { MaxTasks = Math.Max(1, (max + loops - 1) / loops) } : limits;
        using var rescueStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rescue = new OrphanRescuer(database.Jobs, supervisor, time, loggerFactory.CreateLogger<OrphanRescuer>()).RunAsync(rescueStop.Token);
        try
        {
            await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(perLoop, cancellationToken), CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            await rescueStop.CancelAsync().ConfigureAwait(false);
            await rescue.ConfigureAwait(false);
        }

        return workers.Sum(w => w.TasksRun);
    }
}
