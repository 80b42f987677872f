-- 003_subdirs_index.sql - the subdirectories of a directory, for st_nlink.
--
-- A directory's link count is 2 + its number of subdirectories (issue 20).
-- store.c reads that count with every node it loads (NODE_COLS), so it must
-- not scan a directory's files: this partial index holds only directory
-- rows, by parent, and a count is one probe (none at all for a file row:
-- the query asks only when kind = 1).
CREATE INDEX nodes_subdirs ON nodes (parent) WHERE kind = 1;
