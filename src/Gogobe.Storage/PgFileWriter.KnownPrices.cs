using Gogobe.Core.Diagnostics;
using Gogobe.Core.Files;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// The steady-state fast path. Most days most prices do not change, yet a PriceFull file lists every item of the store.
/// At the first batch the writer reads the store's current prices once (id, price, unit price; the store is locked for
/// the transaction, so they stay exact), and a row whose rounded prices equal the current ones is dropped at once: it is
/// never kept, resolved or sent (PgFileWriter.Prices.cs). Only new and changed rows are kept for the write.
/// Rules that keep the result identical to writing everything: the last occurrence of a product in the file wins, so
/// once a product is kept every later row of it replaces it; and a product still unnamed (created bare by a promotion
/// file) is kept when the row carries a name, so that it gets named.
/// </summary>
internal sealed partial class PgFileWriter
{
    // Straight off the prices primary key (store_id leads it): no join, so no scan of products per file.
    private const string CurrentPricesSql = "SELECT product_id, price, unit_price FROM prices WHERE store_id = $1";

    private const string ProductsByIdSql = "SELECT id, product_key, name IS NULL FROM products WHERE id = ANY($1)";

    private Dictionary<string, KnownPrice>? _known;
    private long _priceRowsReceived;

    private async Task<Dictionary<string, KnownPrice>> LoadKnownPricesAsync(CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, KnownPrice>(StringComparer.Ordinal);
        if (_storeDbId is not { } storeId)
        {
            return known;
        }

        using var resolve = GogobeTelemetry.Source.StartActivity("resolve");
        var current = new List<(long ProductId, decimal Price, decimal? UnitPrice)>();
        using (var command = new NpgsqlCommand(CurrentPricesSql, _connection, _transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = storeId });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    current.Add((reader.GetInt64(0), reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetDecimal(2)));
                }
            }
        }

        var missing = current.Where(c => !_products.TryGetNamed(c.ProductId, out _)).Select(c => c.ProductId).ToArray();
        var fetched = new Dictionary<long, CachedProduct>();
        if (missing.Length > 0)
        {
            using var command = new NpgsqlCommand(ProductsByIdSql, _connection, _transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = missing });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var product = new CachedProduct(reader.GetString(1), reader.GetBoolean(2));
                    fetched[reader.GetInt64(0)] = product;
                    _products.Add(reader.GetInt64(0), product);
                }
            }
        }

        foreach (var (productId, price, unitPrice) in current)
        {
            if (fetched.TryGetValue(productId, out var product) || _products.TryGetNamed(productId, out product))
            {
                known[product.Key] = new KnownPrice(productId, price, unitPrice, product.Unnamed);
            }
        }

        return known;
    }

    /// <summary>
    /// A store's current price of a product, as stored (numeric(12,2), numeric(14,4)), whether the product is still
    /// unnamed, and what this file did with it so far.
    /// </summary>
    private sealed class KnownPrice(long productId, decimal price, decimal? unitPrice, bool unnamed)
    {
        public long ProductId => productId;

        public bool Unnamed => unnamed;

        /// <summary>A row of the product was dropped as unchanged (for the count of distinct products).</summary>
        public bool Seen { get; set; }

        /// <summary>A row of the product was kept and compared at completion (counted there).</summary>
        public bool Kept { get; set; }

        /// <summary>
        /// Whether writing <paramref name="row"/> would change nothing: its prices, rounded as the columns round them
        /// (PostgreSQL numeric rounds half away from zero), equal the stored ones, and it would not name a bare product.
        /// </summary>
        public bool Same(PriceRow row) => SamePrice(row.ItemPrice, row.UnitOfMeasurePrice) && !(unnamed && row.ItemName is not null);

        /// <summary>Whether these prices, rounded as the columns round them, equal the stored ones.</summary>
        public bool SamePrice(decimal itemPrice, decimal? unitOfMeasurePrice) =>
            price == Math.Round(itemPrice, 2, MidpointRounding.AwayFromZero)
            && unitPrice == (unitOfMeasurePrice is { } unit ? Math.Round(unit, 4, MidpointRounding.AwayFromZero) : null);
    }
}
