using System.Globalization;
using System.Runtime.CompilerServices;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Shufersal's paged HTML listing (prices.shufersal.co.il): <c>FileObject/UpdateCategory?catID=0&amp;storeId=0&amp;page=p</c>,
/// rows in <c>#gridContainer table tbody tr</c>, a WebGrid pager in the footer, direct (signed, expiring) links.
/// The pager is followed until it offers no next page; the page count is never assumed.
/// </summary>
public abstract class ShufersalHtmlScraper : SupermarketScraper
{
    /// <summary>Far above the ~100 pages the real site has; reaching it means the pager never ends.</summary>
    public const int MaxPages = 2_000;

    protected ShufersalHtmlScraper(Chain chain)
        : base(chain)
    {
    }

    public override PortalInfo Portal { get; } = new(PortalFamilies.ShufersalHtml, new Uri("https://prices.shufersal.co.il/"));

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parser = new HtmlParser();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            if (page > MaxPages)
            {
                throw new InvalidOperationException($"{Chain}: the listing pager still offered a next page after {MaxPages} pages.");
            }

            var address = context.Resolve(ListingPath(page));
            var html = await PortalHttp.GetTextAsync(context.Http, address, Chain, $"listing page {page}", cancellationToken).ConfigureAwait(false);
            using var document = await parser.ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
            foreach (var row in document.QuerySelectorAll("#gridContainer table tbody tr"))
            {
                var href = row.QuerySelector("a[href]")?.GetAttribute("href");
                if (string.IsNullOrWhiteSpace(href))
                {
                    ScraperLog.RowWithoutLink(context.Logger, Chain, page);
                    continue;
                }

                var location = new Uri(address, href.Trim());
                var name = FileName(location, row);

                // Rows can shift between pages while the site publishes; a name is listed once.
                if (seen.Add(name))
                {
                    yield return new PublishedFile(name, location);
                }
            }

            var hasNext = document.QuerySelectorAll("#gridContainer table tfoot a").Any(a => a.TextContent.Trim() == ">");
            if (!hasNext)
            {
                if (seen.Count == 0)
                {
                    throw new InvalidOperationException($"{Chain}: the listing at {context.Resolve(ListingPath(1))} returned no files.");
                }

                ScraperLog.PagesListed(context.Logger, Chain, page, seen.Count);
                yield break;
            }
        }
    }

    public override Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);
        return PortalHttp.OpenStreamAsync(context.Http, Chain, file, cancellationToken);
    }

    /// <summary>The portal-relative address of listing page <paramref name="page"/> (1-based): all categories, all stores.</summary>
    protected virtual string ListingPath(int page) =>
        string.Create(CultureInfo.InvariantCulture, $"FileObject/UpdateCategory?catID=0&storeId=0&page={page}");

    /// <summary>The link's last path segment (it keeps the extension); the name column when the link has none.</summary>
    private static string FileName(Uri location, IElement row)
    {
        var segment = Uri.UnescapeDataString(location.Segments[^1]).Trim('/');
        if (segment.Length > 0 && segment.Contains('-', StringComparison.Ordinal))
        {
            return segment;
        }

        var nameCell = row.QuerySelectorAll("td").ElementAtOrDefault(6)?.TextContent.Trim();
        return !string.IsNullOrEmpty(nameCell)
            ? nameCell
            : throw new InvalidOperationException($"Cannot tell the file name of the listing row linking to {location}.");
    }
}
