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

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
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

            switch (simulated.Portal.Family)
            {
                case PortalFamilies.CerberusWeb:
                    var user = simulated.Portal.Setting("user");
                    if (string.IsNullOrEmpty(user) || !users.Add(user))
                    {
                        throw new ArgumentException($"Cerberus chain {simulated.Chain} needs a distinct \"user\" setting (got \"{user}\").");
                    }

                    break;
                case PortalFamilies.ShufersalHtml:
                    break;
                default:
                    throw new ArgumentException($"Chain {simulated.Chain}: the simulator does not serve portal family \"{simulated.Portal.Family}\".");
            }
        }
    }

    private static SimulatedChain Cerberus(string name, string id, string user, string password = "") =>
        new(new Chain(name, id),
            new PortalInfo(PortalFamilies.CerberusWeb, new Uri("https://url.publishedprices.co.il/"),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["user"] = user, ["password"] = password }));
}
