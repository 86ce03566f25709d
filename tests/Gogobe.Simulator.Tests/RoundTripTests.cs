using System.Text;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Simulator.Tests;

/// <summary>
/// Property test: every file the simulator can emit — all kinds, every shape × encoding × container, both naming
/// schemes, with and without flaws, today's and yesterday's — read back by the product reader equals the rows the
/// world says it wrote, field by field (Hebrew included).
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<XmlShape> Shapes => [.. Enum.GetValues<XmlShape>()];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task ReadBack_EveryFileOfEveryProfile_EqualsExpectedRows(XmlShape shape)
    {
        var (options, profiles) = Worlds(shape);
        var world = new SimulatedWorld(options);
        world.AdvanceDay(0.2); // price changes (Price snapshots carry them) and yesterday's history
        var failures = new List<string>();
        var files = 0;
        var rows = new Dictionary<FileKind, int>();
        var repairs = 0;
        var ampersands = 0;
        foreach (var (chainId, profile) in profiles)
        {
            foreach (var name in world.FileNames(chainId, includeHistory: true))
            {
                files++;
                failures.AddRange(await CheckFileAsync(world, chainId, profile, name));
                if (Parsed(name) is { IsPlaceholder: false } parsed)
                {
                    var read = await ReadAsync(world, chainId, name);
                    rows[parsed.Kind] = rows.GetValueOrDefault(parsed.Kind) + read.Prices.Count + read.Stores.Count + read.Promotions.Count;
                    repairs += read.Repairs;
                    ampersands += read.Prices.Count(p => p.ItemName!.Contains('&', StringComparison.Ordinal));
                }
            }
        }

        Assert.True(files > 24 * 12, $"only {files} files checked");
        Assert.All(Enum.GetValues<FileKind>(), kind => Assert.True(rows.GetValueOrDefault(kind) > 0, $"no {kind} rows compared"));
        Assert.True(ampersands > 0 && repairs > ampersands, $"flaws not exercised: {ampersands} names with &, {repairs} repairs");
        Assert.True(failures.Count == 0, $"{failures.Count} differences:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(25))}");
    }

    [Fact]
    public async Task ReadBack_ExpectedPrices_EqualPriceFullThenNewestPrice()
    {
        var world = new SimulatedWorld(TestFiles.AllKinds(items: 120, stores: 2));
        world.AdvanceDay(0.3);
        foreach (var chain in world.Chains)
        {
            var chainId = chain.Chain.Id;
            var names = world.FileNames(chainId);
            for (var store = 1; store <= 2; store++)
            {
                var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
                var full = names.Single(n => Parsed(n) is { Kind: FileKind.PriceFull, IsPlaceholder: false } p && p.StoreId == store);
                var newest = names.Where(n => Parsed(n) is { Kind: FileKind.Price, IsPlaceholder: false } p && p.StoreId == store)
                    .MaxBy(n => Parsed(n)!.PublishedAt)!;
                foreach (var row in (await ReadAsync(world, chainId, full)).Prices.Concat((await ReadAsync(world, chainId, newest)).Prices))
                {
                    prices[row.ProductKey] = row.ItemPrice;
                }

                Assert.Equal(world.ExpectedPrices(chainId, store).OrderBy(p => p.Key, StringComparer.Ordinal), prices.OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public async Task ReadBack_PromoFull_LastWinsEqualsExpectedPromotions()
    {
        var world = new SimulatedWorld(TestFiles.AllKinds(items: 200, stores: 3));
        foreach (var chain in world.Chains)
        {
            var chainId = chain.Chain.Id;
            foreach (var name in world.FileNames(chainId).Where(n => Parsed(n) is { Kind: FileKind.PromoFull, IsPlaceholder: false }))
            {
                var store = Parsed(name)!.StoreId;
                var read = (await ReadAsync(world, chainId, name)).Promotions;
                var lastWins = read.GroupBy(p => p.PromotionId).Select(g => g.Last()).ToList();
                Assert.Empty(RowAssert.Differences(name, world.ExpectedPromotions(chainId, store), lastWins));
            }
        }
    }

    private static async Task<List<string>> CheckFileAsync(SimulatedWorld world, string chainId, ChainProfile profile, string name)
    {
        var failures = new List<string>();
        if (!PriceFileName.TryParse(name, out var parsed))
        {
            return [$"{name}: the product does not parse the name"];
        }

        var bytes = await TestFiles.GenerateAsync(world, chainId, name);
        if (parsed.IsPlaceholder)
        {
            return bytes.Length == 0 ? [] : [$"{name}: placeholder is not empty"];
        }

        if (parsed.ChainId != chainId || (parsed.SubChainId is not null) != (profile.NewNameScheme || (parsed.Kind == FileKind.Stores && profile.StoresShortTime)))
        {
            failures.Add($"{name}: name parsed as chain {parsed.ChainId}, sub-chain {parsed.SubChainId}");
        }

        var read = await ReadAsync(world, chainId, name);
        var container = profile.Container switch
        {
            FileContainer.Gzip => "gzip",
            FileContainer.Plain => "plain",
            _ => "zip",
        };
        // Undeclared windows-1255 with no byte above 0x7F (an empty promo file) is also valid UTF-8, and reads the same.
        var codePageOk = read.CodePage == CodePage(profile.Encoding) ||
            (profile.Encoding == XmlEncodingStyle.Windows1255Undeclared && read.CodePage == Encoding.UTF8.CodePage && IsAscii(await TestFiles.GenerateAsync(world, chainId, name), profile));
        if (read.Container != container || !codePageOk)
        {
            failures.Add($"{name}: opened as {read.Container}/{read.CodePage}, written as {profile.Container}/{profile.Encoding}");
        }

        switch (parsed.Kind)
        {
            case FileKind.Stores:
                failures.AddRange(RowAssert.Differences(name, world.ExpectedStoreRows(chainId, name), read.Stores));
                break;
            case FileKind.PriceFull or FileKind.Price:
                failures.AddRange(RowAssert.Differences(name, world.ExpectedPriceRows(chainId, name), read.Prices));
                break;
            default:
                failures.AddRange(RowAssert.Differences(name, world.ExpectedPromotionRows(chainId, name), read.Promotions));
                break;
        }

        if (read.Rejected > 0)
        {
            failures.Add($"{name}: reader rejected {read.Rejected} rows");
        }

        return failures;
    }

    private sealed record ReadBack(string Container, int CodePage, List<PriceRow> Prices, List<StoreRow> Stores, List<PromotionRow> Promotions, int Rejected, int Repairs);

    private static async Task<ReadBack> ReadAsync(SimulatedWorld world, string chainId, string name)
    {
        var bytes = await TestFiles.GenerateAsync(world, chainId, name);
        using var file = PriceFileReader.Open(new MemoryStream(bytes));
        var stats = new ReadStats();
        var kind = PriceFileReader.KindOf(name);
        var prices = kind is FileKind.PriceFull or FileKind.Price ? PriceFileReader.ReadPrices(file, stats, CancellationToken.None).ToList() : [];
        var stores = kind is FileKind.Stores ? PriceFileReader.ReadStores(file, stats, CancellationToken.None).ToList() : [];
        var promotions = kind is FileKind.PromoFull or FileKind.Promo ? PriceFileReader.ReadPromotions(file, stats, CancellationToken.None).ToList() : [];
        return new ReadBack(file.Container, file.Encoding.CodePage, prices, stores, promotions, stats.RowsRejected, stats.Repairs);
    }

    /// <summary>Whether the file's XML (inside its container) is pure ASCII.</summary>
    private static bool IsAscii(byte[] raw, ChainProfile profile)
    {
        var xml = profile.Container switch
        {
            FileContainer.Gzip => TestFiles.Gunzip(raw),
            FileContainer.Plain => raw,
            _ => TestFiles.Unzip(raw),
        };
        return xml.All(b => b < 0x80);
    }

    private static PriceFileName? Parsed(string name) => PriceFileName.TryParse(name, out var parsed) ? parsed : null;

    private static int CodePage(XmlEncodingStyle style) => style switch
    {
        XmlEncodingStyle.Windows1255Declared or XmlEncodingStyle.Windows1255Undeclared => 1255,
        XmlEncodingStyle.Utf16LeBom => Encoding.Unicode.CodePage,
        _ => Encoding.UTF8.CodePage,
    };

    /// <summary>One chain per encoding × container for the shape; the other switches cycle so every value is met.</summary>
    private static (SimulatorOptions Options, List<(string ChainId, ChainProfile Profile)> Profiles) Worlds(XmlShape shape)
    {
        var options = TestFiles.AllKinds(items: 40, stores: 2, duplicateRate: 0.1);
        var chains = new List<SimulatedChain>();
        var profiles = new List<(string, ChainProfile)>();
        var storesShapes = Enum.GetValues<StoresShape>();
        var n = 0;
        foreach (var encoding in Enum.GetValues<XmlEncodingStyle>())
        {
            foreach (var container in Enum.GetValues<FileContainer>())
            {
                var id = "72999" + ((int)shape).ToString("00", System.Globalization.CultureInfo.InvariantCulture) + n.ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
                var profile = new ChainProfile
                {
                    Shape = shape,
                    StoresShape = storesShapes[n % storesShapes.Length],
                    Encoding = encoding,
                    Container = container,
                    NewNameScheme = n % 2 == 1,
                    NoExtension = n % 4 == 3,
                    Flaws = n % 3 != 0,
                    Placeholders = n % 5 == 0,
                };
                chains.Add(new SimulatedChain(
                    new Chain("רשת " + n, id),
                    new PortalInfo(PortalFamilies.Cerberus, new Uri("https://url.publishedprices.co.il/"),
                        new Dictionary<string, string>(StringComparer.Ordinal) { ["user"] = "u" + id })));
                options.Profiles[id] = profile;
                profiles.Add((id, profile));
                n++;
            }
        }

        options.Chains = chains;
        return (options, profiles);
    }
}
