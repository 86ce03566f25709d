using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Bina Projects portals (<c>https://&lt;subdomain&gt;.binaprojects.com/</c>, SHAPES.md §2), one site per chain. The
/// listing is <c>MainIO_Hok.aspx?_=&lt;chainId&gt;&amp;wReshet=הכל&amp;WFileType=&amp;WDate=dd/MM/yyyy&amp;WStore=</c>, a
/// bare JSON array of <c>{FileNm, Company, Store, TypeFile, TypeExpFile, DateFile, PathLogo}</c> for one day (past
/// days work too; <c>DateFile</c> is <c>HH:mm dd/MM/yyyy</c> with stray spaces, names may end <c>.GZ</c>). An answer
/// for every kind stops at exactly 1,000 rows, so such an answer is asked again kind by kind (<c>WFileType</c> 1 Stores,
/// 2 Price, 3 Promo, 4 PriceFull, 5 PromoFull, as the portal's own page numbers them). A download takes two steps:
/// <c>Download.aspx?FileNm=</c> answers <c>[{"SPath": url}]</c>, then that url is fetched (a <c>.gz</c> may hold a zip:
/// the reader tells by the bytes). A chain states only its subdomain.
/// </summary>
public abstract class BinaProjectsScraper : SupermarketScraper
{
    /// <summary>Where the portal cuts an answer off.</summary>
    public const int ListingCap = 1000;

    /// <summary>The portal's <c>WFileType</c> values for each kind, as its page's <c>select#wFileType</c> lists them.</summary>
    internal static readonly IReadOnlyDictionary<int, string> FileTypes = new Dictionary<int, string>
    {
        [1] = "Stores", [2] = "Price", [3] = "Promo", [4] = "PriceFull", [5] = "PromoFull",
    };

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
            ?? throw new PortalChangedException(Chain, "download", $"the answer of {file.Location}", "no [{\"SPath\"}]");
        return await PortalHttp.OpenStreamAsync(context.Http, Chain, file with { Location = new Uri(file.Location, path) }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// One day's files. The portal's <c>_</c> does not select the chain's id (Meshnat Yosef 2's site answers its other
    /// id's files under either), so one id is asked.
    /// </summary>
    private async Task<IReadOnlyList<PublishedFile>> ListDayAsync(ScrapeContext context, DateOnly day, CancellationToken cancellationToken)
    {
        var all = await ListAsync(context, day, fileType: 0, cancellationToken).ConfigureAwait(false);
        if (all.Count < ListingCap)
        {
            return all;
        }

        var files = new List<PublishedFile>();
        foreach (var (type, kind) in FileTypes)
        {
            var partition = await ListAsync(context, day, type, cancellationToken).ConfigureAwait(false);
            if (partition.Count >= ListingCap)
            {
                ScraperLog.BinaPartitionCapped(context.Logger, Chain, kind, day, ListingCap);
            }

            files.AddRange(partition);
        }

        return [.. files.DistinctBy(f => f.Name, StringComparer.Ordinal)];
    }

    private async Task<List<PublishedFile>> ListAsync(ScrapeContext context, DateOnly day, int fileType, CancellationToken cancellationToken)
    {
        var address = context.Resolve(string.Create(CultureInfo.InvariantCulture,
            $"MainIO_Hok.aspx?_={Chain.Id}&wReshet={Uri.EscapeDataString("הכל")}&WFileType={fileType}&WDate={day:dd'/'MM'/'yyyy}&WStore="));
        var json = await PortalHttp.GetTextAsync(context.Http, address, Chain, $"Bina listing for {day:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);
        var files = new List<PublishedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, published) in ReadListing(json, address))
        {
            if (seen.Add(name))
            {
                files.Add(new PublishedFile(name, context.Resolve("Download.aspx?FileNm=" + Uri.EscapeDataString(name)), PublishedAt: published));
            }
        }

        return files;
    }

    /// <summary>The rows of a <c>MainIO_Hok.aspx</c> answer: each file's name and <c>DateFile</c>.</summary>
    private List<(string Name, DateTime? PublishedAt)> ReadListing(string json, Uri address)
    {
        using var document = PortalJson.ParseArray(Chain, "listing", address, json);
        var rows = new List<(string, DateTime?)>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (!entry.TryGetProperty("FileNm", out var name))
            {
                throw new PortalChangedException(Chain, "listing", $"a row of {address}", "no \"FileNm\"");
            }

            if (name.GetString()?.Trim() is { Length: > 0 } text)
            {
                var date = entry.TryGetProperty("DateFile", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                rows.Add((text, ListingText.Time(date, "HH:mm dd/MM/yyyy", "H:mm dd/MM/yyyy", "HH:mm:ss dd/MM/yyyy")));
            }
        }

        return rows;
    }

    private static string? SPath(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var entry = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().FirstOrDefault() : root;
            return entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("SPath", out var path) && path.GetString() is { Length: > 0 } text
                ? text.Trim()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
