using System.Diagnostics;
using Gogobe.Core;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Simulator;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Bench;

/// <summary>
/// The synthetic national day: the portal simulator serving the chosen chains (Stores and PriceFull files, each chain
/// in its own shape, encoding and container, ~2 % in-file duplicates), with every file generated once onto disk before
/// anything is timed, so the timed runs measure the ingest and not the simulator's gzip on the same cores.
/// </summary>
internal sealed class BenchDay : IAsyncDisposable
{
    private readonly string _cacheDirectory;

    private BenchDay(PortalSimulator simulator, IReadOnlyList<SupermarketScraper> scrapers, string cacheDirectory)
    {
        Simulator = simulator;
        Scrapers = scrapers;
        _cacheDirectory = cacheDirectory;
    }

    public PortalSimulator Simulator { get; }

    public IReadOnlyList<SupermarketScraper> Scrapers { get; }

    public static async Task<BenchDay> StartAsync(
        IReadOnlyList<SupermarketScraper> scrapers, BenchScale scale, int seed, TimeProvider time, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scrapers);
        ArgumentNullException.ThrowIfNull(scale);
        var chosen = scrapers.Take(scale.Chains).ToArray();
        var cache = Path.Combine(Path.GetTempPath(), $"gogobe-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var options = new SimulatorOptions
        {
            Seed = seed,
            Chains = [.. chosen.Select(s => new SimulatedChain(s.Chain, s.Portal))],
            StoresPerChain = scale.StoresPerChain,
            ItemsPerStore = scale.ItemsPerStore,
            Day = IsraelClock.Today(time),
            FileCacheDirectory = cache,
        };
        // The day's price volume is PriceFull; promotions and incremental files are other benchmarks' business.
        options.Kinds.Clear();
        options.Kinds.Add(FileKind.Stores);
        options.Kinds.Add(FileKind.PriceFull);
        var simulator = await PortalSimulator.StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        return new BenchDay(simulator, chosen, cache);
    }

    /// <summary>The files published today (placeholders excluded), per chain.</summary>
    public IReadOnlyList<(string ChainId, string Name)> TodaysFiles() =>
        [.. Scrapers.SelectMany(s => Simulator.World.FileNames(s.Chain.Id).Where(n => !n.StartsWith("NULL", StringComparison.Ordinal)).Select(n => (s.Chain.Id, n)))];

    /// <summary>Where a generated file lies once <see cref="GenerateAsync"/> has run.</summary>
    public string PathOf(string chainId, string name) => Path.Combine(_cacheDirectory, chainId, name);

    /// <summary>Generates today's files onto disk (both cores); returns the day's figures.</summary>
    public async Task<BenchDayFigures> GenerateAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var files = TodaysFiles();
        var world = Simulator.World;
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (file, ct) => await world.WriteFileAsync(file.ChainId, file.Name, Stream.Null, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var priceFiles = files.Where(f => PriceFileReader.KindOf(f.Name) == FileKind.PriceFull).ToArray();
        var bytes = files.Sum(f => new FileInfo(PathOf(f.ChainId, f.Name)).Length);
        long rows = 0;
        foreach (var chain in Scrapers)
        {
            foreach (var store in world.StoreIds(chain.Chain.Id))
            {
                rows += world.ExpectedRowsInFile(chain.Chain.Id, store);
            }
        }

        var distinct = (long)Scrapers.Count * world.Options.StoresPerChain * world.Options.ItemsPerStore;
        return new BenchDayFigures(files.Count, priceFiles.Length, bytes, rows, distinct, seconds);
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_cacheDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was generated.
        }
    }
}
