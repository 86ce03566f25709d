using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>The families whose listed link is the file itself: a plain streamed GET on the chain's session.</summary>
public abstract class DirectDownloadScraper(Chain chain) : SupermarketScraper(chain)
{
    public override Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);
        return PortalHttp.OpenStreamAsync(context.Http, Chain, file, cancellationToken);
    }
}
