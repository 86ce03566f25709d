using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Web;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Chains' own price sites that show files in an HTML table with a pager (Shufersal, Hazi Hinam, Super-Pharm, City
/// Market shops). For each of the site's categories the pager is followed until it offers no link to the next page
/// (the page count is never read or assumed: Shufersal has more than 99). Date-selecting sites are asked for today;
/// nothing today but files on an earlier day is <see cref="NoFilesYetException"/>, nothing at all is an error. A link
/// the site refuses as expired (403/410, as signed blob links do) is re-listed for a fresh one and tried once more.
/// The one hook is <see cref="ListingPath"/>; everything else is data in <see cref="PagedHtmlSite"/>.
/// </summary>
public abstract class PagedHtmlScraper : SupermarketScraper
{
    /// <summary>Far above the pages any real site has; reaching it means the pager never ends.</summary>
    public const int MaxPages = 5_000;

    /// <summary>How many earlier days a date-selecting site is asked before "nothing today" becomes "nothing at all".</summary>
    public const int LookBackDays = 3;

    // Fresh links from the latest re-listing, per run (a context is one chain's run): a burst of expired links
    // costs one re-listing, not one per file.
    private readonly ConditionalWeakTable<ScrapeContext, RelistedLinks> _relisted = [];

    protected PagedHtmlScraper(Chain chain, PagedHtmlSite site)
        : base(chain)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (site.Categories.Count == 0)
        {
            throw new ArgumentException($"{chain}: a paged HTML site needs at least one category to list.", nameof(site));
        }

