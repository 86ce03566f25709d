using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Web;
using AngleSharp.Html.Parser;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Sites that publish one page of direct links (SHAPES.md §7): Netiv HaHesed (a page per day, <c>?Date=YYYY-MM-DD</c>,
/// links <c>/Prices/Download?fileName=…</c>), Wolt Market (a page per day, <c>v1/YYYY-MM-DD.html</c>, list items linking
/// <c>download/YYYY-MM-DD/&lt;file&gt;</c>; a day without a page answers 400), Meshnat Yosef 1 (one JSON list of
/// <c>{name, url}</c>). A day-selecting site with nothing today but files on one of the days before is
/// <see cref="NoFilesYetException"/>; an empty listing anywhere else is an error. The one hook is <see cref="ListingPath"/>.
/// </summary>
public abstract class SimplePageScraper : DirectDownloadScraper
{
    private readonly SimpleListFormat _format;
    private readonly bool _selectsDay;

    /// <param name="chain">The chain.</param>
    /// <param name="family">The portal engine name (<c>PortalFamilies</c>).</param>
    /// <param name="address">The site's real base address.</param>
    /// <param name="format">How the listing page lists files.</param>
    /// <param name="selectsDay">The listing path takes a day, and a day the site has no page for answers 400 or 404.</param>
    protected SimplePageScraper(Chain chain, string family, Uri address, SimpleListFormat format, bool selectsDay = false)
        : base(chain)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentNullException.ThrowIfNull(address);
        _format = format;
        _selectsDay = selectsDay;
        Portal = new PortalInfo(family, address);
    }

    public override PortalInfo Portal { get; }

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var today = context.IsraelToday;
        var listing = context.Resolve(ListingPath(today));
        IReadOnlyList<PublishedFile> files;
        if (_selectsDay)
        {
            files = await PublishedDays.TodayAsync(
                Chain, today, $"the site {Portal.Address}", (day, ct) => ListPageAsync(context, context.Resolve(ListingPath(day)), ct), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            files = await ListPageAsync(context, listing, cancellationToken).ConfigureAwait(false);
            if (files.Count == 0)
            {
                throw new InvalidOperationException($"{Chain}: the listing at {listing} returned no files; the site may have moved or changed.");
            }
        }

        ScraperLog.PageListed(context.Logger, Chain, listing, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    /// <summary>The portal-relative address of the page listing the files of <paramref name="day"/> (Israel date); one-page sites ignore the day.</summary>
    protected abstract string ListingPath(DateOnly day);

    private async Task<IReadOnlyList<PublishedFile>> ListPageAsync(ScrapeContext context, Uri address, CancellationToken cancellationToken)
    {
        using var response = await context.Http.GetAsync(address, cancellationToken).ConfigureAwait(false);
        if (_selectsDay && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return []; // no page for that day (Wolt answers 400)
        }

        PortalHttp.EnsureSuccess(response, Chain, "listing");
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var files = _format == SimpleListFormat.JsonList ? FromJson(body, address) : await FromHtmlAsync(body, address, cancellationToken).ConfigureAwait(false);

        // Duplicate entries occur on such pages; a name is listed once.
        return [.. files.DistinctBy(f => f.Name, StringComparer.Ordinal)];
    }

    private List<PublishedFile> FromJson(string body, Uri address)
    {
        using var document = PortalJson.ParseArray(Chain, "listing", address, body);
        var files = new List<PublishedFile>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var name = Text(entry, "name");
            var url = Text(entry, "url");
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(url))
            {
                throw new PortalChangedException(Chain, "listing", $"an entry of {address} ({entry.GetRawText()})", "no \"name\" or \"url\"");
            }

            files.Add(new PublishedFile(name.Trim(), new Uri(address, url.Trim()),
                PublishedAt: ListingText.Time(Text(entry, "date"), "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd")));
        }

        return files;
    }

    private static string? Text(JsonElement entry, string property) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<List<PublishedFile>> FromHtmlAsync(string body, Uri address, CancellationToken cancellationToken)
    {
        using var document = await new HtmlParser().ParseDocumentAsync(body, cancellationToken).ConfigureAwait(false);
        var files = new List<PublishedFile>();
        foreach (var link in document.QuerySelectorAll("tr a[href], li a[href]"))
        {
            var location = new Uri(address, link.GetAttribute("href")!.Trim());
            var container = link.Closest("li") ?? link.Closest("tr");
            if (FileName(location, link.TextContent.Trim(), container) is { } name)
            {
                files.Add(new PublishedFile(name, location));
            }
        }

        return files;
    }

    /// <summary>
    /// The file's name: a <c>fileName</c> query parameter (Netiv's <c>Prices/Download?fileName=</c>), else the link's
    /// last segment (Wolt's <c>download/day/file</c>), else the link's text, its list item's (O1 reads Wolt's
    /// <c>li</c> text) or a cell of its row (the old Netiv page had the name in cell 6); null for links that are no file.
    /// </summary>
    private static string? FileName(Uri location, string text, AngleSharp.Dom.IElement? container)
    {
        var query = HttpUtility.ParseQueryString(location.Query);
        var cells = container?.LocalName == "tr" ? container.Children.Where(c => c.LocalName == "td").Select(c => c.TextContent.Trim()) : [];
        var candidates = new[] { query["fileName"] ?? query["FileName"] ?? query["filename"], Uri.UnescapeDataString(location.Segments[^1]).Trim('/'), text }
            .Concat(container?.LocalName == "li" ? [container.TextContent.Trim()] : cells);
        return candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c) && PriceFileName.TryParse(c.Trim(), out _))?.Trim()
            ?? candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c) && PriceFileReader.KindOf(c.Trim()) is not null)?.Trim();
    }
}
