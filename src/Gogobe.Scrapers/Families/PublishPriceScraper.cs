using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// PublishPrice sites (<c>https://prices.&lt;name&gt;.co.il/</c>, Carrefour and Quik; SHAPES.md §4): the page carries the
/// file list as JavaScript in a script (the second-to-last), <c>const path = 'YYYYMMDD';</c> then
/// <c>const files = [{"name", "size" (bytes), "modified": "HH:MM DD-MM-YYYY"}];</c> on one line, then other statements;
/// read without evaluating it (see <see cref="JsLiteral"/>, which also reads hand-written literals). A day is chosen
/// with <c>?p=./YYYYMMDD</c>; a file is downloaded from <c>&lt;base&gt;/&lt;path&gt;/&lt;name&gt;</c>. A chain states only
/// its site name.
/// </summary>
public abstract class PublishPriceScraper : DirectDownloadScraper
{
    private PortalInfo? _portal;

    protected PublishPriceScraper(Chain chain)
        : base(chain)
    {
    }

    /// <summary>The chain's site: <c>carrefour</c> for <c>https://prices.carrefour.co.il/</c>.</summary>
    protected abstract string SiteName { get; }

    public override PortalInfo Portal => _portal ??= new PortalInfo(
        PortalFamilies.PublishPrice,
        new Uri($"https://prices.{SiteName}.co.il/"),
        new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = SiteName });

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var files = await PublishedDays.TodayAsync(
            Chain, context.IsraelToday, $"the PublishPrice site {Portal.Address}", (day, ct) => ListDayAsync(context, day, ct), cancellationToken)
            .ConfigureAwait(false);
        ScraperLog.DayListed(context.Logger, Chain, context.IsraelToday, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    private async Task<IReadOnlyList<PublishedFile>> ListDayAsync(ScrapeContext context, DateOnly day, CancellationToken cancellationToken)
    {
        var page = context.Resolve(string.Create(CultureInfo.InvariantCulture, $"?p=./{day:yyyyMMdd}"));
        var html = await PortalHttp.GetTextAsync(context.Http, page, Chain, $"PublishPrice page for {day:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);
        using var document = await new HtmlParser().ParseDocumentAsync(html, cancellationToken).ConfigureAwait(false);
        string? path = null;
        string? filesJson = null;
        foreach (var script in document.QuerySelectorAll("script").Select(s => s.TextContent))
        {
            try
            {
                path ??= JsLiteral.FindString(script, "path");
                filesJson ??= JsLiteral.FindDeclaration(script, "files");
            }
            catch (FormatException ex)
            {
                throw new PortalChangedException(Chain, "listing", $"the file list on {page}", $"a literal that cannot be read ({ex.Message})", ex);
            }
        }

        if (path is null || filesJson is null)
        {
            throw new PortalChangedException(Chain, "listing", $"the page {page}", "no script declaring 'const path' and 'const files'");
        }

        var folder = new Uri(page, path.TrimEnd('/') + "/");
        using var files = JsonDocument.Parse(filesJson);
        if (files.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new PortalChangedException(Chain, "listing", $"the page {page}", "a 'files' that is not an array");
        }

        var listed = new List<PublishedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in files.RootElement.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("name", out var nameValue) || nameValue.GetString() is not { Length: > 0 } name)
            {
                continue;
            }

            name = name.Trim();
            if (seen.Add(name))
            {
                var modified = entry.TryGetProperty("modified", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                listed.Add(new PublishedFile(name, new Uri(folder, Uri.EscapeDataString(name)), Size(entry), ListingText.Time(modified, "HH:mm dd-MM-yyyy")));
            }
        }

        return listed;
    }

    private static long? Size(JsonElement entry) =>
        entry.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes > 0
            ? bytes
            : null;
}
