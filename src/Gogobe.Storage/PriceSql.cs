namespace Gogobe.Storage;

/// <summary>
/// The SQL of the direct price path (PgFileWriter.Prices.cs): products resolved set-based by key, prices and history
/// written as narrow rows (ids + prices) by binary COPY, changed prices by one set-based UPDATE.
/// </summary>
internal static class PriceSql
{
    /// <summary>
    /// Serialises the writers of one store (two classes of key space: this constant and stores.id). Held to the end of
    /// the file's transaction, so the store's current prices read after it are exact until commit: a new pair can be
    /// COPYed straight into prices without ever meeting a concurrent insert of the same pair.
    /// </summary>
    public const string LockStore = "SELECT pg_advisory_xact_lock(1196379970, $1)";

    public const string ProductsByKey = "SELECT id, product_key, name IS NULL FROM products WHERE product_key = ANY($1)";

    /// <summary>
    /// New products, in key order (concurrent inserters stay lock-ordered, so they never deadlock). A key another file
    /// inserted meanwhile is skipped (it waits for that file's commit first) and found by <see cref="ProductsByKey"/> after.
    /// $1..$12 are parallel arrays: key, item code, item type, name, manufacturer, country, description, unit qty,
    /// quantity, unit of measure, is weighted, qty in package, chain.
    /// </summary>
    public const string InsertProducts = """
        INSERT INTO products (product_key, barcode, chain_id, item_code, item_type, name, manufacturer, country, description,
                              unit_qty, quantity, unit_of_measure, is_weighted, qty_in_package)
        SELECT k, CASE WHEN t <> 0 THEN code END, CASE WHEN t = 0 THEN chain END, code, t, name, maker, country, descr,
               uq, q, uom, w, qip
        FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                    $9::numeric[], $10::text[], $11::boolean[], $12::text[], $13::text[])
             AS u (k, code, t, name, maker, country, descr, uq, q, uom, w, qip, chain)
        ORDER BY k
        ON CONFLICT (product_key) DO NOTHING
        RETURNING id, product_key, name IS NULL
        """;

    /// <summary>
    /// Names products a promotion file created bare (key, code and type only). Locked in key order and re-checked as
    /// locked, so the first file to name a product wins and a later one does not rewrite it. $1 = ids, $2..$10 the
    /// name-to-qty-in-package arrays of <see cref="InsertProducts"/>.
    /// </summary>
    public const string NameBareProducts = """
        WITH u AS (
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[],
                                 $8::text[], $9::boolean[], $10::text[])
                AS u (id, name, maker, country, descr, uq, q, uom, w, qip)
        ),
        bare AS MATERIALIZED (
            SELECT p.id FROM products p WHERE p.id IN (SELECT id FROM u) AND p.name IS NULL ORDER BY p.product_key FOR UPDATE
        )
        UPDATE products p
        SET name = u.name, manufacturer = u.maker, country = u.country, description = u.descr, unit_qty = u.uq,
            quantity = u.q, unit_of_measure = u.uom, is_weighted = u.w, qty_in_package = u.qip
        FROM u
        WHERE p.id = u.id AND p.id IN (SELECT id FROM bare)
        RETURNING p.id
        """;

    public const string CopyPrices = """
        COPY prices (store_id, product_id, price, unit_price, allow_discount, item_status, price_updated_at, updated_at, file_log_id)
        FROM STDIN (FORMAT BINARY)
        """;

    public const string CopyHistory = """
        COPY price_history (store_id, product_id, price, unit_price, price_updated_at, changed_at, file_log_id)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// The store's changed prices, one statement. The rows are known to differ (compared under the store lock), so no
    /// re-check. $1 = stores.id, $2..$7 = product id, price, unit price, allow discount, item status, price updated at;
    /// $8 = now (UTC), $9 = file log id.
    /// </summary>
    public const string UpdateChanged = """
        UPDATE prices t
        SET price = u.price, unit_price = u.unit_price, allow_discount = u.allow_discount, item_status = u.item_status,
            price_updated_at = u.price_updated_at, updated_at = $8, file_log_id = $9
        FROM unnest($2::bigint[], $3::numeric[], $4::numeric[], $5::boolean[], $6::smallint[], $7::timestamp[])
             AS u (product_id, price, unit_price, allow_discount, item_status, price_updated_at)
        WHERE t.store_id = $1 AND t.product_id = u.product_id
        """;

    /// <summary>
    /// The history row a file appended for a product it then listed again: takes the later row's prices. $1 = stores.id,
    /// $2..$5 = product id, price, unit price, price updated at; $6 = the file's changed_at (prunes to one partition),
    /// $7 = file log id.
    /// </summary>
    public const string UpdateRepeatedHistory = """
        UPDATE price_history h
        SET price = u.price, unit_price = u.unit_price, price_updated_at = u.price_updated_at
        FROM unnest($2::bigint[], $3::numeric[], $4::numeric[], $5::timestamp[]) AS u (product_id, price, unit_price, price_updated_at)
        WHERE h.store_id = $1 AND h.product_id = u.product_id AND h.changed_at = $6 AND h.file_log_id = $7
        """;
}
