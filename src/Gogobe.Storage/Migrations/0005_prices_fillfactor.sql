-- Room on every page of prices for the day's changed rows: an update that finds room on its own page is a HOT update
-- (no new primary-key entry, since only store_id and product_id are indexed, and pruned on the page itself), where a
-- full page sends the new version elsewhere and adds an index entry that vacuum must clear later. A day changes a few
-- per cent of a store's prices; 10 % room holds them. Applies to pages written from now on.
ALTER TABLE prices SET (fillfactor = 90);
