using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Host.Configuration;
using Gogobe.Host.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Hosting;

/// <summary>
/// The in-process workers of <c>gogobe serve</c> (<c>Gogobe:Runs:Parallelism</c> loops): they lease the tasks of runs
/// submitted by the API or the schedule, and rescue orphans of any process. Stopping serve stops them gracefully:
/// running chains roll back their open file and their tasks go back to the queue.
/// </summary>
internal sealed class WorkerService(
    AppDatabase database, ScraperRegistry registry, IOptions<RunsOptions> runs, IOptions<PortalHttpOptions> http, TimeProvider time, ILoggerFactory loggerFactory) : StoppableBackgroundService
{
    protected override Task RunAsync(CancellationToken stoppingToken) =>
        new WorkerPool(database, registry.Scrapers, new SupervisorOptions(), runs.Value.Parallelism, http.Value, time, loggerFactory,
            new FileOutcomeLogger(loggerFactory))
            .RunAsync(new WorkerLimits(), stoppingToken);
}
