-- price_history loses its surrogate id and the (changed_at, id) primary key. Nothing ever read the id: history is
-- appended by COPY and read by store and product over time, which price_history_store_product_idx serves (as does
-- the writer's in-file correction, UPDATE … WHERE store_id, product_id, changed_at, file_log_id). Yet every appended
-- row paid a nextval() and a second index entry: on 300,000 rows of a first load (psql, binary COPY) the table took
-- 1.34–2.10 s with them and 0.92–1.13 s without, ≈ 2.5 µs of the server per price written, on the busiest write
-- of a day. Both are metadata changes here: no row is rewritten, the owned id sequence goes with its column.
ALTER TABLE price_history DROP CONSTRAINT price_history_pkey;
ALTER TABLE price_history DROP COLUMN id;
