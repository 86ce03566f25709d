using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Bina Projects portals (<c>https://&lt;subdomain&gt;.binaprojects.com/</c>), one site per chain. The listing is
/// <c>MainIO_Hok.aspx?_=&lt;chainId&gt;&amp;wReshet=הכל&amp;WFileType=0&amp;WDate=dd/mm/yyyy&amp;WStore=</c>, a JSON array of
/// <c>{FileNm, ...}</c> for one day (past days work too); a download takes two steps: <c>Download.aspx?FileNm=</c>
/// answers <c>[{"SPath": url}]</c>, then that url is fetched. A chain states only its subdomain.
/// </summary>
public abstract class BinaProjectsScraper : SupermarketScraper
{
    private PortalInfo? _portal;

    protected BinaProjectsScraper(Chain chain)
        : base(chain)
    {
    }

    /// <summary>The chain's site: <c>kingstore</c> for <c>https://kingstore.binaprojects.com/</c>.</summary>
    protected abstract string Subdomain { get; }

    public override PortalInfo Portal => _portal ??= new PortalInfo(
        PortalFamilies.BinaProjects,
        new Uri($"https://{Subdomain}.binaprojects.com/"),
        new Dictionary<string, string>(StringComparer.Ordinal) { ["subdomain"] = Subdomain });

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var files = await PublishedDays.TodayAsync(
            Chain, context.IsraelToday, $"the Bina portal {Portal.Address}", (day, ct) => ListDayAsync(context, day, ct), cancellationToken)
            .ConfigureAwait(false);
        ScraperLog.DayListed(context.Logger, Chain, context.IsraelToday, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    public override async Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);

        // Step one: the portal answers where the file lies right now; step two streams it from there.
        var answer = await PortalHttp.GetTextAsync(context.Http, file.Location, Chain, $"download address of {file.Name}", cancellationToken).ConfigureAwait(false);
        var path = SPath(answer)
            ?? throw new InvalidOperationException($"{Chain}: Download.aspx gave no SPath for {file.Name}; the portal may have changed.");
        var target = new PublishedFile(file.Name, new Uri(file.Location, path), file.Size);
        return await PortalHttp.OpenStreamAsync(context.Http, Chain, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One day's files under every id of the chain (a multi-id chain's site lists each id separately), deduplicated by name.</summary>
    private async Task<IReadOnlyList<PublishedFile>> ListDayAsync(ScrapeContext context, DateOnly day, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<PublishedFile>();
        foreach (var id in Chain.AllIds)
        {
            var address = context.Resolve(string.Create(CultureInfo.InvariantCulture,
                $"MainIO_Hok.aspx?_={id}&wReshet={Uri.EscapeDataString("הכל")}&WFileType=0&WDate={day:dd'/'MM'/'yyyy}&WStore="));
            var json = await PortalHttp.GetTextAsync(context.Http, address, Chain, $"Bina listing for {day:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);
            foreach (var name in FileNames(json, address))
            {
                if (seen.Add(name))
                {
                    files.Add(new PublishedFile(name, context.Resolve("Download.aspx?FileNm=" + Uri.EscapeDataString(name))));
                }
            }
        }

        return files;
    }

    private List<string> FileNames(string json, Uri address)
    {
        using var document = Parse(json, address);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"{Chain}: the Bina listing at {address} is not a JSON array; the portal may have changed.");
        }

        var names = new List<string>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("FileNm", out var name) && name.GetString() is { Length: > 0 } text)
            {
                names.Add(text.Trim());
            }
        }

        return names;
    }

    private JsonDocument Parse(string json, Uri address)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{Chain}: the Bina answer from {address} is not JSON: {ex.Message}", ex);
        }
    }

    private static string? SPath(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var entry = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().FirstOrDefault() : root;
            return entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("SPath", out var path) ? path.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
