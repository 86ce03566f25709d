using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Simulator;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Bench;

/// <summary>
/// The simulator side of the bench, run in its own process (<c>gogobe bench-portal</c>): the chain portals are other
/// machines in production, so their model of the day (at national scale 1.5M changed prices, 150 MB of live objects)
/// must not sit in the measured process, where it also raised the collector's large-object budget fourfold.
/// Generates each day's files onto disk before anything is timed, then serves them on loopback.
/// </summary>
internal sealed class BenchPortal(PortalSimulator simulator, IReadOnlyList<string> chainIds)
{
    public static async Task<BenchPortal> StartAsync(
        IReadOnlyList<SupermarketScraper> chains, int storesPerChain, int itemsPerStore, int seed, DateOnly day, string cacheDirectory,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chains);
        var options = new SimulatorOptions
        {
            Seed = seed,
            Chains = [.. chains.Select(s => new SimulatedChain(s.Chain, s.Portal))],
            StoresPerChain = storesPerChain,
            ItemsPerStore = itemsPerStore,
            Day = day,
            FileCacheDirectory = cacheDirectory,
        };
        // The day's price volume is PriceFull; promotions and incremental files are other benchmarks' business.
        options.Kinds.Clear();
        options.Kinds.Add(FileKind.Stores);
        options.Kinds.Add(FileKind.PriceFull);
        var simulator = await PortalSimulator.StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        return new BenchPortal(simulator, [.. chains.Select(c => c.Chain.Id)]);
    }

    /// <summary>Answers commands from <paramref name="input"/> on <paramref name="output"/> until the input ends.</summary>
    public async Task ServeAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        await using (simulator.ConfigureAwait(false))
        {
            await WriteAsync(output, new PortalReady(simulator.BaseAddress)).ConfigureAwait(false);
            while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
                switch (parts[0])
                {
                    case BenchPortalProtocol.Generate:
                        await WriteAsync(output, await GenerateAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                        break;
                    case BenchPortalProtocol.Advance when parts.Length == 2:
                        var fraction = double.Parse(parts[1], CultureInfo.InvariantCulture);
                        await WriteAsync(output, new PortalAdvanced(simulator.World.AdvanceDay(fraction).Count)).ConfigureAwait(false);
                        break;
                    default:
                        throw new InvalidDataException($"bench-portal: unknown command '{line}'");
                }
            }
        }
    }

    /// <summary>Generates today's files onto disk (both cores) and counts what they hold.</summary>
    private async Task<PortalDay> GenerateAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var world = simulator.World;
        PortalFile[] files =
        [
            .. chainIds.SelectMany(id => world.FileNames(id).Where(n => !n.StartsWith("NULL", StringComparison.Ordinal)).Select(n => new PortalFile(id, n))),
        ];
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (file, ct) => await world.WriteFileAsync(file.ChainId, file.Name, Stream.Null, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var bytes = files.Sum(f => new FileInfo(Path.Combine(world.Options.FileCacheDirectory!, f.ChainId, f.Name)).Length);
        var rows = chainIds.Sum(id => world.StoreIds(id).Sum(store => (long)world.ExpectedRowsInFile(id, store)));
        var distinct = (long)chainIds.Count * world.Options.StoresPerChain * world.Options.ItemsPerStore;
        var storesRows = chainIds.Where(id => world.Publishes(id, FileKind.Stores)).Sum(id => (long)world.StoreIds(id).Count);
        var priceFiles = files.Count(f => PriceFileReader.KindOf(f.Name) == FileKind.PriceFull);
        return new PortalDay(new BenchDayFigures(files.Length, priceFiles, bytes, rows, distinct, seconds), files, storesRows);
    }

    private static async Task WriteAsync<T>(TextWriter output, T message)
    {
        await output.WriteLineAsync(JsonSerializer.Serialize(message, BenchPortalProtocol.Json)).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }
}
