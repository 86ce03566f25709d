namespace Gogobe.Core.Scraping;

/// <summary>
/// One chain's scraper. Concrete subclasses are found by <see cref="ScraperRegistry"/> through reflection,
/// so adding a chain is writing one subclass (usually of a portal-family base) and nothing else.
/// Everything after <see cref="OpenAsync"/> (decode, parse, dedup, write, log) is shared by all chains.
/// </summary>
public abstract class SupermarketScraper(Chain chain)
{
    public Chain Chain { get; } = chain;

    /// <summary>The portal engine and parameters this chain publishes on.</summary>
    public abstract PortalInfo Portal { get; }

    /// <summary>Lists the files currently published. A listing that finds nothing where files are expected must throw.</summary>
    public abstract IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, CancellationToken cancellationToken);

    /// <summary>Opens one listed file as a stream of its raw bytes (still compressed); never buffers the whole file.</summary>
    public abstract Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken);

    public override string ToString() => Chain.ToString();
}
