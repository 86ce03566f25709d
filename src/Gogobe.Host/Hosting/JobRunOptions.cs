using Gogobe.Core.Orchestration;
using Gogobe.Core.Supervision;
using Gogobe.Simulator;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Turns a run's stored settings into the options a worker runs its chain with, the same in every process: the
/// submitting process's <see cref="RunFactory"/> and a worker elsewhere build identical options from the same row.
/// </summary>
internal static class JobRunOptions
{
    public static RunOptions Create(JobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var demo = settings.DemoPortal;
        // The simulator is on loopback: a proxy would only stand in the way.
        var proxy = demo is null ? settings.Proxy : null;
        return new RunOptions
        {
            Force = settings.Force,
            MaxDegreeOfParallelism = 1,
            BatchSize = settings.BatchSize,
            MaxRejectedShare = settings.MaxRejectedShare,
            PortalAddress = demo is null ? null : real => PortalSimulator.MapPortal(demo, real),
            HttpClientFactory = chain => ScrapeHttpClients.Create(chain, proxy, settings.PerHostConcurrency),
        };
    }
}
