-- 006_history.sql - each unit's last links, for its .history directory
-- (issue 24).
--
-- history:          generation gen of unit dir is the kept link result
--                   key, kept at created_ns (wall clock, ns); ok as in
--                   link_results. A row references the result: the
--                   result, its link_files and so its contents stay while
--                   a row names it (store_gc), and a result shared by
--                   two rows (or by a row and units.result_key) is stored
--                   once. store.c adds a row when the keeper keeps a
--                   result and drops the oldest past the unit's bound
--                   (link.conf `history`).
-- units.generation: the unit's latest generation number; numbers are
--                   never reused, even after every row was dropped.
CREATE TABLE history (
	dir INTEGER NOT NULL,
	gen INTEGER NOT NULL,
	key BLOB NOT NULL,
	ok INTEGER NOT NULL,
	created_ns INTEGER NOT NULL,
	PRIMARY KEY (dir, gen)
) WITHOUT ROWID;
CREATE INDEX history_key ON history (key);
ALTER TABLE units ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
