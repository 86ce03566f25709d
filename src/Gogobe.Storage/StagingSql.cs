namespace Gogobe.Storage;

/// <summary>The SQL of the file writer: staging tables, COPY targets and the set-based apply statements.</summary>
internal static class StagingSql
{
    // Temp tables live in the file's session and vanish at commit or rollback, so concurrent files never meet.
    public const string CreatePrices = """
        CREATE TEMP TABLE staging_prices (
            seq              bigint NOT NULL,
            product_key      text NOT NULL,
            chain_id         text NOT NULL,
            item_code        text NOT NULL,
            item_type        smallint NOT NULL,
            name             text,
            manufacturer     text,
            country          text,
            description      text,
            unit_qty         text,
            quantity         numeric,
            unit_of_measure  text,
            is_weighted      boolean NOT NULL,
            qty_in_package   text,
            price            numeric NOT NULL,
            unit_price       numeric,
            allow_discount   boolean,
            item_status      smallint,
            price_updated_at timestamp
        ) ON COMMIT DROP
        """;

    public const string CopyPrices = """
        COPY staging_prices (seq, product_key, chain_id, item_code, item_type, name, manufacturer, country, description,
            unit_qty, quantity, unit_of_measure, is_weighted, qty_in_package, price, unit_price, allow_discount, item_status,
            price_updated_at) FROM STDIN (FORMAT BINARY)
        """;

    public const string CreateStores = """
        CREATE TEMP TABLE staging_stores (
            seq            bigint NOT NULL,
            chain_id       text NOT NULL,
            chain_name     text,
            store_code     integer NOT NULL,
            sub_chain_id   text,
            sub_chain_name text,
            name           text,
            address        text,
            city           text,
            zip            text,
            store_type     smallint,
            bikoret_no     text
        ) ON COMMIT DROP
        """;

