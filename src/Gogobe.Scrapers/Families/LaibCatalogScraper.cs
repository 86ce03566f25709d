using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// The Laib catalog JSON API (laibcatalog.co.il/webapi), shared by its chains: <c>api/getbranches?edi=&lt;chainId&gt;</c>
/// lists the branches, <c>api/getfiles?edi=&lt;chainId&gt;&amp;branchNumber=&lt;n&gt;</c> a branch's files as
/// <c>{fileName, fileSize: "12.3 KB", fileType}</c> (the same file can be listed under several branches: names are
/// deduplicated), and <c>webapi/&lt;chainId&gt;/&lt;fileName&gt;</c> serves it. The API takes no date: the day is read
/// from each file name. The chain's ids are all a Laib chain differs by, so this family has no hook: a hook no chain
/// needs would only be a virtual in disguise.
/// </summary>
public abstract class LaibCatalogScraper : DirectDownloadScraper
{
    private static readonly PortalInfo LaibPortal = new(PortalFamilies.LaibCatalog, new Uri("https://laibcatalog.co.il/"));

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
            (day, _) => Task.FromResult<IReadOnlyList<PublishedFile>>([.. all.Where(f => IsOn(f.Name, day, context.IsraelToday))]),
            cancellationToken).ConfigureAwait(false);
        ScraperLog.DayListed(context.Logger, Chain, context.IsraelToday, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    /// <summary>Every file of every branch of every id of the chain, once each.</summary>
    private async Task<List<PublishedFile>> ListAllAsync(ScrapeContext context, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<PublishedFile>();
        foreach (var id in Chain.AllIds)
        {
            var branchesAddress = context.Resolve("webapi/api/getbranches?edi=" + id);
            var branches = await GetArrayAsync(context, branchesAddress, "Laib branches", cancellationToken).ConfigureAwait(false);
            foreach (var branch in branches.Select(BranchNumber).OfType<string>())
            {
                var filesAddress = context.Resolve($"webapi/api/getfiles?edi={id}&branchNumber={Uri.EscapeDataString(branch)}");
                foreach (var entry in await GetArrayAsync(context, filesAddress, $"Laib files of branch {branch}", cancellationToken).ConfigureAwait(false))
                {
                    var name = Text(entry, "fileName")?.Trim();
                    if (string.IsNullOrEmpty(name) || !seen.Add(name))
                    {
                        continue; // the same file is listed under several branches
                    }

                    files.Add(new PublishedFile(name, context.Resolve($"webapi/{id}/{Uri.EscapeDataString(name)}"), Size(Text(entry, "fileSize"))));
                }
            }
        }

        return files;
    }

    private async Task<List<JsonElement>> GetArrayAsync(ScrapeContext context, Uri address, string what, CancellationToken cancellationToken)
    {
        var json = await PortalHttp.GetTextAsync(context.Http, address, Chain, what, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException($"{Chain}: {what} at {address} is not a JSON array; the API may have changed.");
            }

            return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{Chain}: {what} at {address} is not JSON: {ex.Message}", ex);
        }
    }

    private static string? BranchNumber(JsonElement branch) =>
        branch.ValueKind == JsonValueKind.Object && branch.TryGetProperty("branchNumber", out var number)
            ? number.ValueKind switch
            {
                JsonValueKind.Number => number.GetRawText(),
                JsonValueKind.String => number.GetString()?.Trim(),
                _ => null,
            }
            : null;

    private static string? Text(JsonElement entry, string property) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A name whose date cannot be read goes with today's files, so the planner reports it instead of it vanishing.</summary>
    private static bool IsOn(string fileName, DateOnly day, DateOnly today) =>
        PriceFileName.TryParse(fileName, out var name) && name.PublishedAt != default
            ? DateOnly.FromDateTime(name.PublishedAt) == day
            : day == today;

    /// <summary>"12.3 KB" → bytes (approximate: the API rounds); null when absent or unreadable.</summary>
    internal static long? Size(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return null;
        }

        var unit = parts.Length > 1 ? parts[1].ToUpperInvariant() : "B";
        var factor = unit switch
        {
            "B" or "BYTES" => 1d,
            "KB" => 1024d,
            "MB" => 1024d * 1024,
            "GB" => 1024d * 1024 * 1024,
            _ => double.NaN,
        };
        return double.IsNaN(factor) ? null : (long)Math.Round(value * factor);
    }
}
