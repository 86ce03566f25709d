-- Promotions (PromoFull / Promo files) and per-file reject breakdown and notes.

-- One promotion of one store. store_id is stores.id (not the chain's store number). Dates are Israel local time as
-- published (no zone). seen_at is the last time a file listed the promotion (incremental Promo files never delete,
-- so it tells how stale a promotion may be); file_log_id is that file.
CREATE TABLE promotions (
    id                        bigserial PRIMARY KEY,
    store_id                  integer NOT NULL REFERENCES stores (id),
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
    discounted_price          numeric(12,2),
    discounted_price_per_mida numeric(14,4),
    discount_rate             numeric,
    discount_type             smallint,
    min_items_offered         integer,
    is_coupon                 boolean,
    gift_count                integer,
    is_total                  boolean,
    is_active                 boolean,
    club_ids                  text[] NOT NULL DEFAULT '{}',
    file_log_id               bigint,
    seen_at                   timestamptz NOT NULL,
    CONSTRAINT promotions_store_promotion_key UNIQUE (store_id, promotion_id)
);

-- The products a promotion covers. Products first seen in a promotion are created bare (key, code, type); the
-- next price file that lists them fills in their name and details.
CREATE TABLE promotion_items (
    promotion_row_id bigint NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    product_id       bigint NOT NULL REFERENCES products (id),
    is_gift          boolean NOT NULL DEFAULT false,
    PRIMARY KEY (promotion_row_id, product_id)
);
-- "Which promotions cover this product?" (and the products foreign key).
CREATE INDEX promotion_items_product_idx ON promotion_items (product_id);

-- Bare products waiting for a name: kept tiny, so the price path can find them without scanning products.
CREATE INDEX products_unnamed_key_idx ON products (product_key) WHERE name IS NULL;

-- rejects: reason -> count (breaks rows_rejected down); note: something an operator should see on a file that still
-- completed ("empty file", "3 values repaired").
ALTER TABLE file_processing_log
    ADD COLUMN rejects jsonb,
    ADD COLUMN note    text;