        Site = site;
        Portal = new PortalInfo(site.Family, site.Address);
    }

    public override PortalInfo Portal { get; }

    protected PagedHtmlSite Site { get; }

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var today = context.IsraelToday;
        var count = 0;
        await foreach (var file in ListDayAsync(context, today, cancellationToken).ConfigureAwait(false))
        {
            count++;
            yield return file;
        }

        if (count > 0)
        {
            yield break;
        }

        var first = context.Resolve(ListingPath(Site.Categories[0], today, 1));
        if (!Site.SelectsDay)
        {
            throw new InvalidOperationException($"{Chain}: the listing at {first} returned no files; the site may have moved or changed.");
        }

        for (var back = 1; back <= LookBackDays; back++)
        {
            var day = today.AddDays(-back);
            if (await AnyFileOnAsync(context, day, cancellationToken).ConfigureAwait(false))
            {
                throw new NoFilesYetException(Chain, today, day);
            }
        }

        throw new InvalidOperationException(
            $"{Chain}: the listing returned no files for {today:yyyy-MM-dd} nor the {LookBackDays} days before ({first}); the site may have moved or changed.");
    }

    public override async Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);

        // Once a re-listing has handed out fresh links, use them rather than asking again with a stale one.
        if (_relisted.TryGetValue(context, out var links) && links.Latest is { } latest && latest.TryGetValue(file.Name, out var fresher))
        {
            file = file with { Location = fresher };
        }

        try
        {
            return await DownloadAsync(file, context, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Gone)
        {
            // Signed links expire (Shufersal's blob links refuse with 403 AuthenticationFailed): ask the site again
            // for this file's current link and try once more. A second refusal is the file's failure.
            var fresh = await FreshLinkAsync(file, context, ex, cancellationToken).ConfigureAwait(false);
            ScraperLog.LinkRefreshed(context.Logger, Chain, file.Name, (int)ex.StatusCode!);
            return await DownloadAsync(file with { Location = fresh }, context, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The portal-relative address of one listing page: <paramref name="category"/> is one of
    /// <see cref="PagedHtmlSite.Categories"/>, <paramref name="page"/> is 1-based, <paramref name="day"/> is the Israel
    /// date asked for (sites that do not select by day ignore it).
    /// </summary>
    protected abstract string ListingPath(string category, DateOnly day, int page);

    private async IAsyncEnumerable<PublishedFile> ListDayAsync(ScrapeContext context, DateOnly day, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = new HtmlParser();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in Site.Categories)
        {
            for (var page = 1; ; page++)
            {
                if (page > MaxPages)
                {
                    throw new InvalidOperationException($"{Chain}: the listing pager of category {category} still offered a next page after {MaxPages} pages.");
                }

                var address = context.Resolve(ListingPath(category, day, page));
                var html = await PortalHttp.GetTextAsync(context.Http, address, Chain, $"listing page {page} (category {category})", cancellationToken)
                    .ConfigureAwait(false);
                using var document = await parser.ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
                foreach (var file in Rows(document, address, page, context))
                {
                    // Rows can shift between pages while the site publishes; a name is listed once.
                    if (seen.Add(file.Name))
                    {
                        yield return file;
                    }
                }

                if (!HasNextPage(document, page))
                {
                    ScraperLog.PagesListed(context.Logger, Chain, page, seen.Count);
                    break;
                }
            }
        }
    }

    /// <summary>Whether the site lists any file on <paramref name="day"/>: the first page of each category is enough.</summary>
    private async Task<bool> AnyFileOnAsync(ScrapeContext context, DateOnly day, CancellationToken cancellationToken)
    {
        var parser = new HtmlParser();
        foreach (var category in Site.Categories)
        {
            var address = context.Resolve(ListingPath(category, day, 1));
            var html = await PortalHttp.GetTextAsync(context.Http, address, Chain, $"listing of {day:yyyy-MM-dd} (category {category})", cancellationToken)
                .ConfigureAwait(false);
            using var document = await parser.ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
            if (Rows(document, address, 1, context).Any())
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<PublishedFile> Rows(IDocument document, Uri address, int page, ScrapeContext context)
    {
        foreach (var row in document.QuerySelectorAll(Site.RowSelector))
        {
            var href = row.QuerySelector("a[href]")?.GetAttribute("href");
            if (string.IsNullOrWhiteSpace(href))
            {
                ScraperLog.RowWithoutLink(context.Logger, Chain, page);
                continue;
            }

            var location = new Uri(address, href.Trim());
            yield return new PublishedFile(FileName(location, row), location);
        }
    }

    /// <summary>True when the pager links to page <paramref name="page"/> + 1 (by its page parameter, whatever the link text).</summary>
    private bool HasNextPage(IDocument document, int page)
    {
        var next = (page + 1).ToString(CultureInfo.InvariantCulture);
        return document.QuerySelectorAll(Site.PagerSelector).Any(link =>
        {
            var href = link.GetAttribute("href");
            var query = href?.IndexOf('?', StringComparison.Ordinal) is >= 0 and var at ? href[(at + 1)..].Split('#')[0] : null;
            return query is not null && HttpUtility.ParseQueryString(query)[Site.PageParameter] == next;
        });
    }

    private async Task<Stream> DownloadAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        if (!Site.LinkReturnsJson)
        {
            return await PortalHttp.OpenStreamAsync(context.Http, Chain, file, cancellationToken).ConfigureAwait(false);
        }

        // Two steps: the row's link answers {"href": "<where the file is>"}, relative to the link.
        var json = await PortalHttp.GetTextAsync(context.Http, file.Location, Chain, $"download link of {file.Name}", cancellationToken).ConfigureAwait(false);
        string? href;
        try
        {
            using var document = JsonDocument.Parse(json);
            href = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("href", out var value)
                ? value.GetString()
                : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{Chain}: the download link of {file.Name} did not answer JSON ({ex.Message}); the site may have changed.", ex);
        }

        if (string.IsNullOrWhiteSpace(href))
        {
            throw new InvalidOperationException($"{Chain}: the download link of {file.Name} answered JSON without an \"href\"; the site may have changed.");
        }

        return await PortalHttp.OpenStreamAsync(context.Http, Chain, file with { Location = new Uri(file.Location, href.Trim()) }, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<Uri> FreshLinkAsync(PublishedFile file, ScrapeContext context, HttpRequestException refusal, CancellationToken cancellationToken)
    {
        var links = _relisted.GetOrCreateValue(context);
        if (links.Latest is { } latest && latest.TryGetValue(file.Name, out var known) && known != file.Location)
        {
            return known; // re-listed since this link was handed out
        }

        var fresh = new Dictionary<string, Uri>(StringComparer.Ordinal);
        await foreach (var listed in ListDayAsync(context, context.IsraelToday, cancellationToken).ConfigureAwait(false))
        {
            fresh[listed.Name] = listed.Location;
        }

        links.Latest = fresh;
        return fresh.TryGetValue(file.Name, out var location)
            ? location
            : throw new InvalidOperationException(
                $"{Chain}: the link to {file.Name} was refused ({(int)refusal.StatusCode!} {refusal.StatusCode}) and a fresh listing no longer has the file.",
                refusal);
    }

    /// <summary>The link's last path segment when it is a file name (it keeps the extension); else the row cell that is one.</summary>
    private static string FileName(Uri location, IElement row)
    {
        var segment = Uri.UnescapeDataString(location.Segments[^1]).Trim('/');
        if (segment.Length > 0 && PriceFileReader.KindOf(segment) is not null)
        {
            return segment;
        }

        var cell = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).FirstOrDefault(text => text.Length > 0 && PriceFileReader.KindOf(text) is not null);
        return cell ?? throw new InvalidOperationException($"Cannot tell the file name of the listing row linking to {location}.");
    }

    private sealed class RelistedLinks
    {
        public volatile IReadOnlyDictionary<string, Uri>? Latest;
    }
}
