using System.Collections.Concurrent;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Host.Configuration;
using Gogobe.Host.Http;
using Gogobe.Simulator;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Turns a run's stored settings into the options a worker runs its chain with, the same in every process: the
/// submitting process and a worker elsewhere build identical options from the same row. A demo run's portals are
/// served by this process's own simulator, started on first need from the run's stored world and kept while this
/// process lives, so a demo task never depends on the process that submitted it. The portal HTTP stack is shared by the
/// worker's loops (one per proxy and per-host cap), so the per-host cap, politeness and circuit breakers hold across
/// the chains this process runs at once, not per chain.
/// </summary>
internal sealed class JobRunOptions(
    PortalHttpOptions http, int loops, IReadOnlyList<SupermarketScraper> scrapers, ILoggerFactory loggerFactory, DemoPortal? running = null) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Uri? Proxy, int PerHost, bool Demo), PortalHttpClients> _clients = [];
    private readonly ConcurrentDictionary<string, Lazy<Task<DemoPortal>>> _demos = Seeded(running);

    public async ValueTask<RunOptions> CreateAsync(JobSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var demo = settings.Demo is { } world ? (await DemoFor(world, settings.Chains, cancellationToken).ConfigureAwait(false)).BaseAddress : null;
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

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (var clients in _clients.Values)
            {
                clients.Dispose();
            }

            _clients.Clear();
        }

        foreach (var (key, demo) in _demos)
        {
            // The simulator of the process's own run (seeded) belongs to that run; the others were started here.
            if (running is not null && key == Key(running.World, [.. running.Scrapers.Select(s => s.Chain.Id)]))
            {
                continue;
            }

            if (demo.IsValueCreated && demo.Value.IsCompletedSuccessfully)
            {
                await demo.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private Task<DemoPortal> DemoFor(DemoWorld world, IReadOnlyList<string> chains, CancellationToken cancellationToken)
    {
        var lazy = _demos.GetOrAdd(Key(world, chains), _ => new Lazy<Task<DemoPortal>>(() =>
        {
            var byId = scrapers.ToDictionary(s => s.Chain.Id, StringComparer.Ordinal);
            var missing = chains.Where(id => !byId.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"This process cannot simulate the demo run's chains {string.Join(", ", missing)}: not registered here.");
            }

            // Not the caller's token: the simulator outlives the task that first needed it.
            return DemoPortal.StartAsync([.. chains.Select(id => byId[id])], world, loggerFactory, CancellationToken.None);
        }));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private static ConcurrentDictionary<string, Lazy<Task<DemoPortal>>> Seeded(DemoPortal? running)
    {
        var demos = new ConcurrentDictionary<string, Lazy<Task<DemoPortal>>>(StringComparer.Ordinal);
        if (running is not null)
        {
            demos[Key(running.World, [.. running.Scrapers.Select(s => s.Chain.Id)])] = new Lazy<Task<DemoPortal>>(Task.FromResult(running));
        }

        return demos;
    }

    private static string Key(DemoWorld world, IReadOnlyList<string> chains) => $"{world} {string.Join(',', chains)}";

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
