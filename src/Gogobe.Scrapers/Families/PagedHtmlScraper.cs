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
/// Market shops). For each of the site's categories the pages are read up to the highest page any pager names (pagers
/// show a window, a "last" link or buttons; Shufersal has more than 99 pages and answers rows for a page past its end,
/// so the end is never found by asking). Date-selecting sites are asked for today; nothing today but files on an
/// earlier day is <see cref="NoFilesYetException"/>, nothing at all is an error, and a page without the expected table
/// is a <see cref="PortalChangedException"/>. A link the site refuses as expired (403/410, as signed blob links do) is
/// re-listed for a fresh one and tried once more. The one hook is <see cref="ListingPath"/>; the rest is
/// <see cref="PagedHtmlSite"/>.
/// </summary>
public abstract class PagedHtmlScraper : SupermarketScraper
{
    /// <summary>Far above the pages any real site has; reaching it means the pager never ends.</summary>
    public const int MaxPages = 5_000;

    /// <summary>How many earlier days a date-selecting site is asked before "nothing today" becomes "nothing at all".</summary>
    public const int LookBackDays = 3;

    /// <summary>The most a JSON link answer may be; a file is never read this way.</summary>
    private const int MaxLinkAnswerBytes = 64 * 1024;

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
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in Site.Categories)
        {
            var last = 1;
            for (var page = 1; ; page++)
            {
                if (page > MaxPages)
                {
                    throw new InvalidOperationException($"{Chain}: the listing pager of category {category} still named a later page after {MaxPages} pages.");
                }

                var (rows, lastNamed) = await ReadPageAsync(context, category, day, page, cancellationToken).ConfigureAwait(false);
                var added = 0;
                foreach (var file in rows)
                {
                    // Rows can shift between pages while the site publishes; a name is listed once.
                    if (seen.Add(file.Name))
                    {
                        added++;
                        yield return file;
                    }
                }

                last = Math.Max(last, lastNamed);
                if (page >= last)
                {
                    ScraperLog.PagesListed(context.Logger, Chain, page, seen.Count);
                    break;
                }

                if (rows.Count > 0 && added == 0)
                {
                    // Only rows already listed: the site is answering past its end (Shufersal does), whatever its pager says.
                    ScraperLog.PagesRepeated(context.Logger, Chain, category, page, last);
                    break;
                }
            }
        }
    }

    /// <summary>Whether the site lists any file on <paramref name="day"/>: the first page of each category is enough.</summary>
    private async Task<bool> AnyFileOnAsync(ScrapeContext context, DateOnly day, CancellationToken cancellationToken)
    {
        foreach (var category in Site.Categories)
        {
            var (rows, _) = await ReadPageAsync(context, category, day, 1, cancellationToken).ConfigureAwait(false);
            if (rows.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One listing page: its files, and the highest page its pager names (1 when it has none).</summary>
    private async Task<(List<PublishedFile> Rows, int LastPage)> ReadPageAsync(
        ScrapeContext context, string category, DateOnly day, int page, CancellationToken cancellationToken)
    {
        var address = context.Resolve(ListingPath(category, day, page));
        var html = await PortalHttp.GetTextAsync(context.Http, address, Chain, $"listing page {page} (category {category})", cancellationToken)
            .ConfigureAwait(false);
        using var document = await new HtmlParser().ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
        var table = document.QuerySelector(Site.Table.Selector)
            ?? throw new PortalChangedException(Chain, "listing", $"the listing page {address}", $"no {Site.Table.Selector}");
        return (Rows(table, address, page, context), LastPage(document));
    }

    private List<PublishedFile> Rows(IElement table, Uri address, int page, ScrapeContext context)
    {
        var shape = Site.Table;
        var files = new List<PublishedFile>();
        foreach (var row in table.QuerySelectorAll("tbody > tr"))
        {
            var cells = row.Children.Where(c => c.LocalName == "td").ToList();
            if (cells.Count == 0 || (cells.Count == 1 && row.QuerySelector("a[href]") is null))
            {
                continue; // a header row inside tbody, or the grid's "no files" row (one cell across the table)
            }

            var needed = Math.Max(shape.NameCell, shape.LinkCell);
            if (cells.Count < needed)
            {
                throw new PortalChangedException(Chain, "listing", $"a row of {address}",
                    $"{cells.Count} cells, where the name is read from cell {shape.NameCell} and the link from cell {shape.LinkCell}");
            }

            var href = cells[shape.LinkCell - 1].QuerySelector("a[href]")?.GetAttribute("href");
            if (string.IsNullOrWhiteSpace(href))
            {
                ScraperLog.RowWithoutLink(context.Logger, Chain, page);
                continue;
            }

            var location = new Uri(address, href.Trim());
            var name = FileName(location, cells[shape.NameCell - 1].TextContent.Trim(), address);
            var time = shape.TimeCell is { } t && t <= cells.Count ? ListingText.Time(cells[t - 1].TextContent, [.. shape.TimeFormats]) : null;
            var size = shape.SizeCell is { } s && s <= cells.Count ? ListingText.Size(cells[s - 1].TextContent, shape.SizeUnit) : null;
            files.Add(new PublishedFile(name, location, size, time));
        }

        return files;
    }

    /// <summary>The highest page number the pager's elements name: <c>data-page</c> (buttons) or the page parameter of an href.</summary>
    private int LastPage(IDocument document)
    {
        var last = 1;
        foreach (var element in document.QuerySelectorAll(Site.Pager.Selector))
        {
            if (PageNumber(element) is { } number && number > last)
            {
                last = number;
            }
        }

        return last;
    }

    private int? PageNumber(IElement element)
    {
        if (int.TryParse(element.GetAttribute("data-page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page))
        {
            return page;
        }

        var href = element.GetAttribute("href");
        var at = href?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        return at >= 0 && int.TryParse(HttpUtility.ParseQueryString(href![(at + 1)..].Split('#')[0])[Site.Pager.PageParameter],
            NumberStyles.None, CultureInfo.InvariantCulture, out page)
            ? page
            : null;
    }

    private async Task<Stream> DownloadAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        var stream = await PortalHttp.OpenStreamAsync(context.Http, Chain, file, cancellationToken).ConfigureAwait(false);
        if (!Site.LinkMayAnswerJson)
        {
            return stream;
        }

        // The link answers either the file itself or {"href": "<where the file is>"}; the first byte past any BOM and
        // white space tells which (a file starts with gzip's, zip's or XML's bytes, never '{').
        var head = new byte[16];
        int read;
        try
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var text = head.AsSpan(0, read);
        text = text.StartsWith("\uFEFF"u8) ? text[3..] : text;
        var first = text.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0 || text[first] != (byte)'{')
        {
            return new PrefixedStream(head, 0, read, stream);
        }

        var answer = new byte[MaxLinkAnswerBytes];
        head.AsSpan(0, read).CopyTo(answer);
        await using (stream.ConfigureAwait(false))
        {
            read += await stream.ReadAtLeastAsync(answer.AsMemory(read), answer.Length - read, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
        }

        // O1 joins the href to the site's base, so a relative one is resolved against the portal, not the link.
        var href = LinkAnswerHref(answer.AsSpan(0, read), file);
        return await PortalHttp.OpenStreamAsync(context.Http, Chain, file with { Location = new Uri(context.PortalAddress, href) }, cancellationToken)
            .ConfigureAwait(false);
    }

    private string LinkAnswerHref(ReadOnlySpan<byte> json, PublishedFile file)
    {
        try
        {
            var reader = new Utf8JsonReader(json.StartsWith("\uFEFF"u8) ? json[3..] : json);
            using var document = JsonDocument.ParseValue(ref reader);
            var href = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("href", out var value)
                ? value.GetString()
                : null;
            return string.IsNullOrWhiteSpace(href)
                ? throw new PortalChangedException(Chain, "download", $"the JSON answer of {file.Location}", "no \"href\"")
                : href.Trim();
        }
        catch (JsonException ex)
        {
            throw new PortalChangedException(Chain, "download", $"the answer of {file.Location}", $"neither a file nor JSON ({ex.Message})", ex);
        }
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

    /// <summary>
    /// The link's last path segment when it is a well-formed file name (it keeps the extension: Shufersal's blob links);
    /// else the name cell, which real sites write without the extension (Hazi Hinam, City Market's opaque
    /// <c>downloadFile/&lt;uuid&gt;</c> links).
    /// </summary>
    private string FileName(Uri location, string nameCell, Uri address)
    {
        var segment = Uri.UnescapeDataString(location.Segments[^1]).Trim('/');
        if (PriceFileName.TryParse(segment, out _))
        {
            return segment;
        }

        if (nameCell.Length > 0)
        {
            return nameCell;
        }

        return PriceFileReader.KindOf(segment) is not null
            ? segment
            : throw new PortalChangedException(Chain, "listing", $"the row of {address} linking to {location}", $"no file name in cell {Site.Table.NameCell}");
    }

    private sealed class RelistedLinks
    {
        public volatile IReadOnlyDictionary<string, Uri>? Latest;
    }
}
