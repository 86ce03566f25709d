using Gogobe.Core.Orchestration;
using Gogobe.Core.Supervision;
using Gogobe.Host.Configuration;
using Gogobe.Host.Http;
using Gogobe.Simulator;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Turns a run's stored settings into the options a worker runs its chain with, the same in every process: the
/// submitting process's <see cref="RunFactory"/> and a worker elsewhere build identical options from the same row.
/// The portal HTTP stack is shared by the worker's loops (one per proxy and per-host cap), so the per-host cap,
/// politeness and circuit breakers hold across the chains this process runs at once, not per chain.
/// </summary>
internal sealed class JobRunOptions(PortalHttpOptions http, int loops, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Uri? Proxy, int PerHost, bool Demo), PortalHttpClients> _clients = [];

    public RunOptions Create(JobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var demo = settings.DemoPortal;
        return new RunOptions
        {
            Force = settings.Force,
            MaxDegreeOfParallelism = 1,
            BatchSize = settings.BatchSize,
            MaxRejectedShare = settings.MaxRejectedShare,
            PortalAddress = demo is null ? null : real => PortalSimulator.MapPortal(demo, real),
            HttpClientFactory = ClientsFor(settings.Proxy, settings.PerHostConcurrency, demo is not null).CreateClient,
        };
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var clients in _clients.Values)
            {
                clients.Dispose();
            }

            _clients.Clear();
        }
    }

    private PortalHttpClients ClientsFor(Uri? proxy, int perHost, bool demo)
    {
        // The simulator is one loopback host standing in for every portal: no proxy, no politeness, room for every loop.
        var key = demo ? (null, Math.Max(perHost, loops), true) : (proxy, perHost, false);
        lock (_gate)
        {
            if (!_clients.TryGetValue(key, out var clients))
            {
                clients = demo
                    ? PortalHttpClients.Create(http.ForSimulator(), proxy: null, key.Item2, loggerFactory)
                    : PortalHttpClients.Create(http, proxy, perHost, loggerFactory);
                _clients.Add(key, clients);
            }

            return clients;
        }
    }
}
