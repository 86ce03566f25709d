using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Gogobe.Core.Files;
using Gogobe.Simulator.Model;

namespace Gogobe.Simulator;

/// <summary>
/// The deterministic model behind the simulated portals: which chains, stores and files exist today, and the exact
/// bytes of each file, derived from (seed, chain, store, row, day). Nothing per row is stored; only the prices changed
/// by <see cref="AdvanceDay"/> are remembered. Thread-safe: files can be served while the day advances.
/// </summary>
public sealed partial class SimulatedWorld
{
    private const string StoresTime = "0105";
    private const string PriceFullTime = "0300";
    private readonly ulong _seed;
    private readonly DateOnly _firstDay;
    private readonly Dictionary<string, ChainModel> _chains = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ChainId, int StoreId, FileKind Kind), FileFault> _faults = new();
    private readonly Lock _advanceLock = new();
    private volatile DayState _state;

    public SimulatedWorld(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _seed = Det.Mix((ulong)(uint)options.Seed);
        _firstDay = options.Day;
        var catalogue = new Catalogue(_seed, options.ItemsPerStore);
        for (var i = 0; i < options.Chains.Count; i++)
        {
            var chain = options.Chains[i];
            _chains.Add(chain.Chain.Id, new ChainModel(i, chain, _seed, catalogue, options.StoresPerChain, options.ItemsPerStore, options.DuplicateRate));
        }

        _state = new DayState(options.Day, PriceBook.Empty, PriceBook.Empty);
    }

    public SimulatorOptions Options { get; }

    /// <summary>The day currently published.</summary>
    public DateOnly Day => _state.Day;

    public IReadOnlyList<SimulatedChain> Chains => Options.Chains;

    /// <summary>Store ids 1..N (published as 001..N).</summary>
    public IReadOnlyList<int> StoreIds(string chainId) => Enumerable.Range(1, Chain(chainId).StoreCount).ToArray();

    /// <summary>The Hebrew store name the Stores file and the listing pages use.</summary>
    public string StoreName(string chainId, int storeId) => Chain(chainId).Store(CheckStore(Chain(chainId), storeId)).Name;

    /// <summary>How the chain's files are encoded (picked deterministically from the chain id).</summary>
    public XmlEncodingStyle EncodingOf(string chainId) => Chain(chainId).Style;

    /// <summary>productKey → the price today's PriceFull file of the store ends with (duplicates repeat rows exactly, so last-wins changes nothing).</summary>
    public IReadOnlyDictionary<string, decimal> ExpectedPrices(string chainId, int storeId)
    {
        var chain = Chain(chainId);
        CheckStore(chain, storeId);
        var book = _state.Today;
        var prices = new Dictionary<string, decimal>(chain.ItemsPerStore, StringComparer.Ordinal);
        for (var i = 0; i < chain.ItemsPerStore; i++)
        {
            var k = chain.ProductAt(storeId, i);
            prices[chain.ProductKey(k)] = chain.PriceOf(storeId, k, book);
        }

        return prices;
    }

    /// <summary>Item rows in the store's PriceFull file, duplicates included (the file's <c>Items Count</c>).</summary>
    public int ExpectedRowsInFile(string chainId, int storeId)
    {
        var chain = Chain(chainId);
        return chain.RowsInFile(CheckStore(chain, storeId));
    }

    /// <summary>
    /// Moves to the next day and changes about <paramref name="changeFraction"/> of all shelf prices (deterministically
    /// from seed and day). Returns exactly the prices that changed, each with a new price different from the old.
    /// </summary>
    public IReadOnlyList<PriceChange> AdvanceDay(double changeFraction)
    {
        if (double.IsNaN(changeFraction) || changeFraction is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(changeFraction), changeFraction, "The fraction of prices to change must be 0..1.");
        }

        lock (_advanceLock)
        {
            var state = _state;
            var day = state.Day.AddDays(1);
            var overrides = new Dictionary<ShelfKey, PriceOverride>(state.Today.Overrides);
            var changes = new List<PriceChange>();
            foreach (var chain in _chains.Values)
            {
                for (var store = 1; store <= chain.StoreCount; store++)
                {
                    for (var i = 0; i < chain.ItemsPerStore; i++)
                    {
                        var k = chain.ProductAt(store, i);
                        var h = Det.Hash(_seed, Salt.Change, chain.Salt, ((ulong)store << 32) | (uint)k, (ulong)day.DayNumber);
                        if (Det.Unit(h) >= changeFraction)
                        {
                            continue;
                        }

                        var old = chain.PriceOf(store, k, state.Today);
                        var size = 0.03 + (0.17 * Det.Unit(Det.Mix(h ^ Salt.ChangeSize)));
                        var up = Det.Below(Det.Mix(h ^ 1), 100) < 65;
                        var updated = Catalogue.RoundPrice(old * (decimal)(up ? 1 + size : 1 - size));
                        if (updated == old)
                        {
                            updated = old + 0.10m;
                        }

                        overrides[new ShelfKey(chain.Index, store, k)] = new PriceOverride(updated, day);
                        changes.Add(new PriceChange(chain.Id, store, chain.ProductKey(k), old, updated));
                    }
                }
            }

            _state = new DayState(day, new PriceBook(overrides), state.Today);
            return changes;
        }
    }

    /// <summary>Damages the file of this (chain, store, kind) from now on; <see cref="FileFault.None"/> repairs it. Stores files use store 0.</summary>
    public void InjectFault(string chainId, int storeId, FileKind kind, FileFault fault)
    {
        var chain = Chain(chainId);
        if (kind is not (FileKind.Stores or FileKind.PriceFull))
        {
            throw new ArgumentException($"The simulator publishes Stores and PriceFull files only, not {kind}.", nameof(kind));
        }

        if (kind == FileKind.PriceFull)
        {
            CheckStore(chain, storeId);
        }

        if (fault == FileFault.None)
        {
            _faults.TryRemove((chainId, storeId, kind), out _);
        }
        else
        {
            _faults[(chainId, storeId, kind)] = fault;
        }
    }

    /// <summary>The names published today: one Stores file and one PriceFull per store.</summary>
    public IReadOnlyList<string> FileNames(string chainId) => FileNames(chainId, includeHistory: false);

    /// <summary>Today's names, plus yesterday's PriceFull snapshots when the chain's portal keeps history (Cerberus).</summary>
    public IReadOnlyList<string> FileNames(string chainId, bool includeHistory) =>
        PublishedFiles(chainId, includeHistory).Select(f => f.Name).ToArray();

    /// <summary>Whether the chain publishes this name right now (today's, or yesterday's where history is kept).</summary>
    public bool IsPublished(string chainId, string fileName) => TryDescribe(chainId, fileName, out _);

    /// <summary>
    /// Streams one published file (gzip of XML) into <paramref name="destination"/> as it is generated, holding only a
    /// small buffer whatever the number of rows. Throws <see cref="FileNotFoundException"/> for a name not published now.
    /// </summary>
    public async Task WriteFileAsync(string chainId, string fileName, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var state = _state;
        if (!TryDescribe(chainId, fileName, state, out var file))
        {
            throw new FileNotFoundException($"{fileName} is not published by chain {chainId} on {state.Day:yyyy-MM-dd}.", fileName);
        }

        var chain = _chains[chainId];
        var fault = _faults.GetValueOrDefault((chainId, file.StoreId, file.Kind), FileFault.None);
        if (fault == FileFault.CorruptGzip)
        {
            await WriteCorruptGzipAsync(chain, file, destination, cancellationToken).ConfigureAwait(false);
            return;
        }

        var output = new GzipXmlOutput(destination, XmlStyles.Settings(chain.Style));
        await using (output.ConfigureAwait(false))
        {
            if (file.Kind == FileKind.Stores)
            {
                FileWriters.WriteStores(output, chain, file.Day, fault == FileFault.TruncatedXml);
            }
            else
            {
                var book = file.Day == state.Day ? state.Today : state.Yesterday;
                await FileWriters.WritePriceFullAsync(output, chain, file.StoreId, book, _firstDay, fault == FileFault.TruncatedXml, cancellationToken)
                    .ConfigureAwait(false);
            }

            await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal IEnumerable<PublishedName> PublishedFiles(string chainId, bool includeHistory)
    {
        var chain = Chain(chainId);
        var day = _state.Day;
        var files = new List<PublishedName> { new(NameOf(chain, FileKind.Stores, 0, day), FileKind.Stores, 0, day, day.ToDateTime(new TimeOnly(1, 5))) };
        for (var store = 1; store <= chain.StoreCount; store++)
        {
            files.Add(new(NameOf(chain, FileKind.PriceFull, store, day), FileKind.PriceFull, store, day, day.ToDateTime(new TimeOnly(3, 0))));
        }

        if (includeHistory && chain.PublishesHistory)
        {
            var yesterday = day.AddDays(-1);
            for (var store = 1; store <= chain.StoreCount; store++)
            {
                files.Add(new(NameOf(chain, FileKind.PriceFull, store, yesterday), FileKind.PriceFull, store, yesterday, yesterday.ToDateTime(new TimeOnly(3, 0))));
            }
        }

        return files;
    }

    internal bool TryDescribe(string chainId, string fileName, out PublishedName file) => TryDescribe(chainId, fileName, _state, out file);

    /// <summary>The chain that publishes a file name (names carry the chain id), for hosts that serve many chains.</summary>
    internal string? ChainOfFile(string fileName)
    {
        var match = FileNamePattern().Match(fileName);
        return match.Success && _chains.ContainsKey(match.Groups["chain"].Value) ? match.Groups["chain"].Value : null;
    }

    private bool TryDescribe(string chainId, string fileName, DayState state, out PublishedName file)
    {
        file = default;
        var chain = Chain(chainId);
        var name = fileName ?? "";
        var match = FileNamePattern().Match(name);
        if (!match.Success || match.Groups["chain"].Value != chain.Id
            || !DateOnly.TryParseExact(match.Groups["day"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }

        var kind = match.Groups["kind"].Value == "Stores" ? FileKind.Stores : FileKind.PriceFull;
        var store = int.Parse(match.Groups["store"].Value, CultureInfo.InvariantCulture);
        var today = day == state.Day;
        var history = day == state.Day.AddDays(-1) && kind == FileKind.PriceFull && chain.PublishesHistory;
        if ((!today && !history) || (kind == FileKind.PriceFull ? !chain.HasStore(store) : store != 0)
            || !string.Equals(name, NameOf(chain, kind, store, day), StringComparison.Ordinal))
        {
            return false;
        }

        var time = kind == FileKind.Stores ? new TimeOnly(1, 5) : new TimeOnly(3, 0);
        file = new PublishedName(name, kind, store, day, day.ToDateTime(time));
        return true;
    }

    private static string NameOf(ChainModel chain, FileKind kind, int store, DateOnly day) => kind == FileKind.Stores
        ? string.Create(CultureInfo.InvariantCulture, $"Stores{chain.Id}-000-{day:yyyyMMdd}{StoresTime}.gz")
        : string.Create(CultureInfo.InvariantCulture, $"PriceFull{chain.Id}-{store:000}-{day:yyyyMMdd}{PriceFullTime}.gz");

    private static async Task WriteCorruptGzipAsync(ChainModel chain, PublishedName file, Stream destination, CancellationToken cancellationToken)
    {
        // A real gzip header (magic, deflate, no flags), then a deflate block of the reserved type 11 and noise.
        var bytes = new byte[4096];
        byte[] header = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff, 0xff];
        header.CopyTo(bytes, 0);
        var h = Det.Hash(chain.Salt, Salt.Garbage, (ulong)file.StoreId);
        for (var i = header.Length; i < bytes.Length; i++)
        {
            h = Det.Mix(h);
            bytes[i] = (byte)h;
        }

        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private ChainModel Chain(string chainId) =>
        _chains.TryGetValue(chainId ?? "", out var chain) ? chain : throw new ArgumentException($"The simulator has no chain {chainId}.", nameof(chainId));

    private static int CheckStore(ChainModel chain, int storeId) => chain.HasStore(storeId)
        ? storeId
        : throw new ArgumentOutOfRangeException(nameof(storeId), storeId, $"Chain {chain.Id} has stores 1..{chain.StoreCount}.");

    [GeneratedRegex(@"^(?<kind>Stores|PriceFull)(?<chain>\d{13})-(?<store>\d{3})-(?<day>\d{8})\d{4}\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}

/// <summary>A file the world publishes: its name, what it holds, and its timestamp (Israel local).</summary>
internal readonly record struct PublishedName(string Name, FileKind Kind, int StoreId, DateOnly Day, DateTime Time);
