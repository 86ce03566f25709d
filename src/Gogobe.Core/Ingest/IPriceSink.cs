using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Core.Ingest;

/// <summary>Where parsed rows go. Implemented by Gogobe.Storage on PostgreSQL.</summary>
public interface IPriceSink
{
    /// <summary>Makes sure every chain of the run exists (idempotent).</summary>
    Task EnsureChainsAsync(IReadOnlyCollection<Chain> chains, CancellationToken cancellationToken);

    /// <summary>Opens the one transaction in which a file's rows and its <c>completed</c> log row are written.</summary>
    Task<IFileWriter> BeginFileAsync(long logId, FileTarget target, CancellationToken cancellationToken);
}

/// <summary>The store and kind a file writes to.</summary>
public sealed record FileTarget(string ChainId, int StoreId, FileKind Kind, string FileName);

/// <summary>
/// One file's open transaction. Batches are staged as they come (memory stays flat); <see cref="CompleteAsync"/>
/// applies them set-based, marks the log row completed and commits. Disposing without completing rolls everything back.
/// </summary>
public interface IFileWriter : IAsyncDisposable
{
    /// <summary>Stages one batch of price rows, already deduplicated within the batch.</summary>
    Task WritePricesAsync(IReadOnlyCollection<PriceRow> rows, CancellationToken cancellationToken);

    /// <summary>Stages one batch of store rows.</summary>
    Task WriteStoresAsync(IReadOnlyCollection<StoreRow> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Stages one batch of promotions (with their items). On completion a PromoFull file replaces the store's whole
    /// set of promotions; a Promo (incremental) file adds or updates the promotions it lists.
    /// </summary>
    Task WritePromotionsAsync(IReadOnlyCollection<PromotionRow> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the staged rows (only changed prices are written; changes are appended to price history),
    /// removes duplicates that crossed batch boundaries, writes the completed log row and commits.
    /// </summary>
    Task<FileResult> CompleteAsync(FileCounts counts, CancellationToken cancellationToken);
}

/// <summary>The outcome of a committed file: final counts as recorded in the log.</summary>
public sealed record FileResult(int RowsRead, int DuplicatesRemoved, int RowsRejected, int RowsChanged);
