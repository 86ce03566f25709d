using System.Globalization;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Diagnostics;

/// <summary>
/// The logging scopes a run's work carries, so every line logged inside them (by any logger of the factory: the
/// orchestrator, a scraper, the simulator) names its run and chain. The host routes lines by these properties into
/// per-run and per-chain log files; Core only names them.
/// </summary>
public static class LogScope
{
    /// <summary>The run's id, "D" format.</summary>
    public const string RunId = "RunId";

    /// <summary>The chain's display name.</summary>
    public const string Chain = "Chain";

    /// <summary>The chain's file-safe key: its scraper class name (ASCII, stable, what <c>--chain</c> accepts).</summary>
    public const string ChainKey = "ChainKey";

    public static IReadOnlyList<KeyValuePair<string, object?>> ForRun(Guid runId) =>
        [new(RunId, runId.ToString("D", CultureInfo.InvariantCulture))];

    public static IReadOnlyList<KeyValuePair<string, object?>> ForChain(Guid runId, SupermarketScraper scraper)
    {
        ArgumentNullException.ThrowIfNull(scraper);
        return
        [
            new(RunId, runId.ToString("D", CultureInfo.InvariantCulture)),
            new(Chain, scraper.Chain.Name),
            new(ChainKey, scraper.GetType().Name),
        ];
    }
}
