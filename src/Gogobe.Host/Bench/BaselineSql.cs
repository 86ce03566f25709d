using System.Globalization;
using System.Text;
using Gogobe.Core.Files;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Host.Bench;

/// <summary>
/// The straightforward write paths Gogobe is compared with, on Gogobe's own schema and doing the same work (new
/// products inserted, prices upserted only where they differ, each change appended to price_history): one round trip
/// per row, or per chunk of rows as multi-row VALUES (two statements per round trip, products then prices with history,
/// because a single statement cannot see the products it inserts concurrently with another file); or, the
/// straightforward set-based way, a file's rows binary-COPYed into a staging table, then the same two statements over
/// it. Rows arrive sorted by product key, so concurrent files take product locks in the same order.
/// </summary>
internal static class BaselineSql
{
    private const int ProductColumns = 14;
    private const int PriceColumns = 6;

    /// <summary>The batch for <paramref name="count"/> rows: products insert, then prices upsert + history. $1..$3 of the second are store, now, log.</summary>
    public static NpgsqlBatch Create(NpgsqlConnection connection, NpgsqlTransaction transaction, int count)
    {
        var products = new StringBuilder(
            "INSERT INTO products (product_key, barcode, chain_id, item_code, item_type, name, manufacturer, country, description, " +
            "unit_qty, quantity, unit_of_measure, is_weighted, qty_in_package) VALUES ");
        for (var r = 0; r < count; r++)
        {
            products.Append(r == 0 ? "(" : ",(");
            for (var c = 0; c < ProductColumns; c++)
            {
                products.Append(c == 0 ? "$" : ",$").Append((r * ProductColumns) + c + 1);
            }

            products.Append(')');
        }

        products.Append(" ON CONFLICT (product_key) DO NOTHING");

        var prices = new StringBuilder("WITH v (product_key, price, unit_price, allow_discount, item_status, price_updated_at) AS (VALUES ");
        for (var r = 0; r < count; r++)
        {
            var p = 4 + (r * PriceColumns);
            prices.Append(CultureInfo.InvariantCulture, $"{(r == 0 ? "" : ",")}(${p}::text,${p + 1}::numeric,${p + 2}::numeric,${p + 3}::boolean,${p + 4}::smallint,${p + 5}::timestamp)");
        }

        prices.Append("), ").Append(UpsertWithHistory("v"));

        var batch = new NpgsqlBatch(connection, transaction);
        var productCommand = new NpgsqlBatchCommand(products.ToString());
        for (var i = 0; i < count * ProductColumns; i++)
        {
            productCommand.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = ProductType(i % ProductColumns) });
        }

        var priceCommand = new NpgsqlBatchCommand(prices.ToString());
        priceCommand.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer });
        priceCommand.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        priceCommand.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
        for (var i = 0; i < count * PriceColumns; i++)
        {
            priceCommand.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = PriceType(i % PriceColumns) });
        }

        batch.BatchCommands.Add(productCommand);
        batch.BatchCommands.Add(priceCommand);
        return batch;
    }

    /// <summary>The staging table of the straightforward pipeline: the product and price columns of a row, dropped at commit.</summary>
    public const string CreateStaging =
        """
        CREATE TEMP TABLE staging (
            product_key text, barcode text, chain_id text, item_code text, item_type smallint, name text, manufacturer text,
            country text, description text, unit_qty text, quantity numeric, unit_of_measure text, is_weighted boolean,
            qty_in_package text, price numeric, unit_price numeric, allow_discount boolean, item_status smallint,
            price_updated_at timestamp
        ) ON COMMIT DROP
        """;

    /// <summary>The staged rows' new products, in key order (concurrent files take their locks in the same order).</summary>
    public const string InsertStagedProducts =
        """
        INSERT INTO products (product_key, barcode, chain_id, item_code, item_type, name, manufacturer, country, description,
                              unit_qty, quantity, unit_of_measure, is_weighted, qty_in_package)
        SELECT product_key, barcode, chain_id, item_code, item_type, name, manufacturer, country, description,
               unit_qty, quantity, unit_of_measure, is_weighted, qty_in_package
        FROM staging ORDER BY product_key
        ON CONFLICT (product_key) DO NOTHING
        """;

    /// <summary>The staged prices in one statement: $1 store, $2 now, $3 file log id.</summary>
    public static string UpsertStagedPrices { get; } = "WITH " + UpsertWithHistory("staging");

    /// <summary>Binary COPY of the rows into the staging table.</summary>
    public static async Task CopyStagingAsync(NpgsqlConnection connection, IReadOnlyList<PriceRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        var import = await connection.BeginBinaryImportAsync("COPY staging FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (import.ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ProductKey, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ItemType != 0 ? row.ItemCode : null, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ItemType == 0 ? row.ChainId : null, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ItemCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(checked((short)row.ItemType), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ItemName, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ManufacturerName, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ManufactureCountry, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ManufacturerItemDescription, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.UnitQty, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.Quantity, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.UnitOfMeasure, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.IsWeighted, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.QtyInPackage, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ItemPrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.UnitOfMeasurePrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.AllowDiscount, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.ItemStatus is { } status ? checked((short)status) : (short?)null, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(
                    row.PriceUpdateDate is { } updated ? DateTime.SpecifyKind(updated, DateTimeKind.Unspecified) : (DateTime?)null,
                    NpgsqlDbType.Timestamp,
                    cancellationToken).ConfigureAwait(false);
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Upserts the prices of <paramref name="source"/> (a CTE or table with product_key and the price columns) joined to
    /// their products, only where they differ, and appends each change to price_history. $1 store, $2 now, $3 log id.
    /// </summary>
    private static string UpsertWithHistory(string source) =>
        $"""
        up AS (
            INSERT INTO prices AS t (store_id, product_id, price, unit_price, allow_discount, item_status, price_updated_at, updated_at, file_log_id)
            SELECT $1, p.id, v.price, v.unit_price, v.allow_discount, v.item_status, v.price_updated_at, $2, $3
            FROM {source} v JOIN products p ON p.product_key = v.product_key
            ON CONFLICT (store_id, product_id) DO UPDATE
            SET price = excluded.price, unit_price = excluded.unit_price, allow_discount = excluded.allow_discount,
                item_status = excluded.item_status, price_updated_at = excluded.price_updated_at,
                updated_at = excluded.updated_at, file_log_id = excluded.file_log_id
            WHERE t.price IS DISTINCT FROM excluded.price OR t.unit_price IS DISTINCT FROM excluded.unit_price
            RETURNING t.store_id, t.product_id, t.price, t.unit_price, t.price_updated_at
        )
        INSERT INTO price_history (store_id, product_id, price, unit_price, price_updated_at, changed_at, file_log_id)
        SELECT store_id, product_id, price, unit_price, price_updated_at, $2, $3 FROM up
        """;

    /// <summary>Sets the batch's parameters to <paramref name="count"/> rows from <paramref name="offset"/>.</summary>
    public static void Bind(NpgsqlBatch batch, IReadOnlyList<PriceRow> rows, int offset, int count, int storeId, DateTime now, long logId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rows);
        var products = batch.BatchCommands[0].Parameters;
        var prices = batch.BatchCommands[1].Parameters;
        prices[0].Value = storeId;
        prices[1].Value = now;
        prices[2].Value = logId;
        for (var r = 0; r < count; r++)
        {
            var row = rows[offset + r];
            var key = row.ProductKey;
            var p = r * ProductColumns;
            products[p].Value = key;
            products[p + 1].Value = row.ItemType != 0 ? row.ItemCode : DBNull.Value;
            products[p + 2].Value = row.ItemType == 0 ? row.ChainId : DBNull.Value;
            products[p + 3].Value = row.ItemCode;
            products[p + 4].Value = checked((short)row.ItemType);
            products[p + 5].Value = Nullable(row.ItemName);
            products[p + 6].Value = Nullable(row.ManufacturerName);
            products[p + 7].Value = Nullable(row.ManufactureCountry);
            products[p + 8].Value = Nullable(row.ManufacturerItemDescription);
            products[p + 9].Value = Nullable(row.UnitQty);
            products[p + 10].Value = row.Quantity is { } quantity ? quantity : DBNull.Value;
            products[p + 11].Value = Nullable(row.UnitOfMeasure);
            products[p + 12].Value = row.IsWeighted;
            products[p + 13].Value = Nullable(row.QtyInPackage);

            var q = 3 + (r * PriceColumns);
            prices[q].Value = key;
            prices[q + 1].Value = row.ItemPrice;
            prices[q + 2].Value = row.UnitOfMeasurePrice is { } unit ? unit : DBNull.Value;
            prices[q + 3].Value = row.AllowDiscount is { } allow ? allow : DBNull.Value;
            prices[q + 4].Value = row.ItemStatus is { } status ? checked((short)status) : DBNull.Value;
            prices[q + 5].Value = row.PriceUpdateDate is { } updated ? DateTime.SpecifyKind(updated, DateTimeKind.Unspecified) : DBNull.Value;
        }
    }

    private static object Nullable(string? value) => value is null ? DBNull.Value : value;

    private static NpgsqlDbType ProductType(int column) => column switch
    {
        4 => NpgsqlDbType.Smallint,
        10 => NpgsqlDbType.Numeric,
        12 => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.Text,
    };

    private static NpgsqlDbType PriceType(int column) => column switch
    {
        0 => NpgsqlDbType.Text,
        1 or 2 => NpgsqlDbType.Numeric,
        3 => NpgsqlDbType.Boolean,
        4 => NpgsqlDbType.Smallint,
        _ => NpgsqlDbType.Timestamp,
    };
}
