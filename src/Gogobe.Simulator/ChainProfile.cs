using Gogobe.Core.Files;

namespace Gogobe.Simulator;

/// <summary>Which XML layout a chain's Price/PriceFull and Promo/PromoFull files use (FORMATS.md, schema variants).</summary>
public enum XmlShape
{
    /// <summary><c>Root/Items/Item</c> and <c>Root/Promotions/Promotion</c> with <c>PromotionItems/Item</c>.</summary>
    Standard,

    /// <summary>.NET DataSet dump for prices: <c>NewDataSet</c> with an inline schema and <c>item</c> rows carrying the ids (Tiv Taam). Promotions are standard.</summary>
    DataSet,

    /// <summary>Old Laib catalog: <c>Prices/Products/Product</c> (with the Manufacture*/BisWeighted spellings) and <c>Promos/Sales/Sale</c>, one sale per promoted item.</summary>
    Laib,

    /// <summary>Super-Pharm: <c>OrderXml/Envelope/Header/Details/Line</c> for prices and promotions (one line per promoted item), ids in the envelope.</summary>
    SuperPharm,
}

/// <summary>Which nesting a chain's Stores file uses (FORMATS.md, Stores).</summary>
public enum StoresShape
{
    /// <summary><c>Root/SubChains/SubChain/Stores/Store</c>.</summary>
    Standard,

    /// <summary>SAP ABAP dump, ALL CAPS: <c>asx:abap/asx:values/STORES/STORE</c>.</summary>
    SapAbap,

    /// <summary>Laib catalog: <c>Store/Branches/Branch</c> with <c>ChainID, SubChainID, StoreID, ZIPCode</c>.</summary>
    Branches,

    /// <summary>City Market style: <c>SubChains/SubChainsXMLObject/SubChain/Stores/Store/SubChainStoresXMLObject/SubChainStoreXMLObject</c>.</summary>
    Wrapped,
}

/// <summary>How a file is packed. Readers must tell them apart by magic bytes, never by the name.</summary>
public enum FileContainer
{
    /// <summary>gzip, named <c>.gz</c>.</summary>
    Gzip,

    /// <summary>zip with one entry, named <c>.zip</c>.</summary>
    Zip,

    /// <summary>zip with one entry, but named <c>.gz</c> (seen in the wild).</summary>
    ZipNamedGz,

    /// <summary>plain XML, named <c>.xml</c>.</summary>
    Plain,
}

/// <summary>How one simulated chain publishes: layout, encoding, container, naming and flaws. See <see cref="SimulatorOptions.Profiles"/>.</summary>
public sealed record ChainProfile
{
    /// <summary>Layout of price and promotion files.</summary>
    public XmlShape Shape { get; init; } = XmlShape.Standard;

    /// <summary>Layout of the Stores file.</summary>
    public StoresShape StoresShape { get; init; } = StoresShape.Standard;

    public XmlEncodingStyle Encoding { get; init; } = XmlEncodingStyle.Utf8BomCrlfNoDeclaration;

    public FileContainer Container { get; init; } = FileContainer.Gzip;

    /// <summary>
    /// Names in the 2026 scheme <c>&lt;Kind&gt;&lt;ChainId&gt;-&lt;SubChainId&gt;-&lt;StoreId&gt;-&lt;YYYYMMDD&gt;-&lt;HHMMSS&gt;</c> instead of the
    /// classic one; its Stores files drop the sub-chain (<c>Stores7290055700007-000-20260811-000100</c>, as Carrefour's do).
    /// </summary>
    public bool NewNameScheme { get; init; }

    /// <summary>The Stores file ends in its time as H[H]MM (<c>Stores7290027600007-000-20260716-020</c> at 0:20, Shufersal's).</summary>
    public bool StoresShortTime { get; init; }

    /// <summary>Names carry no extension at all.</summary>
    public bool NoExtension { get; init; }

    /// <summary>The extension is written in capitals (<c>.GZ</c>), as some Bina chains' names are.</summary>
    public bool UpperCaseExtension { get; init; }

    /// <summary>Some item names hold an unescaped <c>&amp;</c>, some values carry trailing spaces (a correct reader repairs both).</summary>
    public bool Flaws { get; init; }

    /// <summary>The listing also holds <c>NULL…</c> placeholder files (empty, to be skipped by name).</summary>
    public bool Placeholders { get; init; }

    /// <summary>
    /// The kinds this chain publishes at all, on top of <see cref="SimulatorOptions.Kinds"/>: Quik has no Stores file,
    /// Meshnat Yosef 1 no promotions, Super-Pharm no incremental Promo. Must hold PriceFull. Default: every kind.
    /// </summary>
    public IReadOnlySet<FileKind> PublishedKinds { get; init; } = AllKinds;