    public const string CopyStores = """
        COPY staging_stores (seq, chain_id, chain_name, store_code, sub_chain_id, sub_chain_name, name, address, city, zip,
            store_type, bikoret_no) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// Fast path: new products only, a plain INSERT (about a third cheaper than a speculative ON CONFLICT insert).
    /// Raises unique_violation only when a concurrent file committed the same new key first; the writer then falls
    /// back to <see cref="InsertNewProductsSafe"/>. Key order keeps concurrent inserters lock-ordered.
    /// </summary>
    public const string InsertNewProducts = InsertNewProductsSelect;

    /// <summary>The fallback of <see cref="InsertNewProducts"/>: tolerates keys another file inserted meanwhile.</summary>
    public const string InsertNewProductsSafe = InsertNewProductsSelect + "\nON CONFLICT (product_key) DO NOTHING";

    private const string InsertNewProductsSelect = """
        INSERT INTO products (product_key, barcode, chain_id, item_code, item_type, name, manufacturer, country, description,
                              unit_qty, quantity, unit_of_measure, is_weighted, qty_in_package)
        SELECT product_key,
               CASE WHEN item_type <> 0 THEN item_code END,
               CASE WHEN item_type = 0 THEN chain_id END,
               item_code, item_type, name, manufacturer, country, description,
               unit_qty, quantity, unit_of_measure, is_weighted, qty_in_package
        FROM (
            SELECT DISTINCT ON (s.product_key) s.*
            FROM staging_prices s
            WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.product_key = s.product_key)
            ORDER BY s.product_key, s.seq DESC
        ) latest
        ORDER BY product_key
        """;

    /// <summary>
    /// Names the products a promotion file created bare (key, code and type only) from the last staged row of each.
    /// Runs after the insert of new products. The bare set is found through the tiny partial index on unnamed
    /// products, locked in key order (concurrent files stay lock-ordered) and re-checked as locked, so the first
    /// file to name a product wins and a later one does not rewrite it.
    /// </summary>
    public const string NameBareProducts = """
        WITH bare AS MATERIALIZED (
            SELECT p.id, p.product_key
            FROM products p
            WHERE p.name IS NULL
              AND p.product_key IN (SELECT s.product_key FROM staging_prices s WHERE s.name IS NOT NULL)
            ORDER BY p.product_key
            FOR UPDATE
        ),
        latest AS (
            SELECT DISTINCT ON (s.product_key) s.*
            FROM staging_prices s
            JOIN bare b ON b.product_key = s.product_key
            WHERE s.name IS NOT NULL
            ORDER BY s.product_key, s.seq DESC
        )
        UPDATE products p
        SET name = l.name, manufacturer = l.manufacturer, country = l.country, description = l.description,
            unit_qty = l.unit_qty, quantity = l.quantity, unit_of_measure = l.unit_of_measure, is_weighted = l.is_weighted,
            qty_in_package = l.qty_in_package
        FROM bare b
        JOIN latest l ON l.product_key = b.product_key
        WHERE p.id = b.id
        """;

    /// <summary>
    /// Shared by <see cref="UpsertPrices"/> and <see cref="UpsertPricesSafe"/>: the last staged row per product
    /// (a file may list an item twice; the later wins), prices rounded as stored.
    /// </summary>
    private const string LatestStagedPrices = """
        latest AS MATERIALIZED (
            SELECT DISTINCT ON (product_key)
                   product_key, price::numeric(12,2) AS price, unit_price::numeric(14,4) AS unit_price,
                   allow_discount, item_status, price_updated_at
            FROM staging_prices
            ORDER BY product_key, seq DESC
        )
        """;

    /// <summary>The FROM/WHERE of the staged prices (<c>l</c>, product <c>p</c>) that are new for store $1 or differ from its current price (<c>cur</c>).</summary>
    private const string NewOrDifferentPrices = """
        FROM latest l
        JOIN products p ON p.product_key = l.product_key
        LEFT JOIN prices cur ON cur.store_id = $1 AND cur.product_id = p.id
        WHERE cur.product_id IS NULL
           OR cur.price IS DISTINCT FROM l.price
           OR cur.unit_price IS DISTINCT FROM l.unit_price
        """;

    /// <summary>
    /// Fast path, one statement: the last staged row per product, only where the price is new or differs from the
    /// current one; new pairs by plain INSERT, changed ones by UPDATE, both appended to price_history.
    /// Returns (distinct products staged, prices changed). $1 = stores.id, $2 = now (UTC), $3 = file log id.
    /// Raises unique_violation only if a concurrent file of the same store inserted the same new pair first;
    /// the writer then falls back to <see cref="UpsertPricesSafe"/>.
    /// </summary>
    public const string UpsertPrices = $"""
        WITH {LatestStagedPrices},
        changed AS MATERIALIZED (
            SELECT p.id AS product_id, l.price, l.unit_price, l.allow_discount, l.item_status, l.price_updated_at,
                   cur.product_id IS NULL AS is_new
            {NewOrDifferentPrices}
        ),
        inserted AS (
            INSERT INTO prices (store_id, product_id, price, unit_price, allow_discount, item_status, price_updated_at, updated_at, file_log_id)
            SELECT $1, product_id, price, unit_price, allow_discount, item_status, price_updated_at, $2, $3
            FROM changed
            WHERE is_new
            ORDER BY product_id
            RETURNING store_id, product_id, price, unit_price, price_updated_at
        ),
        updated AS (
            UPDATE prices t
            SET price = c.price, unit_price = c.unit_price, allow_discount = c.allow_discount, item_status = c.item_status,
                price_updated_at = c.price_updated_at, updated_at = $2, file_log_id = $3
            FROM changed c
            WHERE NOT c.is_new AND t.store_id = $1 AND t.product_id = c.product_id
              -- Re-checked on the row as locked: a concurrent file of the same store may have written the same price.
              AND (t.price IS DISTINCT FROM c.price OR t.unit_price IS DISTINCT FROM c.unit_price)
            RETURNING t.store_id, t.product_id, t.price, t.unit_price, t.price_updated_at
        ),
        history AS (
            INSERT INTO price_history (store_id, product_id, price, unit_price, price_updated_at, changed_at, file_log_id)
            SELECT store_id, product_id, price, unit_price, price_updated_at, $2, $3
            FROM (SELECT * FROM inserted UNION ALL SELECT * FROM updated) AS written
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM latest), (SELECT count(*) FROM history)
        """;

    /// <summary>
    /// The fallback of <see cref="UpsertPrices"/>, same parameters and result: INSERT ... ON CONFLICT DO UPDATE, safe
    /// against concurrent writers of the same store, slower because every row is a speculative insert.
    /// </summary>
    public const string UpsertPricesSafe = $"""
        WITH {LatestStagedPrices},
        changed AS (
            SELECT p.id AS product_id, l.price, l.unit_price, l.allow_discount, l.item_status, l.price_updated_at
            {NewOrDifferentPrices}
            ORDER BY p.id
        ),
        upserted AS (
            INSERT INTO prices AS t (store_id, product_id, price, unit_price, allow_discount, item_status, price_updated_at, updated_at, file_log_id)
            SELECT $1, product_id, price, unit_price, allow_discount, item_status, price_updated_at, $2, $3
            FROM changed
            ON CONFLICT (store_id, product_id) DO UPDATE
            SET price = excluded.price, unit_price = excluded.unit_price, allow_discount = excluded.allow_discount,
                item_status = excluded.item_status, price_updated_at = excluded.price_updated_at,
                updated_at = excluded.updated_at, file_log_id = excluded.file_log_id
            -- Re-checked against the row as locked: a concurrent file of the same store may have written the same price.
            WHERE t.price IS DISTINCT FROM excluded.price OR t.unit_price IS DISTINCT FROM excluded.unit_price
            RETURNING t.store_id, t.product_id, t.price, t.unit_price, t.price_updated_at
        ),
        history AS (
            INSERT INTO price_history (store_id, product_id, price, unit_price, price_updated_at, changed_at, file_log_id)
            SELECT store_id, product_id, price, unit_price, price_updated_at, $2, $3
            FROM upserted
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM latest), (SELECT count(*) FROM history)
        """;

    public const string InsertStoreChains = """
        INSERT INTO chains (chain_id, name)
        SELECT DISTINCT ON (chain_id) chain_id, coalesce(chain_name, chain_id)
        FROM staging_stores
        ORDER BY chain_id, seq DESC
        ON CONFLICT (chain_id) DO NOTHING
        """;

    /// <summary>Upserts the last row per store; only stores whose details changed are rewritten. $1 = now (UTC).</summary>
    public const string UpsertStores = """
        WITH latest AS MATERIALIZED (
            SELECT DISTINCT ON (chain_id, store_code) *
            FROM staging_stores
            ORDER BY chain_id, store_code, seq DESC
        ),
        upserted AS (
            INSERT INTO stores AS t (chain_id, store_code, sub_chain_id, sub_chain_name, name, address, city, zip, store_type, bikoret_no, updated_at)
            SELECT chain_id, store_code, sub_chain_id, sub_chain_name, name, address, city, zip, store_type, bikoret_no, $1
            FROM latest
            ORDER BY chain_id, store_code
            ON CONFLICT (chain_id, store_code) DO UPDATE
            SET sub_chain_id = excluded.sub_chain_id, sub_chain_name = excluded.sub_chain_name, name = excluded.name,
                address = excluded.address, city = excluded.city, zip = excluded.zip, store_type = excluded.store_type,
                bikoret_no = excluded.bikoret_no, updated_at = excluded.updated_at
            WHERE (t.sub_chain_id, t.sub_chain_name, t.name, t.address, t.city, t.zip, t.store_type, t.bikoret_no)
                  IS DISTINCT FROM
                  (excluded.sub_chain_id, excluded.sub_chain_name, excluded.name, excluded.address, excluded.city,
                   excluded.zip, excluded.store_type, excluded.bikoret_no)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM latest), (SELECT count(*) FROM upserted)
        """;
}
