using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Sites that publish one page of direct links (Netiv HaHesed: HTML rows or list items; Meshnat Yosef 1: a JSON list
/// of <c>{name, url}</c>), or one such page per day with an index of the days (Wolt Market: <c>v1/YYYY-MM-DD.html</c>,
/// <c>v1/index.html</c>). A day-paged site with nothing for today but an earlier day in its index is
/// <see cref="NoFilesYetException"/>; an empty listing anywhere else is an error. The one hook is <see cref="ListingPath"/>.
/// </summary>
public abstract partial class SimplePageScraper : DirectDownloadScraper
{
    private readonly SimpleListFormat _format;
    private readonly string? _dayIndexPath;

    /// <param name="chain">The chain.</param>
    /// <param name="family">The portal engine name (<c>PortalFamilies</c>).</param>
    /// <param name="address">The site's real base address.</param>
    /// <param name="format">How the listing page lists files.</param>
    /// <param name="dayIndexPath">For a site with one page per day: the portal-relative path of the page linking the days.</param>
    protected SimplePageScraper(Chain chain, string family, Uri address, SimpleListFormat format, string? dayIndexPath = null)
        : base(chain)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        ArgumentNullException.ThrowIfNull(address);
        _format = format;
        _dayIndexPath = dayIndexPath;
        Portal = new PortalInfo(family, address);
    }

    public override PortalInfo Portal { get; }

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var today = context.IsraelToday;
        var address = context.Resolve(ListingPath(today));
        var files = await ListPageAsync(context, address, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            if (_dayIndexPath is not null && await LatestDayBeforeAsync(context, today, cancellationToken).ConfigureAwait(false) is { } latest)
            {
                throw new NoFilesYetException(Chain, today, latest);
            }

            throw new InvalidOperationException($"{Chain}: the listing at {address} returned no files; the site may have moved or changed.");
        }

        ScraperLog.PageListed(context.Logger, Chain, address, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    /// <summary>The portal-relative address of the page listing the files of <paramref name="day"/> (Israel date); one-page sites ignore the day.</summary>
    protected abstract string ListingPath(DateOnly day);

    private async Task<List<PublishedFile>> ListPageAsync(ScrapeContext context, Uri address, CancellationToken cancellationToken)
    {
        using var response = await context.Http.GetAsync(address, cancellationToken).ConfigureAwait(false);
        if (_dayIndexPath is not null && response.StatusCode == HttpStatusCode.NotFound)
        {
            return []; // the day's page does not exist until the day's first files do
        }

        PortalHttp.EnsureSuccess(response, Chain, "listing");
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var files = _format == SimpleListFormat.JsonList ? FromJson(body, address) : await FromHtmlAsync(body, address, cancellationToken).ConfigureAwait(false);

        // Duplicate entries occur on such pages; a name is listed once.
        return [.. files.DistinctBy(f => f.Name, StringComparer.Ordinal)];
    }

    private List<PublishedFile> FromJson(string body, Uri address)
    {
        using var document = ParseJson(body, address);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"{Chain}: the listing at {address} is not a JSON array; the site may have changed.");
        }

        var files = new List<PublishedFile>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("name", out var n) ? n.GetString() : null;
            var url = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("url", out var u) ? u.GetString() : null;
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(url))
            {
                throw new InvalidOperationException($"{Chain}: an entry of the listing at {address} lacks \"name\" or \"url\": {entry.GetRawText()}");
            }

            files.Add(new PublishedFile(name.Trim(), new Uri(address, url.Trim())));
        }

        return files;
    }

    private JsonDocument ParseJson(string body, Uri address)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{Chain}: the listing at {address} is not JSON ({ex.Message}); the site may have changed.", ex);
        }
    }

    private static async Task<List<PublishedFile>> FromHtmlAsync(string body, Uri address, CancellationToken cancellationToken)
    {
        using var document = await new HtmlParser().ParseDocumentAsync(body, cancellationToken).ConfigureAwait(false);
        var files = new List<PublishedFile>();
        foreach (var link in document.QuerySelectorAll("tr a[href], li a[href]"))
        {
            var location = new Uri(address, link.GetAttribute("href")!.Trim());
            var segment = Uri.UnescapeDataString(location.Segments[^1]).Trim('/');
            var text = link.TextContent.Trim();

            // The link's last segment is the file name on these sites; its text when the link is opaque.
            var name = PriceFileReader.KindOf(segment) is not null ? segment : PriceFileReader.KindOf(text) is not null ? text : null;
            if (name is not null)
            {
                files.Add(new PublishedFile(name, location));
            }
        }

        return files;
    }

    /// <summary>The latest day before <paramref name="today"/> that the site's day index links to, if any.</summary>
    private async Task<DateOnly?> LatestDayBeforeAsync(ScrapeContext context, DateOnly today, CancellationToken cancellationToken)
    {
        var index = context.Resolve(_dayIndexPath!);
        var html = await PortalHttp.GetTextAsync(context.Http, index, Chain, "index of days", cancellationToken).ConfigureAwait(false);
        using var document = await new HtmlParser().ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
        DateOnly? latest = null;
        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            var match = DayPage().Match(link.GetAttribute("href") ?? "");
            if (match.Success
                && DateOnly.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                && day < today
                && (latest is null || day > latest))
            {
                latest = day;
            }
        }

        return latest;
    }

    [GeneratedRegex(@"(\d{4}-\d{2}-\d{2})\.html$", RegexOptions.CultureInvariant)]
    private static partial Regex DayPage();
}
