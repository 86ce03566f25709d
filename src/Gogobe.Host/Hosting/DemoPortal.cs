using Gogobe.Core;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Simulator;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Hosting;

/// <summary>Size and seed of a simulated fleet. <paramref name="Chains"/> of 0 or less means every given chain.</summary>
internal sealed record DemoScale(int Chains, int StoresPerChain, int ItemsPerStore, int Seed);

/// <summary>
/// The portal simulator serving the given chains, as <c>gogobe run --demo</c> and demo runs of <c>gogobe serve</c>
/// use it: real portal shapes on 127.0.0.1, each chain's real address mapped onto it.
/// </summary>
internal sealed class DemoPortal : IAsyncDisposable
{
    private readonly PortalSimulator _simulator;

    private DemoPortal(PortalSimulator simulator, IReadOnlyList<SupermarketScraper> scrapers, DemoWorld world)
    {
        _simulator = simulator;
        Scrapers = scrapers;
        World = world;
    }

    /// <summary>What it simulates: stored with a demo run, so any process serves the same world.</summary>
    public DemoWorld World { get; }

    /// <summary>The chains simulated (the first <see cref="DemoScale.Chains"/> of those given).</summary>
    public IReadOnlyList<SupermarketScraper> Scrapers { get; }

    public Uri BaseAddress => _simulator.BaseAddress;

    public static Task<DemoPortal> StartAsync(
        IReadOnlyList<SupermarketScraper> scrapers, DemoScale scale, TimeProvider time, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scrapers);
        ArgumentNullException.ThrowIfNull(scale);
        IReadOnlyList<SupermarketScraper> chosen = scale.Chains > 0 ? [.. scrapers.Take(scale.Chains)] : scrapers;
        return StartAsync(chosen, WorldOf(scale, time), loggerFactory, cancellationToken);
    }

    /// <summary>The simulator serving <paramref name="chains"/> in <paramref name="world"/>: the same files in every process.</summary>
    public static async Task<DemoPortal> StartAsync(
        IReadOnlyList<SupermarketScraper> chains, DemoWorld world, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(world);
        var simulator = await PortalSimulator.StartAsync(
            new SimulatorOptions
            {
                Seed = world.Seed,
                Chains = [.. chains.Select(s => new SimulatedChain(s.Chain, s.Portal))],
                StoresPerChain = world.StoresPerChain,
                ItemsPerStore = world.ItemsPerStore,
                Day = world.Day,
            },
            loggerFactory,
            cancellationToken).ConfigureAwait(false);
        return new DemoPortal(simulator, chains, world);
    }

    /// <summary>The world a demo run of <paramref name="scale"/> simulates today.</summary>
    public static DemoWorld WorldOf(DemoScale scale, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(scale);
        return new DemoWorld(scale.StoresPerChain, scale.ItemsPerStore, scale.Seed, IsraelClock.Today(time));
    }

    /// <summary>Maps a chain's real portal address onto the simulator.</summary>
    public Uri MapPortal(Uri realPortalAddress) => _simulator.MapPortal(realPortalAddress);

    public ValueTask DisposeAsync() => _simulator.DisposeAsync();
}
