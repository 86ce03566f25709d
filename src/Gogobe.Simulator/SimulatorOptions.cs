using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Simulator;

/// <summary>Shape of the simulated world. Everything served is a pure function of these values (and the days advanced).</summary>
public sealed class SimulatorOptions
{
    public int Seed { get; set; } = 42;

    /// <summary>The chains to serve. Defaults to <see cref="DefaultChains"/>.</summary>
    public IReadOnlyList<SimulatedChain> Chains { get; set; } = DefaultChains;

    /// <summary>Stores per chain, published as ids 001..N (at most 999).</summary>
    public int StoresPerChain { get; set; } = 5;

    /// <summary>Distinct items in each store's PriceFull file (duplicates come on top).</summary>
    public int ItemsPerStore { get; set; } = 1000;

    /// <summary>Fraction of rows repeated later in the same file, as real files do.</summary>
    public double DuplicateRate { get; set; } = 0.02;

    /// <summary>The first day the world publishes (Israel date); must be set, usually to <c>IsraelClock.Today(time)</c>.</summary>
    public DateOnly Day { get; set; }

    /// <summary>
    /// How each chain publishes (shape, encoding, container, naming, flaws), by chain id. A chain not named here gets
    /// <see cref="ChainProfile.DefaultFor"/>; the six default chains together cover every variant.
    /// </summary>
    public IDictionary<string, ChainProfile> Profiles { get; } = new Dictionary<string, ChainProfile>(StringComparer.Ordinal);

    /// <summary>
    /// The kinds of file published per store and day (all five by default). A test that wants only the old
    /// Stores + PriceFull picture removes the others.
    /// </summary>
    public ISet<FileKind> Kinds { get; } = new HashSet<FileKind>(Enum.GetValues<FileKind>());

    /// <summary>The profile of a chain: <see cref="Profiles"/>, else <see cref="ChainProfile.DefaultFor"/>.</summary>
    public ChainProfile ProfileFor(string chainId) =>
        Profiles.TryGetValue(chainId, out var profile) ? profile : ChainProfile.DefaultFor(chainId);

    /// <summary>Files per page of the paged HTML listings (Shufersal, Hazi Hinam, Super-Pharm, City Market). Small values make many pages.</summary>
    public int ListingPageSize { get; set; } = 20;