    private static readonly IReadOnlySet<FileKind> AllKinds = new HashSet<FileKind>(Enum.GetValues<FileKind>());

    /// <summary>Whether this chain publishes <paramref name="kind"/>.</summary>
    public bool Publishes(FileKind kind) => PublishedKinds.Contains(kind);

    /// <summary>
    /// The profile a chain gets when <see cref="SimulatorOptions.Profiles"/> names none. The six default chains have fixed
    /// profiles chosen so that together they cover every container, encoding and shape; any other chain id is hashed
    /// onto the layouts today's reader has always handled (standard/DataSet prices, standard/SAP/wrapped stores).
    /// </summary>
    public static ChainProfile DefaultFor(string chainId)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        if (Known.TryGetValue(chainId, out var known))
        {
            return known;
        }

        if (Model.FamilyProfiles.Known.TryGetValue(chainId, out var family))
        {
            return family;
        }

        var h = Model.Det.Of("profile:" + chainId);
        var encodings = Enum.GetValues<XmlEncodingStyle>();
        return new ChainProfile
        {
            Shape = Model.Det.Below(h, 4) == 0 ? XmlShape.DataSet : XmlShape.Standard,
            StoresShape = Model.Det.Pick(Model.Det.Mix(h ^ 1), [StoresShape.Standard, StoresShape.Standard, StoresShape.SapAbap, StoresShape.Wrapped]),
            Encoding = Model.Det.Pick(Model.Det.Mix(h ^ 2), encodings),
            Container = Model.Det.Pick(Model.Det.Mix(h ^ 3), [FileContainer.Gzip, FileContainer.Gzip, FileContainer.Gzip, FileContainer.Zip, FileContainer.ZipNamedGz, FileContainer.Plain]),
            NewNameScheme = Model.Det.Below(Model.Det.Mix(h ^ 4), 3) == 0,
            Flaws = Model.Det.Below(Model.Det.Mix(h ^ 5), 2) == 0,
            Placeholders = Model.Det.Below(Model.Det.Mix(h ^ 6), 3) == 0,
        };
    }

    // Shufersal, Rami Levy and Osher Ad (the integration demo's three) stay on the shapes the reader has long read.
    private static readonly Dictionary<string, ChainProfile> Known = new(StringComparer.Ordinal)
    {
        ["7290027600007"] = new() // Shufersal
        {
            StoresShortTime = true,
            StoresShape = StoresShape.SapAbap,
            Encoding = XmlEncodingStyle.Utf8BomDeclarationOneLine,
        },
        ["7290058140886"] = new() // Rami Levy
        {
            Encoding = XmlEncodingStyle.Utf8BomCrlfNoDeclaration,
            NewNameScheme = true,
            Flaws = true,
        },
        ["7290103152017"] = new() // Osher Ad
        {
            Shape = XmlShape.DataSet,
            Encoding = XmlEncodingStyle.Utf8NoBom,
            Container = FileContainer.ZipNamedGz,
        },
        ["7290803800003"] = new() // Yohananof
        {
            Shape = XmlShape.Laib,
            StoresShape = StoresShape.Branches,
            Encoding = XmlEncodingStyle.Utf16LeBom,
            Container = FileContainer.Plain,
        },
        ["7291056200008"] = new() // Super Cofix
        {
            Shape = XmlShape.SuperPharm,
            Encoding = XmlEncodingStyle.Windows1255Declared,
            NewNameScheme = true,
            NoExtension = true,
            Placeholders = true,
        },
        ["7290873255550"] = new() // Tiv Taam: its real files are .NET DataSet dumps
        {
            Shape = XmlShape.DataSet,
        },
        ["7290526500006"] = new() // Salach Dabach
        {
            StoresShape = StoresShape.Wrapped,
            Encoding = XmlEncodingStyle.Windows1255Undeclared,
            Container = FileContainer.Zip,
            Flaws = true,
        },
        ["7290172900007"] = new() // Super-Pharm: its own XML, ISO-8859-8 declared, no incremental Promo category
        {
            Shape = XmlShape.SuperPharm,
            Encoding = XmlEncodingStyle.Windows1255Declared,
            PublishedKinds = new HashSet<FileKind> { FileKind.Stores, FileKind.PriceFull, FileKind.Price, FileKind.PromoFull },
        },
        ["7290000000003"] = new() // City Market shops: the XMLObject-wrapped Stores file
        {
            StoresShape = StoresShape.Wrapped,
        },
        ["7290058249350"] = new() // Wolt Market: the 2026 name scheme (FORMATS.md's example is Wolt's)
        {
            NewNameScheme = true,
        },
        ["5144744100002"] = new() // Meshnat Yosef 1: no promotion files
        {
            PublishedKinds = new HashSet<FileKind> { FileKind.Stores, FileKind.PriceFull, FileKind.Price },
        },
    };
}
