-- Gogobe initial schema. Applied once by Migrator, inside its own transaction.

CREATE TABLE chains (
    chain_id   text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stores (
    id             serial PRIMARY KEY,
    chain_id       text NOT NULL REFERENCES chains (chain_id),
    store_code     integer NOT NULL,
    sub_chain_id   text,
    sub_chain_name text,
    name           text,
    address        text,
    city           text,
    zip            text,
    store_type     smallint,
    bikoret_no     text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stores_chain_store_code_key UNIQUE (chain_id, store_code)
);

-- product_key is PriceRow.ProductKey: 'b:<barcode>' for barcoded items, 'c:<chain>:<code>' for internal codes.
CREATE TABLE products (
    id                   bigserial PRIMARY KEY,
    product_key          text NOT NULL UNIQUE,
    barcode              text,
    chain_id             text,
    item_code            text NOT NULL,
    item_type            smallint NOT NULL,
    name                 text,
    manufacturer         text,
    country              text,
    description          text,
    unit_qty             text,
    quantity             numeric,
    unit_of_measure      text,
    is_weighted          boolean NOT NULL DEFAULT false,
    qty_in_package       text,
    created_at           timestamptz NOT NULL DEFAULT now()
);

-- The current price of each product in each store. Only changed prices are ever rewritten.
-- No foreign keys on purpose: the file writer is the only writer and takes both ids from the stores/products rows
-- it joins in the same statement, while the per-row FK triggers roughly doubled the cost of a bulk load.
CREATE TABLE prices (
    store_id         integer NOT NULL,
    product_id       bigint NOT NULL,
    price            numeric(12,2) NOT NULL,
    unit_price       numeric(14,4),
    allow_discount   boolean,
    item_status      smallint,
    price_updated_at timestamp,
    updated_at       timestamptz NOT NULL,
    file_log_id      bigint,
    PRIMARY KEY (store_id, product_id)
);

-- Append-only: one row per price change (a first sighting counts as a change).
-- No foreign keys and a primary key that leads with changed_at, so the table can later be
-- range-partitioned by changed_at (PostgreSQL requires the partition key in the primary key).
CREATE TABLE price_history (
    id               bigserial,
    store_id         integer NOT NULL,
    product_id       bigint NOT NULL,
    price            numeric(12,2) NOT NULL,
    unit_price       numeric(14,4),
    price_updated_at timestamp,
    changed_at       timestamptz NOT NULL,
    file_log_id      bigint,
    PRIMARY KEY (changed_at, id)
);
CREATE INDEX price_history_store_product_idx ON price_history (store_id, product_id, changed_at);

-- One row per file a run touched. store_id is the chain's store number (as in the file name), not stores.id.
CREATE TABLE file_processing_log (
    id                 bigserial PRIMARY KEY,
    run_id             uuid NOT NULL,
    source             text NOT NULL,
    chain_id           text NOT NULL,
    store_id           integer,
    file_name          text NOT NULL,
    file_type          text,
    status             text NOT NULL CHECK (status IN ('processing', 'completed', 'failed', 'skipped')),
    rows_read          integer NOT NULL DEFAULT 0,
    duplicates_removed integer NOT NULL DEFAULT 0,
    rows_rejected      integer NOT NULL DEFAULT 0,
    rows_changed       integer NOT NULL DEFAULT 0,
    error              text,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz
);
-- Fleet matrix: SELECT DISTINCT ON (source) ... ORDER BY source, started_at DESC.
CREATE INDEX file_processing_log_source_started_idx ON file_processing_log (source, started_at DESC);
-- One daily pass: "did this store's file of this kind complete today?"
CREATE INDEX file_processing_log_daily_pass_idx ON file_processing_log (chain_id, store_id, file_type, finished_at)
    WHERE status = 'completed';
CREATE INDEX file_processing_log_run_idx ON file_processing_log (run_id);
