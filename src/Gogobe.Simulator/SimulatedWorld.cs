using System.Collections.Concurrent;
using System.Globalization;
using Gogobe.Core.Files;
using Gogobe.Simulator.Model;

namespace Gogobe.Simulator;

/// <summary>
/// The deterministic model behind the simulated portals: which chains, stores and files exist today, and the exact
/// bytes of each file, derived from (seed, chain, store, row, day). Nothing per row is stored; only the prices changed
/// by <see cref="AdvanceDay"/> are remembered. Thread-safe: files can be served while the day advances.
/// </summary>
public sealed class SimulatedWorld
{
    private static readonly TimeOnly StoresTime = new(1, 5);
    private static readonly TimeOnly PriceFullTime = new(3, 0);
    private static readonly TimeOnly PromoFullTime = new(3, 10);
    private static readonly TimeOnly PlaceholderTime = new(11, 0);
    private static readonly TimeOnly ExtraTime = new(12, 0);
    private readonly ulong _seed;
    private readonly DateOnly _firstDay;
    private readonly Dictionary<string, ChainModel> _chains = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ChainId, int StoreId, FileKind Kind), FileFault> _faults = new();
    private readonly ConcurrentDictionary<(string ChainId, string Name), byte[]> _extras = new();
    private readonly ConcurrentDictionary<(string ChainId, DateOnly Day), Dictionary<string, PublishedName>> _names = new();
    private readonly HashSet<FileKind> _kinds;
    private readonly Dictionary<string, HashSet<FileKind>> _chainKinds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ChainId, string Name), byte> _withdrawn = new();
    private readonly FileCache? _cache;
    private readonly Lock _advanceLock = new();
    private volatile DayState _state;

    public SimulatedWorld(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _seed = Det.Mix((ulong)(uint)options.Seed);
        _firstDay = options.Day;
        _kinds = [.. options.Kinds]; // read once: the listing cache assumes the kinds never change
        _cache = options.FileCacheDirectory is { Length: > 0 } cacheDirectory ? new FileCache(cacheDirectory) : null;
        var catalogue = new Catalogue(_seed, options.ItemsPerStore);
        for (var i = 0; i < options.Chains.Count; i++)
        {
            var chain = options.Chains[i];
            var profile = options.ProfileFor(chain.Chain.Id);
            _chains.Add(chain.Chain.Id, new ChainModel(
                i, chain, profile, _seed, catalogue, options.StoresPerChain, options.ItemsPerStore, options.DuplicateRate));
            _chainKinds.Add(chain.Chain.Id, [.. _kinds.Where(profile.Publishes)]);
        }

        _state = new DayState(options.Day, PriceBook.Empty, PriceBook.Empty);
    }

    public SimulatorOptions Options { get; }

    /// <summary>The day currently published.</summary>
    public DateOnly Day => _state.Day;

    public IReadOnlyList<SimulatedChain> Chains => Options.Chains;

    /// <summary>Whether the chain publishes files of this kind at all (some publish no Stores file, some no promotions).</summary>
    public bool Publishes(string chainId, FileKind kind) => _chainKinds[chainId].Contains(kind);

    /// <summary>Store ids 1..N (published as 001..N).</summary>
    public IReadOnlyList<int> StoreIds(string chainId) => Enumerable.Range(1, Chain(chainId).StoreCount).ToArray();

    /// <summary>The Hebrew store name the Stores file and the listing pages use.</summary>
    public string StoreName(string chainId, int storeId) => Chain(chainId).Store(CheckStore(Chain(chainId), storeId)).Name;

    /// <summary>How the chain's files are encoded (its profile's <see cref="ChainProfile.Encoding"/>).</summary>
    public XmlEncodingStyle EncodingOf(string chainId) => Chain(chainId).Style;

    /// <summary>How the chain publishes: shape, encoding, container, naming, flaws.</summary>
    public ChainProfile ProfileOf(string chainId) => Chain(chainId).Profile;

    /// <summary>
    /// productKey → the store's price today, i.e. the state a reader reaches by applying today's PriceFull (03:00, rows
    /// in order, last row of a product winning) and then the newest of today's Price snapshots on top. The Price
    /// snapshots re-announce a subset of items (those whose price changed today, plus a few others) at that same
    /// price, so the overlay changes nothing: the result equals the PriceFull alone, and applying an older
    /// snapshot, or none, gives the same. Yesterday's files (Cerberus history) carry yesterday's prices.
    /// </summary>
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

    /// <summary>
    /// The promotions of the store today: today's PromoFull content (every promotion active today) after last-wins
    /// dedup by PromotionId, in file order. Empty on a day the store publishes an empty PromoFull.
    /// </summary>
    public IReadOnlyList<PromotionRow> ExpectedPromotions(string chainId, int storeId)
    {
        var chain = Chain(chainId);
        CheckStore(chain, storeId);
        var byId = new Dictionary<string, PromotionRow>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var promotion in Rows.PromoFull(chain, storeId, _state.Day))
        {
            if (byId.TryAdd(promotion.PromotionId, promotion))
            {
                order.Add(promotion.PromotionId);
            }
            else
            {
                byId[promotion.PromotionId] = promotion;
            }
        }

        return order.Select(id => byId[id]).ToArray();
    }

    /// <summary>
    /// The item rows of one published Price/PriceFull file, in file order with in-file duplicates, as a correct reader
    /// returns them (values trimmed, bare ampersands read as <c>&amp;</c>). Injected faults are ignored. Materialises
    /// the file: meant for tests.
    /// </summary>
    public IReadOnlyList<PriceRow> ExpectedPriceRows(string chainId, string fileName)
    {
        var state = _state;
        var file = Generated(chainId, fileName, state, FileKind.PriceFull, FileKind.Price);
        var chain = _chains[chainId];
        var book = BookOf(file, state);
        return file.Kind == FileKind.PriceFull
            ? Rows.PriceFull(chain, file.StoreId, book, _firstDay).ToArray()
            : Rows.Price(chain, file.StoreId, file.Day, file.Snapshot, book, _firstDay).ToArray();
    }

    /// <summary>The promotions of one published Promo/PromoFull file, in file order, as a correct reader returns them. For tests.</summary>
    public IReadOnlyList<PromotionRow> ExpectedPromotionRows(string chainId, string fileName)
    {
        var file = Generated(chainId, fileName, _state, FileKind.PromoFull, FileKind.Promo);
        return PromotionsOf(_chains[chainId], file).ToArray();
    }

    /// <summary>The stores of one published Stores file, in file order, as a correct reader returns them. For tests.</summary>
    public IReadOnlyList<StoreRow> ExpectedStoreRows(string chainId, string fileName)
    {
        Generated(chainId, fileName, _state, FileKind.Stores, FileKind.Stores);
        return Rows.Stores(_chains[chainId]).ToArray();
    }

    /// <summary>
    /// Publishes arbitrary bytes under <paramref name="fileName"/> for the chain, from now on and whatever the day: listed
    /// by its portal (kind from the name, store 0) and served as is. For tests that need bad input through real portals.
    /// </summary>
    public void PublishExtraFile(string chainId, string fileName, byte[] content)
    {
        Chain(chainId);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(content);
        if (fileName.IndexOfAny(['/', '\\', '?', '#']) >= 0)
        {
            throw new ArgumentException("A published file name cannot hold '/', '\\', '?' or '#'.", nameof(fileName));
        }

        _extras[(chainId, fileName)] = content.ToArray();
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

    /// <summary>Damages the files of this (chain, store, kind) from now on; <see cref="FileFault.None"/> repairs them. Stores files use store 0.</summary>
    public void InjectFault(string chainId, int storeId, FileKind kind, FileFault fault)
    {
        var chain = Chain(chainId);
        if (!_kinds.Contains(kind))
        {
            throw new ArgumentException($"The simulator does not publish {kind} files (SimulatorOptions.Kinds).", nameof(kind));
        }

        if (kind == FileKind.Stores)
        {
            if (storeId != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(storeId), storeId, "Stores files belong to store 0.");
            }
        }
        else
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

    /// <summary>The names published today: Stores, and per store every kind in <see cref="SimulatorOptions.Kinds"/>, placeholders and extra files.</summary>
    public IReadOnlyList<string> FileNames(string chainId) => FileNames(chainId, includeHistory: false);

    /// <summary>Today's names, plus yesterday's per-store snapshots when the chain's portal keeps history (Cerberus).</summary>
    public IReadOnlyList<string> FileNames(string chainId, bool includeHistory) =>
        PublishedFiles(chainId, includeHistory).Select(f => f.Name).ToArray();

    /// <summary>
    /// The names the chain's portal shows for <paramref name="day"/>: today's files (as <see cref="FileNames(string)"/>),
    /// yesterday's per-store snapshots on portals that serve past days (Bina, Laib, PublishPrice, Cerberus), else none.
    /// </summary>
    public IReadOnlyList<string> FileNamesOn(string chainId, DateOnly day) => [.. PublishedOn(chainId, day).Select(f => f.Name)];

    /// <summary>The id a store's files are named with (see <see cref="Gogobe.Core.Scraping.Chain.OtherIds"/>): a multi-id chain spreads its stores over its ids.</summary>
    public string PublishingId(string chainId, int storeId) => Chain(chainId).PublishingId(storeId);

    /// <summary>
    /// Keeps listing the file but answers its download with 404 from now on, as a portal whose listing and storage
    /// disagree does (every portal honours it).
    /// </summary>
    public void WithdrawFile(string chainId, string fileName)
    {
        if (!IsPublished(chainId, fileName))
        {
            throw new ArgumentException($"{fileName} is not published by chain {chainId}.", nameof(fileName));
        }

        _withdrawn[(chainId, fileName)] = 0;
    }

    /// <summary>Whether a portal may serve the file now: published and not withdrawn.</summary>
    internal bool IsServed(string chainId, string fileName) => !_withdrawn.ContainsKey((chainId, fileName)) && IsPublished(chainId, fileName);

    /// <summary>The files the chain's portal lists for one day; see <see cref="FileNamesOn"/>.</summary>
    internal IReadOnlyList<PublishedName> PublishedOn(string chainId, DateOnly day)
    {
        var chain = Chain(chainId);
        var today = _state.Day;
        if (day == today)
        {
            return [.. PublishedFiles(chainId, includeHistory: false)];
        }

        var files = new List<PublishedName>();
        if (chain.ServesPastDays && day == today.AddDays(-1))
        {
            AddDay(files, chain, day, today: false);
        }

        return files;
    }

    /// <summary>The id the file is named with: the store's publishing id; the main id for Stores and extra files.</summary>
    internal string PublisherOf(string chainId, PublishedName file) => Chain(chainId).PublishingId(file.StoreId);

    /// <summary>Whether the chain publishes this name right now (today's, yesterday's where history is kept, or an extra file).</summary>
    public bool IsPublished(string chainId, string fileName) => TryDescribe(chainId, fileName, out _);

    /// <summary>
    /// Streams one published file (in the chain's container and encoding) into <paramref name="destination"/> as it is
    /// generated, holding only a small buffer whatever the number of rows. Placeholders (<c>NULL…</c>) are empty.
    /// Throws <see cref="FileNotFoundException"/> for a name not published now.
    /// </summary>
    public async Task WriteFileAsync(string chainId, string fileName, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var state = _state;
        if (!TryDescribe(chainId, fileName, state, out var file))
        {
            throw new FileNotFoundException($"{fileName} is not published by chain {chainId} on {state.Day:yyyy-MM-dd}.", fileName);
        }

        if (file.Extra)
        {
            await destination.WriteAsync(_extras[(chainId, file.Name)], cancellationToken).ConfigureAwait(false);
            return;
        }

        if (file.Placeholder)
        {
            return;
        }

        var chain = _chains[chainId];
        var fault = _faults.GetValueOrDefault((chainId, file.StoreId, file.Kind), FileFault.None);
        if (fault == FileFault.CorruptGzip)
        {
            await WriteCorruptGzipAsync(chain, file, destination, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_cache is not null && fault == FileFault.None)
        {
            await _cache.CopyToAsync(
                chainId, file.Name, destination, (output, ct) => GenerateAsync(chain, file, state, truncate: false, output, ct), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        await GenerateAsync(chain, file, state, fault == FileFault.TruncatedXml, destination, cancellationToken).ConfigureAwait(false);
    }

    private async Task GenerateAsync(ChainModel chain, PublishedName file, DayState state, bool truncate, Stream destination, CancellationToken cancellationToken)
    {
        var entryName = Path.GetFileNameWithoutExtension(file.Name) + ".xml";
        var output = new XmlOutput(destination, XmlStyles.Settings(chain.Style), chain.Profile.Container, entryName);
        await using (output.ConfigureAwait(false))
        {
            var book = BookOf(file, state);
            switch (file.Kind)
            {
                case FileKind.Stores:
                    FileWriters.WriteStores(output, chain, file.Day, truncate);
                    break;
                case FileKind.PriceFull:
                    await FileWriters.WritePricesAsync(
                        output, chain, file.StoreId, Rows.PriceFull(chain, file.StoreId, book, _firstDay), chain.RowsInFile(file.StoreId), truncate, cancellationToken)
                        .ConfigureAwait(false);
                    break;
                case FileKind.Price:
                    await FileWriters.WritePricesAsync(
                        output, chain, file.StoreId, Rows.Price(chain, file.StoreId, file.Day, file.Snapshot, book, _firstDay),
                        Rows.PriceCount(chain, file.StoreId, file.Day, file.Snapshot, book), truncate, cancellationToken)
                        .ConfigureAwait(false);
                    break;
                default:
                    await FileWriters.WritePromotionsAsync(
                        output, chain, file.StoreId, PromotionsOf(chain, file), PromotionsOf(chain, file).Count(), truncate, cancellationToken)
                        .ConfigureAwait(false);
                    break;
            }

            await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal IEnumerable<PublishedName> PublishedFiles(string chainId, bool includeHistory)
    {
        var chain = Chain(chainId);
        var day = _state.Day;
        var files = new List<PublishedName>();
        AddDay(files, chain, day, today: true);
        if (includeHistory && chain.PublishesHistory)
        {
            AddDay(files, chain, day.AddDays(-1), today: false);
        }

        // An extra file published under a generated name replaces it (listed once, served as given).
        files.RemoveAll(f => _extras.ContainsKey((chainId, f.Name)));
        foreach (var extra in _extras.Keys.Where(k => k.ChainId == chainId).Select(k => k.Name).Order(StringComparer.Ordinal))
        {
            files.Add(ExtraFile(extra, day));
        }

        return files;
    }

    internal bool TryDescribe(string chainId, string fileName, out PublishedName file) => TryDescribe(chainId, fileName, _state, out file);

    /// <summary>The chain that publishes a file name, for hosts that serve many chains.</summary>
    internal string? ChainOfFile(string fileName) =>
        _chains.Keys.FirstOrDefault(id => TryDescribe(id, fileName, out _));

    private void AddDay(List<PublishedName> files, ChainModel chain, DateOnly day, bool today)
    {
        var kinds = _chainKinds[chain.Id];
        if (today && kinds.Contains(FileKind.Stores))
        {
            files.Add(Describe(chain, FileKind.Stores, 0, day, StoresTime, 0, placeholder: false));
        }

        for (var store = 1; store <= chain.StoreCount; store++)
        {
            files.Add(Describe(chain, FileKind.PriceFull, store, day, PriceFullTime, 0, placeholder: false));
            if (kinds.Contains(FileKind.PromoFull))
            {
                files.Add(Describe(chain, FileKind.PromoFull, store, day, PromoFullTime, 0, placeholder: false));
            }

            for (var s = 0; s < Rows.PriceTimes.Length; s++)
            {
                if (kinds.Contains(FileKind.Price))
                {
                    files.Add(Describe(chain, FileKind.Price, store, day, Rows.PriceTimes[s], s + 1, placeholder: false));
                }

                if (kinds.Contains(FileKind.Promo))
                {
                    files.Add(Describe(chain, FileKind.Promo, store, day, Rows.PromoTimes[s], s + 1, placeholder: false));
                }
            }
        }

        if (today && chain.Profile.Placeholders)
        {
            // A placeholder for store 1 (and the last store), listed like a file but empty.
            files.Add(Describe(chain, FileKind.Price, 1, day, PlaceholderTime, 0, placeholder: true));
            files.Add(Describe(chain, FileKind.PriceFull, chain.StoreCount, day, PlaceholderTime, 0, placeholder: true));
        }
    }

    private static PublishedName Describe(ChainModel chain, FileKind kind, int store, DateOnly day, TimeOnly time, int snapshot, bool placeholder)
    {
        var at = day.ToDateTime(time);
        var profile = chain.Profile;
        var stamp = (kind, profile) switch
        {
            (FileKind.Stores, { StoresShortTime: true }) => string.Create(CultureInfo.InvariantCulture, $"{store:000}-{at:yyyyMMdd}-{at.Hour}{at:mm}"),
            (FileKind.Stores, { NewNameScheme: true }) => string.Create(CultureInfo.InvariantCulture, $"{store:000}-{at:yyyyMMdd}-{at:HHmmss}"),
            (_, { NewNameScheme: true }) => string.Create(CultureInfo.InvariantCulture, $"{ChainModel.SubChainId}-{store:000}-{at:yyyyMMdd}-{at:HHmmss}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{store:000}-{at:yyyyMMddHHmm}"),
        };
        var extension = profile.NoExtension ? "" : profile.Container switch
        {
            FileContainer.Zip => ".zip",
            FileContainer.Plain => ".xml",
            _ => ".gz",
        };
        if (profile.UpperCaseExtension)
        {
            extension = extension.ToUpperInvariant();
        }

        var name = (placeholder ? "NULL" : "") + kind + chain.PublishingId(store) + "-" + stamp + extension;
        return new PublishedName(name, kind, store, day, at, snapshot, placeholder, Extra: false);
    }

    private static PublishedName ExtraFile(string name, DateOnly day) =>
        new(name, PriceFileReader.KindOf(name) ?? FileKind.PriceFull, 0, day, day.ToDateTime(ExtraTime), 0, Placeholder: false, Extra: true);

    private bool TryDescribe(string chainId, string fileName, DayState state, out PublishedName file)
    {
        file = default;
        var chain = Chain(chainId);
        var name = fileName ?? "";
        if (_extras.ContainsKey((chainId, name)))
        {
            file = ExtraFile(name, state.Day);
            return true;
        }

        var names = _names.GetOrAdd((chainId, state.Day), key =>
        {
            var all = new List<PublishedName>();
            AddDay(all, chain, key.Day, today: true);
            if (chain.ServesPastDays)
            {
                AddDay(all, chain, key.Day.AddDays(-1), today: false);
            }

            return all.ToDictionary(f => f.Name, StringComparer.Ordinal);
        });
        return names.TryGetValue(name, out file);
    }

    /// <summary>A generated (not extra, not placeholder) file of one of the kinds, or an ArgumentException.</summary>
    private PublishedName Generated(string chainId, string fileName, DayState state, FileKind kind, FileKind otherKind)
    {
        if (!TryDescribe(chainId, fileName, state, out var file) || file.Extra || file.Placeholder)
        {
            throw new ArgumentException($"{fileName} is not a file chain {chainId} generates on {state.Day:yyyy-MM-dd}.", nameof(fileName));
        }

        if (file.Kind != kind && file.Kind != otherKind)
        {
            throw new ArgumentException($"{fileName} is a {file.Kind} file, not {kind}/{otherKind}.", nameof(fileName));
        }

        return file;
    }

    private static PriceBook BookOf(PublishedName file, DayState state) => file.Day == state.Day ? state.Today : state.Yesterday;

    private static IEnumerable<PromotionRow> PromotionsOf(ChainModel chain, PublishedName file) => file.Kind == FileKind.PromoFull
        ? Rows.PromoFull(chain, file.StoreId, file.Day)
        : Rows.Promo(chain, file.StoreId, file.Day, file.Snapshot);

    private static async Task WriteCorruptGzipAsync(ChainModel chain, PublishedName file, Stream destination, CancellationToken cancellationToken)
    {
        // A real gzip header (magic, deflate, no flags), then a deflate block of the reserved type 11 and noise.
        var bytes = new byte[4096];
        byte[] header = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff, 0xff];
        header.CopyTo(bytes, 0);
        var h = Det.Hash(chain.Salt, Salt.Garbage, (ulong)file.StoreId, (ulong)file.Kind);
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
}

/// <summary>
/// A file the world publishes: its name, what it holds, its timestamp (Israel local), which incremental snapshot of the
/// day it is (1-based; 0 for full files), and whether it is a NULL placeholder or an extra file published by a test.
/// </summary>
internal readonly record struct PublishedName(
    string Name, FileKind Kind, int StoreId, DateOnly Day, DateTime Time, int Snapshot, bool Placeholder, bool Extra);
