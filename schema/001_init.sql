-- 001_init.sql - the first linkfs store schema.
--
-- blobs:        content-addressed bytes (XXH3-128 of the data).
-- nodes:        the tree. id 1 is the mount root. name is a BLOB of the raw
--               bytes the kernel passed (never truncated, never re-encoded).
--               kind 0 = file, 1 = directory. complete = 0 marks a file
--               created but never flushed; such rows are deleted at startup
--               and never count as link inputs. role: 0 plain file,
--               1 object (*.o), 2 archive or stub (*.a, *.tbd), 3 link.conf.
-- units:        per directory: when its inputs last changed (ns) and the
--               key of its current link result.
-- link_results: one row per kept link, keyed by the hash of the inputs,
--               link.conf and the linker build.
-- link_files:   the executable (idx 0) and the rendered tables (idx 1..12)
--               of a kept link, as blobs.
CREATE TABLE blobs (
	hash BLOB PRIMARY KEY,
	size INTEGER NOT NULL,
	data BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE nodes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: ids are inode numbers
	parent INTEGER NOT NULL,
	name BLOB NOT NULL,
	kind INTEGER NOT NULL,
	mode INTEGER NOT NULL,
	mtime_ns INTEGER NOT NULL,
	ctime_ns INTEGER NOT NULL,
	size INTEGER NOT NULL DEFAULT 0,
	blob BLOB,
	complete INTEGER NOT NULL DEFAULT 1,
	role INTEGER NOT NULL DEFAULT 0,
	UNIQUE (parent, name)
);
CREATE INDEX nodes_blob ON nodes (blob);
CREATE INDEX nodes_role ON nodes (parent, role);

INSERT INTO nodes (id, parent, name, kind, mode, mtime_ns, ctime_ns)
	VALUES (1, 0, x'', 1, 493,
		CAST((julianday('now') - 2440587.5) * 86400000000000 AS INTEGER),
		CAST((julianday('now') - 2440587.5) * 86400000000000 AS INTEGER));

CREATE TABLE units (
	dir INTEGER PRIMARY KEY,
	input_ns INTEGER NOT NULL,
	result_key BLOB
);

CREATE TABLE link_results (
	key BLOB PRIMARY KEY,
	ok INTEGER NOT NULL,
	log BLOB NOT NULL,
	output_name TEXT NOT NULL,
	created_ns INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE link_files (
	key BLOB NOT NULL,
	idx INTEGER NOT NULL,
	blob BLOB NOT NULL,
	PRIMARY KEY (key, idx)
) WITHOUT ROWID;
CREATE INDEX link_files_blob ON link_files (blob);
