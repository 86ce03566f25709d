using Gogobe.Core;
using Gogobe.Core.Scraping;

namespace Gogobe.Host.Bench;

internal sealed partial class BenchRunner
{
    /// <summary>
    /// <c>gogobe bench --parse-only</c>: generates the day (untimed) and measures only the reader, fast parser against the
    /// XmlReader parser, over every PriceFull file of the day; no database. For working on the parser.
    /// </summary>
    public async Task<ParseOnlyResult> ParseOnlyAsync(IReadOnlyList<SupermarketScraper> registered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var scale = BenchScale.For(settings.Scale, registered.Count);
        await using var day = await BenchDay.StartAsync(registered, scale, settings.Seed, IsraelClock.Today(_clock), cancellationToken).ConfigureAwait(false);
        progress($"Generating the day: {scale.Chains} chains × {scale.StoresPerChain} stores × {scale.ItemsPerStore:N0} items (seed {settings.Seed})…");
        var figures = await day.GenerateAsync(cancellationToken).ConfigureAwait(false);
        progress($"Generated {figures.Files:N0} files, {figures.Bytes / 1e6:N1} MB, {figures.RowsInFiles:N0} price rows (not timed).");
        var priceFiles = day.PriceFullFiles();
        progress($"Parse only (reader alone, one thread), fast and XmlReader parsers in turn, over {priceFiles.Length} files…");
        return await Task.Run(() => BaselineHarness.ParseOnly(priceFiles, cancellationToken), cancellationToken).ConfigureAwait(false);
    }
}
