using System.Runtime.InteropServices;
using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// The steady-state fast path. Most days most prices do not change, yet a PriceFull file lists every item of the store.
/// At the first batch the writer reads the store's current prices once, by product id (the store is locked for the
/// transaction, so they stay exact). Rows are mapped to product ids (PgFileWriter.Prices.cs, mostly from the
/// <see cref="ProductIdCache"/>), and a row whose rounded prices equal the current ones is dropped at once: it is never
/// kept or sent. Only new and changed rows are kept for the write.
/// Rules that keep the result identical to writing everything: the last occurrence of a product in the file wins, so
/// once a product is kept every later row of it replaces it. A bare product (created by a promotion file) that a row
/// names is named when the row's product is resolved; its price is compared like any other.
/// </summary>
internal sealed partial class PgFileWriter
{
    private Dictionary<long, KnownPrice>? _known;
    private long _priceRowsReceived;

    private async Task<Dictionary<long, KnownPrice>> LoadKnownPricesAsync(CancellationToken cancellationToken)
    {
        if (_storeDbId is not { } storeId)
        {
            return [];
        }

        using var resolve = GogobeTelemetry.Source.StartActivity("resolve");
        return await CurrentPrices.ReadAsync(_connection, _transaction, storeId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Handles a row of a product the store already has a price for (returns false for any other): dropped when its
    /// price is unchanged, else kept for completion. Once a product is kept, every later row of it replaces it (the
    /// last occurrence must win), even one equal to the current price: then nothing is written for it at the end.
    /// </summary>
    private bool AcceptKnown(PriceRow row, long productId)
    {
        ref var known = ref CollectionsMarshal.GetValueRefOrNullRef(_known!, productId);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref known))
        {
            return false;
        }

        if (!known.Kept && known.SamePrice(row.ItemPrice, row.UnitOfMeasurePrice))
        {
            known.Seen = true;
        }
        else
        {
            known.Kept = true;
            _pendingById[productId] = new PendingPrice(row);
        }

        return true;
    }
}
