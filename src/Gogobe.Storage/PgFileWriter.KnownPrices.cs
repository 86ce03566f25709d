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
    // Straight off the prices primary key (store_id leads it): no join, so no scan of products per file. The count comes
    // first, in the same round trip, so the dictionary is allocated once at its size: growing it by doubling left every
    // smaller copy behind as large-object garbage (measured 86 MB of it for a 672,000-price store).
    private const string CurrentPriceCountSql = "SELECT count(*) FROM prices WHERE store_id = $1";
    // Prices arrive as the scaled integers KnownPrice holds: the server's numeric -> int8 is cheap, the client's numeric
    // decoding was not (a steady day reads every store's whole price list).
    private const string CurrentPricesSql =
        "SELECT product_id, (price * 100)::int8, (unit_price * 10000)::int8 FROM prices WHERE store_id = $1";

    private Dictionary<long, KnownPrice>? _known;
    private long _priceRowsReceived;

    private async Task<Dictionary<long, KnownPrice>> LoadKnownPricesAsync(CancellationToken cancellationToken)
    {
        if (_storeDbId is not { } storeId)
        {
            return [];
        }

        using var resolve = GogobeTelemetry.Source.StartActivity("resolve");
        using var batch = new NpgsqlBatch(_connection, _transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(CurrentPriceCountSql) { Parameters = { new NpgsqlParameter<int> { TypedValue = storeId } } },
                new NpgsqlBatchCommand(CurrentPricesSql) { Parameters = { new NpgsqlParameter<int> { TypedValue = storeId } } },
            },
        };
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var known = new Dictionary<long, KnownPrice>(checked((int)reader.GetInt64(0)));
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                known[reader.GetInt64(0)] = new KnownPrice(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
            }

            return known;
        }
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

    /// <summary>
    /// A store's current price of a product, as stored (numeric(12,2), numeric(14,4)), and what this file did with it so
    /// far. A struct in the dictionary (changed in place), its prices held as scaled integers: 24 bytes, where two
    /// decimals took 48, and a steady day reads a whole store's prices per file (the 400,000-item memory test: all).
    /// </summary>
    private struct KnownPrice
    {
        private const long NoUnitPrice = long.MinValue;
        private readonly long _cents;
        private readonly long _unitTenThousandths;

        /// <param name="cents">price × 100 (numeric(12,2): exact, far inside a long).</param>
        /// <param name="unitTenThousandths">unit_price × 10,000 (numeric(14,4)), or null.</param>
        public KnownPrice(long cents, long? unitTenThousandths)
        {
            _cents = cents;
            _unitTenThousandths = unitTenThousandths ?? NoUnitPrice;
        }

        /// <summary>A row of the product was dropped as unchanged (for the count of distinct products).</summary>
        public bool Seen { get; set; }

        /// <summary>A row of the product was kept; it is compared at completion (and counted there).</summary>
        public bool Kept { get; set; }

        /// <summary>Whether these prices, rounded as the columns round them (half away from zero), equal the stored ones.</summary>
        public readonly bool SamePrice(decimal itemPrice, decimal? unitOfMeasurePrice) =>
            Scaled(_cents, 2) == Math.Round(itemPrice, 2, MidpointRounding.AwayFromZero)
            && (unitOfMeasurePrice is { } unit
                ? _unitTenThousandths != NoUnitPrice && Scaled(_unitTenThousandths, 4) == Math.Round(unit, 4, MidpointRounding.AwayFromZero)
                : _unitTenThousandths == NoUnitPrice);

        /// <summary>value / 10^scale, exactly (no division: the decimal is built with that scale).</summary>
        private static decimal Scaled(long value, byte scale)
        {
            var magnitude = (ulong)Math.Abs(value);
            return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, value < 0, scale);
        }
    }
}
