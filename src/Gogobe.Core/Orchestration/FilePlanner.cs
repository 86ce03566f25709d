using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Orchestration;

/// <summary>
/// Turns a listing into the work of a run: names are parsed (both schemes), placeholders and names that match no
/// scheme are set aside and counted, and only the newest snapshot per (chain, store, kind) is kept, because portals
/// keep every historical snapshot and a store publishes several a day; an incremental file (Price, Promo) older than
/// the store's newest full file is dropped too. Stores files go first (they name the stores the price files point at),
/// then full price lists, then incremental ones on top of them, then promotions.
/// </summary>
public static class FilePlanner
{
    public static FilePlan Plan(IEnumerable<PublishedFile> listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var placeholders = 0;
        var unrecognised = new List<PublishedFile>();
        var newest = new Dictionary<(string Chain, int Store, FileKind Kind), PlannedFile>();
        var total = 0;
        foreach (var file in listing.DistinctBy(f => f.Name, StringComparer.Ordinal))
        {
            if (!PriceFileName.TryParse(file.Name, out var name))
            {
                unrecognised.Add(file);
                continue;
            }

            if (name.IsPlaceholder)
            {
                placeholders++;
                continue;
            }

            total++;
            var key = (name.ChainId, name.StoreId, name.Kind);
            if (!newest.TryGetValue(key, out var current) || name.PublishedAt > current.Name.PublishedAt)
            {
                newest[key] = new PlannedFile(file, name);
            }
        }

        // An incremental file older than the same store's full file is already contained in it.
        foreach (var (incremental, full) in new[] { (FileKind.Price, FileKind.PriceFull), (FileKind.Promo, FileKind.PromoFull) })
        {
            foreach (var key in newest.Keys.Where(k => k.Kind == incremental).ToList())
            {
                if (newest.TryGetValue((key.Chain, key.Store, full), out var fullFile)
                    && fullFile.Name.PublishedAt >= newest[key].Name.PublishedAt)
                {
                    newest.Remove(key);
                }
            }
        }

        var files = newest.Values
            .OrderBy(p => KindOrder(p.Name.Kind))
            .ThenBy(p => p.Name.StoreId)
            .ThenBy(p => p.Name.PublishedAt)
            .ToList();
        return new FilePlan(files, placeholders, total - files.Count, unrecognised);
    }

    private static int KindOrder(FileKind kind) => kind switch
    {
        FileKind.Stores => 0,
        FileKind.PriceFull => 1,
        FileKind.Price => 2,
        FileKind.PromoFull => 3,
        _ => 4,
    };
}