    /// <summary>The simulator's own clock: signed links are stamped and checked against it (tests move it to expire links).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How long a signed blob link (Shufersal) stays valid after the listing hands it out.</summary>
    public TimeSpan SignedLinkLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// Chain ids whose date-selecting portals have published nothing for today yet (early morning): their listing of
    /// today is empty while yesterday's is not.
    /// </summary>
    public ISet<string> UnpublishedToday { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// When set, each generated file is written once to this folder and then served from it as static bytes (the
    /// benchmark pre-generates a day this way so that the timed part is the ingest, not the simulator's gzip).
    /// Files with an injected fault are never cached. The folder must belong to one world (same options and seed).
    /// </summary>
    public string? FileCacheDirectory { get; set; }

    /// <summary>Portal logins of these users fail (to test a chain whose portal refuses us).</summary>
    public ISet<string> RejectedUsers { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The chains of Gogobe.Scrapers' chain classes, with the same portal parameters (a test keeps them in step).
    /// The simulator does not reference the scrapers; the host may build the list from the registry instead.
    /// </summary>
    public static IReadOnlyList<SimulatedChain> DefaultChains { get; } =
    [
        new(new Chain("Shufersal", "7290027600007"), new PortalInfo(PortalFamilies.ShufersalHtml, new Uri("https://prices.shufersal.co.il/"))),
        Cerberus("Rami Levy", "7290058140886", "RamiLevi"),
        Cerberus("Osher Ad", "7290103152017", "osherad"),
        Cerberus("Yohananof", "7290803800003", "yohananof"),
        Cerberus("Super Cofix", "7291056200008", "SuperCofixApp"),
        Cerberus("Salach Dabach", "7290526500006", "SalachD", "12345"),
        Cerberus("Tiv Taam", "7290873255550", "TivTaam"),
        Cerberus("Dor Alon", "7290492000005", "doralon"),
        Cerberus("Keshet Teamim", "7290785400000", "Keshet"),
        Cerberus("Politzer", "7291059100008", "politzer"),
        Cerberus("Stop Market", "7290639000004", "Stop_Market"),
        Cerberus("Yellow", "7290644700005", "Paz_bo", "paz468"),
        Cerberus(new Chain("Super Yuda", "7290058198450") { OtherIds = ["7290058177776"] }, "yuda_ho", "Yud@147", "/Yuda"),
        Cerberus("Fresh Market", "7290876100000", "freshmarket"),
        Site("Hazi Hinam", "7290700100008", PortalFamilies.HaziHinamHtml, "https://shop.hazi-hinam.co.il/"),
        Site("Super-Pharm", "7290172900007", PortalFamilies.SuperPharmHtml, "http://prices.super-pharm.co.il/"),
        Site("City Market shops", "7290000000003", PortalFamilies.CityMarketHtml, "https://www.citymarket-shops.co.il/"),
        Site("Netiv HaHesed", "7290058160839", PortalFamilies.SimpleHtml, "https://app.netiv-hesed.com/"),
        Site("Wolt Market", "7290058249350", PortalFamilies.DailyHtml, "https://wm-gateway.wolt.com/isr-prices/public/v1/"),
        Site("Meshnat Yosef 1", "5144744100002", PortalFamilies.JsonList, "https://list-files.w5871031-kt.workers.dev/"),
        Bina("King Store", "7290058108879", "kingstore"),
        Bina("Maayan 2000", "7290058159628", "maayan2000"),
        Bina("Good Pharm", "7290058197699", "goodpharm"),
        Bina("Zol VeBegadol", "7290058173198", "zolvebegadol"),
        Bina("Super Sapir", "7290058156016", "supersapir"),
        Bina("Super Bareket", "7290875100001", "superbareket"),
        Bina("Shuk HaIr", "7290058148776", "shuk-hayir"),
        Bina("Shefa Birkat HaShem", "7290058134977", "shefabirkathashem"),
        Bina("City Market Kiryat Gat", "7290058288526", "citymarketkiryatgat", "7290058266241", "7290058288090"),
        Bina("Meshnat Yosef 2", "5144744100001", "ktshivuk", "7290058289400"),
        Laib("Victory", "7290696200003", "7290058103393"),
        Laib("Mahsani A-Shuk", "7290661400001", "7290633800006"),
        Laib("H. Cohen", "7290455000004"),
        PublishPrice("Carrefour", "7290055700007", "carrefour"),
        PublishPrice("Quik", "7291029710008", "quik"),
    ];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value that cannot work.</summary>
    public void Validate()
    {
        if (Chains is null || Chains.Count == 0)
        {
            throw new ArgumentException("SimulatorOptions.Chains must hold at least one chain.");
        }

        if (StoresPerChain is < 1 or > 999)
        {
            throw new ArgumentException($"SimulatorOptions.StoresPerChain must be 1..999 (3-digit store ids), not {StoresPerChain}.");
        }

        if (ItemsPerStore is < 1 or > 5_000_000)
        {
            throw new ArgumentException($"SimulatorOptions.ItemsPerStore must be 1..5,000,000, not {ItemsPerStore}.");
        }

        if (double.IsNaN(DuplicateRate) || DuplicateRate is < 0 or > 0.5)
        {
            throw new ArgumentException($"SimulatorOptions.DuplicateRate must be 0..0.5, not {DuplicateRate}.");
        }

        if (Day == default)
        {
            throw new ArgumentException("SimulatorOptions.Day must be set (usually IsraelClock.Today(time)).");
        }

        if (!Kinds.Contains(FileKind.PriceFull) || !Kinds.Contains(FileKind.Stores))
        {
            throw new ArgumentException("SimulatorOptions.Kinds must include Stores and PriceFull (incremental files build on them).");
        }

        if (!Kinds.Contains(FileKind.PromoFull) && Kinds.Contains(FileKind.Promo))
        {
            throw new ArgumentException("SimulatorOptions.Kinds: Promo needs PromoFull.");
        }

        if (ListingPageSize is < 1 or > 10_000)
        {
            throw new ArgumentException($"SimulatorOptions.ListingPageSize must be 1..10,000, not {ListingPageSize}.");
        }

        if (Time is null || SignedLinkLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException("SimulatorOptions.Time must be set and SignedLinkLifetime must be positive.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var allIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var simulated in Chains)
        {
            if (simulated?.Chain is null || simulated.Portal is null)
            {
                throw new ArgumentException("SimulatorOptions.Chains holds a null chain or portal.");
            }

            if (!ids.Add(simulated.Chain.Id))
            {
                throw new ArgumentException($"Chain id {simulated.Chain.Id} appears twice in SimulatorOptions.Chains.");
            }

            if (simulated.Chain.AllIds.FirstOrDefault(id => !allIds.Add(id)) is { } shared)
            {
                throw new ArgumentException($"Chain id {shared} of {simulated.Chain} is claimed by another chain in SimulatorOptions.Chains.");
            }

            if (!ProfileFor(simulated.Chain.Id).Publishes(FileKind.PriceFull))
            {
                throw new ArgumentException($"Chain {simulated.Chain}: its profile's PublishedKinds must include PriceFull.");
            }

            switch (simulated.Portal.Family)
            {
                case PortalFamilies.Cerberus:
                    var user = simulated.Portal.Setting("user");
                    if (string.IsNullOrEmpty(user) || !users.Add(user))
                    {
                        throw new ArgumentException($"Cerberus chain {simulated.Chain} needs a distinct \"user\" setting (got \"{user}\").");
                    }

                    break;
                case PortalFamilies.ShufersalHtml:
                    break;
                case PortalFamilies.HaziHinamHtml or PortalFamilies.SuperPharmHtml or PortalFamilies.CityMarketHtml:
                case PortalFamilies.SimpleHtml or PortalFamilies.DailyHtml or PortalFamilies.JsonList:
                case PortalFamilies.BinaProjects or PortalFamilies.PublishPrice:
                    if (!hosts.Add(simulated.Portal.Address.Host))
                    {
                        throw new ArgumentException($"{simulated.Portal.Family} chain {simulated.Chain}: its site {simulated.Portal.Address.Host} serves one chain only.");
                    }

                    break;
                case PortalFamilies.LaibCatalog:
                    break;
                default:
                    throw new ArgumentException($"Chain {simulated.Chain}: the simulator does not serve portal family \"{simulated.Portal.Family}\".");
            }
        }
    }

    private static SimulatedChain Cerberus(string name, string id, string user, string password = "") =>
        Cerberus(new Chain(name, id), user, password, "/");

    // The scrapers' real address (FTPS); the simulator serves it in the web flavour (PortalSimulator.MapPortal).
    private static SimulatedChain Cerberus(Chain chain, string user, string password, string folder)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["user"] = user, ["password"] = password };
        if (folder != "/")
        {
            settings["folder"] = folder;
        }

        return new(chain, new PortalInfo(PortalFamilies.Cerberus, new Uri("ftps://url.retail.publishedprices.co.il/"), settings));
    }

    private static SimulatedChain Site(string name, string id, string family, string address) =>
        new(new Chain(name, id), new PortalInfo(family, new Uri(address)));

    private static SimulatedChain Bina(string name, string id, string subdomain, params string[] otherIds) =>
        new(new Chain(name, id) { OtherIds = otherIds },
            new PortalInfo(PortalFamilies.BinaProjects, new Uri($"https://{subdomain}.binaprojects.com/"),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["subdomain"] = subdomain }));

    private static SimulatedChain Laib(string name, string id, params string[] otherIds) =>
        new(new Chain(name, id) { OtherIds = otherIds }, new PortalInfo(PortalFamilies.LaibCatalog, new Uri("https://laibcatalog.co.il/")));

    private static SimulatedChain PublishPrice(string name, string id, string site) =>
        new(new Chain(name, id),
            new PortalInfo(PortalFamilies.PublishPrice, new Uri($"https://prices.{site}.co.il/"),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = site }));
}
