-- price_history partitioned by month of changed_at (UTC months), so retention drops whole months instead of deleting
-- rows, and a year of history does not make one ever-growing table. Runs in the migrator's transaction: either the
-- whole conversion happens or none of it.

-- 1. The old table steps aside. Its id sequence moves to the new table before the old one is dropped (an owned
--    sequence would otherwise be dropped with it and the ids would restart).
ALTER TABLE price_history RENAME TO price_history_unpartitioned;
ALTER INDEX price_history_pkey RENAME TO price_history_unpartitioned_pkey;
ALTER INDEX price_history_store_product_idx RENAME TO price_history_unpartitioned_store_product_idx;

-- 2. Same columns, same order, same keys: the writer's INSERT (StagingSql.UpsertPrices) is unchanged.
CREATE TABLE price_history (
    id               bigint NOT NULL DEFAULT nextval('price_history_id_seq'),
    store_id         integer NOT NULL,
    product_id       bigint NOT NULL,
    price            numeric(12,2) NOT NULL,
    unit_price       numeric(14,4),
    price_updated_at timestamp,
    changed_at       timestamptz NOT NULL,
    file_log_id      bigint,
    PRIMARY KEY (changed_at, id)
) PARTITION BY RANGE (changed_at);
ALTER SEQUENCE price_history_id_seq OWNED BY price_history.id;
ALTER TABLE price_history_unpartitioned ALTER COLUMN id DROP DEFAULT;
CREATE INDEX price_history_store_product_idx ON price_history (store_id, product_id, changed_at);

-- 3. The partitions live in their own schema, so the public schema keeps listing the logical tables only.
--    Rows of a month without a partition land in DEFAULT (nothing is ever refused); PgPartitions.EnsureMonthlyAsync
--    later gives such a month its partition and moves the rows out.
CREATE SCHEMA partitions;
CREATE TABLE partitions.price_history_default PARTITION OF price_history DEFAULT;

-- 4. One month's partition, named partitions.price_history_YYYY_MM, bounded by UTC month starts. Idempotent. If rows of that
--    month already sit in the DEFAULT partition, they are moved into the new partition in the caller's transaction:
--    PostgreSQL refuses to create a partition whose range the DEFAULT partition still holds rows of, so the table is
--    created detached, filled from DEFAULT, then attached (the attach re-checks both sides). A transaction-scoped
--    advisory lock serialises concurrent callers (several workers starting at once).
CREATE FUNCTION price_history_ensure_partition(month_start date, OUT created boolean, OUT rows_moved bigint)
LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month_start)::date;
    part_name text := 'price_history_' || to_char(date_trunc('month', month_start), 'YYYY_MM');
    lower_bound timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
    -- An arbitrary constant of its own, distinct from the migrator's lock key.
    PERFORM pg_advisory_xact_lock(7020383542232897401);
    created := false;
    rows_moved := 0;
    IF to_regclass('partitions.' || quote_ident(part_name)) IS NOT NULL THEN
        RETURN;
    END IF;

    EXECUTE format('CREATE TABLE partitions.%I (LIKE price_history INCLUDING DEFAULTS)', part_name);
    EXECUTE format(
        'WITH moved AS (DELETE FROM partitions.price_history_default WHERE changed_at >= $1 AND changed_at < $2 RETURNING *) '
        'INSERT INTO partitions.%I SELECT * FROM moved', part_name)
        USING lower_bound, upper_bound;
    GET DIAGNOSTICS rows_moved = ROW_COUNT;
    EXECUTE format('ALTER TABLE price_history ATTACH PARTITION partitions.%I FOR VALUES FROM (%L) TO (%L)', part_name, lower_bound, upper_bound);
    created := true;
END
$$;

-- 5. Partitions for every month the existing history covers and for this month and the next two, then the rows.
SELECT price_history_ensure_partition(m::date)
FROM (
    SELECT DISTINCT date_trunc('month', changed_at AT TIME ZONE 'UTC') AS m FROM price_history_unpartitioned
    UNION
    SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + n * interval '1 month' FROM generate_series(0, 2) n
) months
ORDER BY m;

INSERT INTO price_history (id, store_id, product_id, price, unit_price, price_updated_at, changed_at, file_log_id)
SELECT id, store_id, product_id, price, unit_price, price_updated_at, changed_at, file_log_id
FROM price_history_unpartitioned;

DROP TABLE price_history_unpartitioned;

-- 6. Retention deletes old log rows by when they finished (a row a crashed run left 'processing' counts by its start).
CREATE INDEX file_processing_log_retention_idx ON file_processing_log ((coalesce(finished_at, started_at)));
