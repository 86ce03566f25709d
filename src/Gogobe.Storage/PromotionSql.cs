namespace Gogobe.Storage;

/// <summary>
/// The SQL of the promotion path: staging tables, COPY targets and the set-based apply statements. Statement
/// parameters: $1 = stores.id, $2 = now (UTC), $3 = file log id.
/// </summary>
internal static class PromotionSql
{
    // seq numbers each staged promotion (file order); items carry their promotion's seq, so the items of a promotion
    // id's last occurrence are exactly those whose seq is that occurrence's.
    public const string CreateStaging = """
        CREATE TEMP TABLE staging_promotions (
            seq                       bigint NOT NULL,
            chain_id                  text NOT NULL,
            promotion_id              text NOT NULL,
            description               text,
            starts_at                 timestamp,
            ends_at                   timestamp,
            updated_at                timestamp,
            reward_type               smallint,
            allow_multiple_discounts  boolean,
            is_weighted               boolean,
            min_qty                   numeric,
            max_qty                   numeric,
            discounted_price          numeric,
            discounted_price_per_mida numeric,
            discount_rate             numeric,
            discount_type             smallint,
            min_items_offered         integer,
            is_coupon                 boolean,
            gift_count                integer,
            is_total                  boolean,
            is_active                 boolean,
            club_ids                  text[] NOT NULL
        ) ON COMMIT DROP;
        CREATE TEMP TABLE staging_promotion_items (
            seq          bigint NOT NULL,
            promotion_id text NOT NULL,
            product_key  text NOT NULL,
            chain_id     text NOT NULL,
            item_code    text NOT NULL,
            item_type    smallint NOT NULL,
            is_gift      boolean NOT NULL
        ) ON COMMIT DROP
        """;

    public const string CopyPromotions = """
        COPY staging_promotions (seq, chain_id, promotion_id, description, starts_at, ends_at, updated_at, reward_type,
            allow_multiple_discounts, is_weighted, min_qty, max_qty, discounted_price, discounted_price_per_mida,
            discount_rate, discount_type, min_items_offered, is_coupon, gift_count, is_total, is_active, club_ids)
        FROM STDIN (FORMAT BINARY)
        """;

