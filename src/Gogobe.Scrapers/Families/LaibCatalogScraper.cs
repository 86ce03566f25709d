using System.Runtime.CompilerServices;
using System.Text.Json;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// The Laib catalog JSON API (laibcatalog.co.il/webapi, SHAPES.md §3), shared by its chains:
/// <c>api/getbranches?edi=&lt;chainId&gt;</c> answers <c>[{number, name}]</c> (a mock once wrote <c>branchNumber</c>:
/// both are read; a chain's second ids answer none); <c>api/getfiles?edi=&lt;chainId&gt;&amp;branchNumber=&lt;n&gt;</c>
/// answers the whole chain's catalog whatever the branch, <c>{fileName, fileType (any case), fileSize ("562.84 KB"),
/// fileDate, branchNumber}</c>, so it is asked once per id and names are deduplicated; a file is
/// <c>webapi/&lt;first chainId&gt;/&lt;fileName&gt;</c>. The API takes no date: the day is read from each file name.
/// The chain's ids are all a Laib chain differs by, so this family has no hook.
/// </summary>
public abstract class LaibCatalogScraper : DirectDownloadScraper
{
    private static readonly PortalInfo LaibPortal = new(PortalFamilies.LaibCatalog, new Uri("https://laibcatalog.co.il/"));

    private static readonly string[] FileDateFormats =
        ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm"];

    protected LaibCatalogScraper(Chain chain)
        : base(chain)
    {
    }

    public override PortalInfo Portal => LaibPortal;

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = await ListAllAsync(context, cancellationToken).ConfigureAwait(false);
        var files = await PublishedDays.TodayAsync(
            Chain, context.IsraelToday, "the Laib catalog",
            (day, _) => Task.FromResult<IReadOnlyList<PublishedFile>>([.. all.Where(f => IsOn(f, day, context.IsraelToday))]),
            cancellationToken).ConfigureAwait(false);
        ScraperLog.DayListed(context.Logger, Chain, context.IsraelToday, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    /// <summary>Every file the catalog lists under any id of the chain, once each, to be fetched under the first id.</summary>
    private async Task<List<PublishedFile>> ListAllAsync(ScrapeContext context, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<PublishedFile>();
        var anyBranches = false;
        foreach (var id in Chain.AllIds)
        {
            var branchesAddress = context.Resolve("webapi/api/getbranches?edi=" + id);
            var branches = await GetArrayAsync(context, branchesAddress, cancellationToken).ConfigureAwait(false);
            if (branches.Count == 0)
            {
                continue; // a second id: no branches of its own
            }

            anyBranches = true;
            var branch = BranchNumber(branches[0])
                ?? throw new PortalChangedException(Chain, "listing", $"the first branch of {branchesAddress}", "neither \"number\" nor \"branchNumber\"");
            var filesAddress = context.Resolve($"webapi/api/getfiles?edi={id}&branchNumber={Uri.EscapeDataString(branch)}");
            foreach (var entry in await GetArrayAsync(context, filesAddress, cancellationToken).ConfigureAwait(false))
            {
                var name = Text(entry, "fileName")?.Trim();
                if (name is null && entry.ValueKind == JsonValueKind.Object)
                {
                    throw new PortalChangedException(Chain, "listing", $"a row of {filesAddress}", "no \"fileName\"");
                }

                if (string.IsNullOrEmpty(name) || !seen.Add(name))
                {
                    continue; // listed again (one answer per branch repeats the same files)
                }

                var size = entry.TryGetProperty("fileSize", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var bytes)
                    ? bytes
                    : ListingText.Size(Text(entry, "fileSize"));
                files.Add(new PublishedFile(
                    name, context.Resolve($"webapi/{Chain.Id}/{Uri.EscapeDataString(name)}"), size > 0 ? size : null,
                    ListingText.Time(Text(entry, "fileDate"), FileDateFormats)));
            }
        }

        return anyBranches
            ? files
            : throw new InvalidOperationException($"{Chain}: the Laib catalog lists no branches for {string.Join(" or ", Chain.AllIds)}; the chain may have left the catalog.");
    }

    private async Task<List<JsonElement>> GetArrayAsync(ScrapeContext context, Uri address, CancellationToken cancellationToken)
    {
        var json = await PortalHttp.GetTextAsync(context.Http, address, Chain, "Laib catalog", cancellationToken).ConfigureAwait(false);
        using var document = PortalJson.ParseArray(Chain, "listing", address, json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>A branch's number: <c>number</c> as the API writes it, <c>branchNumber</c> as a mock did; text or number.</summary>
    internal static string? BranchNumber(JsonElement branch)
    {
        if (branch.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var key in (ReadOnlySpan<string>)["number", "branchNumber"])
        {
            if (branch.TryGetProperty(key, out var number))
            {
                return number.ValueKind switch
                {
                    JsonValueKind.Number => number.GetRawText(),
                    JsonValueKind.String => number.GetString()?.Trim(),
                    _ => null,
                };
            }
        }

        return null;
    }

    private static string? Text(JsonElement entry, string property) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The file's day from its name, else from <c>fileDate</c>; a file with neither goes with today's, so the planner reports it.</summary>
    private static bool IsOn(PublishedFile file, DateOnly day, DateOnly today) =>
        PriceFileName.TryParse(file.Name, out var name) && name.PublishedAt != default
            ? DateOnly.FromDateTime(name.PublishedAt) == day
            : file.PublishedAt is { } published ? DateOnly.FromDateTime(published) == day : day == today;
}