    public const string CopyItems = """
        COPY staging_promotion_items (seq, promotion_id, product_key, chain_id, item_code, item_type, is_gift)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// The last occurrence of each promotion id, cast to the stored precision, with the current row (if any) and whether
    /// the file changes it (new, or any field differs). Computed once; every later statement reads it.
    /// </summary>
    public const string CreateLatest = """
        CREATE TEMP TABLE latest_promotions ON COMMIT DROP AS
        SELECT l.*,
               cur.id AS row_id,
               cur.id IS NULL
               OR (cur.chain_id, cur.description, cur.starts_at, cur.ends_at, cur.updated_at, cur.reward_type,
                   cur.allow_multiple_discounts, cur.is_weighted, cur.min_qty, cur.max_qty, cur.discounted_price,
                   cur.discounted_price_per_mida, cur.discount_rate, cur.discount_type, cur.min_items_offered,
                   cur.is_coupon, cur.gift_count, cur.is_total, cur.is_active, cur.club_ids)
                  IS DISTINCT FROM
                  (l.chain_id, l.description, l.starts_at, l.ends_at, l.updated_at, l.reward_type,
                   l.allow_multiple_discounts, l.is_weighted, l.min_qty, l.max_qty, l.discounted_price,
                   l.discounted_price_per_mida, l.discount_rate, l.discount_type, l.min_items_offered,
                   l.is_coupon, l.gift_count, l.is_total, l.is_active, l.club_ids) AS changed
        FROM (
            SELECT DISTINCT ON (promotion_id)
                   seq, chain_id, promotion_id, description, starts_at, ends_at, updated_at, reward_type,
                   allow_multiple_discounts, is_weighted, min_qty, max_qty,
                   discounted_price::numeric(12,2) AS discounted_price,
                   discounted_price_per_mida::numeric(14,4) AS discounted_price_per_mida,
                   discount_rate, discount_type, min_items_offered, is_coupon, gift_count, is_total, is_active, club_ids
            FROM staging_promotions
            ORDER BY promotion_id, seq DESC
        ) l
        LEFT JOIN promotions cur ON cur.store_id = $1 AND cur.promotion_id = l.promotion_id
        """;

    // Temp tables are never auto-analyzed; without statistics the planner guesses their sizes badly.
    // (Separate from CreateLatest: a command with $n parameters must hold a single statement.)
    public const string AnalyzeLatest = "ANALYZE latest_promotions";

    /// <summary>
    /// Products first seen in a promotion, created bare (key, code, type): the price path names them later.
    /// ON CONFLICT because promotion volumes are small and another file may insert the same key concurrently.
    /// </summary>
    public const string InsertBareProducts = """
        INSERT INTO products (product_key, barcode, chain_id, item_code, item_type)
        SELECT product_key,
               CASE WHEN item_type <> 0 THEN item_code END,
               CASE WHEN item_type = 0 THEN chain_id END,
               item_code, item_type
        FROM (
            SELECT DISTINCT ON (i.product_key) i.product_key, i.chain_id, i.item_code, i.item_type
            FROM staging_promotion_items i
            JOIN latest_promotions l ON l.seq = i.seq
            WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.product_key = i.product_key)
            ORDER BY i.product_key
        ) missing
        ORDER BY product_key
        ON CONFLICT (product_key) DO NOTHING
        """;

    /// <summary>The items of each winning promotion as product ids; an item listed twice is one item (a gift if either says so).</summary>
    public const string CreateLatestItems = """
        CREATE TEMP TABLE latest_promotion_items ON COMMIT DROP AS
        SELECT i.seq, p.id AS product_id, bool_or(i.is_gift) AS is_gift
        FROM staging_promotion_items i
        JOIN latest_promotions l ON l.seq = i.seq
        JOIN products p ON p.product_key = i.product_key
        GROUP BY i.seq, p.id;
        ANALYZE latest_promotion_items
        """;

    /// <summary>
    /// PromoFull only: the store's promotions the file no longer lists are deleted, items first (set-based; the
    /// cascade then has nothing left to do). Returns the number of promotions deleted.
    /// </summary>
    public const string DeleteUnlisted = """
        WITH stale AS MATERIALIZED (
            SELECT p.id FROM promotions p
            WHERE p.store_id = $1
              AND NOT EXISTS (SELECT 1 FROM latest_promotions l WHERE l.promotion_id = p.promotion_id)
        ),
        items AS (
            DELETE FROM promotion_items i USING stale s WHERE i.promotion_row_id = s.id
        ),
        deleted AS (
            DELETE FROM promotions p USING stale s WHERE p.id = s.id
            RETURNING 1
        )
        SELECT count(*) FROM deleted
        """;

    /// <summary>
    /// Every listed promotion is written (seen_at and file_log_id move on even when nothing else changed); ON CONFLICT
    /// keeps it safe against a concurrent file of the same store. Key order keeps concurrent writers lock-ordered.
    /// </summary>
    public const string UpsertPromotions = """
        INSERT INTO promotions AS t (store_id, chain_id, promotion_id, description, starts_at, ends_at, updated_at,
            reward_type, allow_multiple_discounts, is_weighted, min_qty, max_qty, discounted_price,
            discounted_price_per_mida, discount_rate, discount_type, min_items_offered, is_coupon, gift_count, is_total,
            is_active, club_ids, file_log_id, seen_at)
        SELECT $1, chain_id, promotion_id, description, starts_at, ends_at, updated_at,
               reward_type, allow_multiple_discounts, is_weighted, min_qty, max_qty, discounted_price,
               discounted_price_per_mida, discount_rate, discount_type, min_items_offered, is_coupon, gift_count, is_total,
               is_active, club_ids, $3, $2
        FROM latest_promotions
        ORDER BY promotion_id
        ON CONFLICT (store_id, promotion_id) DO UPDATE
        SET chain_id = excluded.chain_id, description = excluded.description, starts_at = excluded.starts_at,
            ends_at = excluded.ends_at, updated_at = excluded.updated_at, reward_type = excluded.reward_type,
            allow_multiple_discounts = excluded.allow_multiple_discounts, is_weighted = excluded.is_weighted,
            min_qty = excluded.min_qty, max_qty = excluded.max_qty, discounted_price = excluded.discounted_price,
            discounted_price_per_mida = excluded.discounted_price_per_mida, discount_rate = excluded.discount_rate,
            discount_type = excluded.discount_type, min_items_offered = excluded.min_items_offered,
            is_coupon = excluded.is_coupon, gift_count = excluded.gift_count, is_total = excluded.is_total,
            is_active = excluded.is_active, club_ids = excluded.club_ids, file_log_id = excluded.file_log_id,
            seen_at = excluded.seen_at
        """;

    /// <summary>
    /// Replaces the items of every listed promotion by diff: items no longer listed are deleted, new ones inserted,
    /// a changed gift flag updated; unchanged items are not touched. Returns (distinct promotions in the file,
    /// promotions changed = new or with a changed field or with changed items).
    /// </summary>
    public const string ReplaceItems = """
        WITH listed AS MATERIALIZED (
            SELECT p.id AS row_id, l.seq, l.changed
            FROM latest_promotions l
            JOIN promotions p ON p.store_id = $1 AND p.promotion_id = l.promotion_id
        ),
        target AS MATERIALIZED (
            SELECT s.row_id, li.product_id, li.is_gift
            FROM latest_promotion_items li
            JOIN listed s ON s.seq = li.seq
        ),
        removed AS (
            DELETE FROM promotion_items i USING listed s
            WHERE i.promotion_row_id = s.row_id
              AND NOT EXISTS (SELECT 1 FROM target t WHERE t.row_id = i.promotion_row_id AND t.product_id = i.product_id)
            RETURNING i.promotion_row_id
        ),
        written AS (
            INSERT INTO promotion_items AS x (promotion_row_id, product_id, is_gift)
            SELECT t.row_id, t.product_id, t.is_gift
            FROM target t
            LEFT JOIN promotion_items cur ON cur.promotion_row_id = t.row_id AND cur.product_id = t.product_id
            WHERE cur.promotion_row_id IS NULL OR cur.is_gift IS DISTINCT FROM t.is_gift
            ORDER BY t.row_id, t.product_id
            ON CONFLICT (promotion_row_id, product_id) DO UPDATE SET is_gift = excluded.is_gift
            WHERE x.is_gift IS DISTINCT FROM excluded.is_gift
            RETURNING x.promotion_row_id
        ),
        touched AS (
            SELECT promotion_row_id FROM removed UNION SELECT promotion_row_id FROM written
        )
        SELECT (SELECT count(*) FROM listed),
               (SELECT count(*) FROM listed s WHERE s.changed OR s.row_id IN (SELECT promotion_row_id FROM touched))
        """;
}
