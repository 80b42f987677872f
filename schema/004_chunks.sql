-- 004_chunks.sql - contents in content-addressed chunks (issue 20).
--
-- A file's content was one row of `blobs`: a file was limited to SQLite's
-- blob limit (1,000,000,000 bytes), a big file's commit held the write
-- lock for as long as it took to write, and old versions were collected
-- only now and then. Now:
-- bodies:         the bytes of one chunk (a rowid table: a big row must
--                 not sit in a WITHOUT ROWID b-tree).
-- chunks:         a chunk by XXH3-128 of its bytes, at most STORE_CHUNK
--                 (1 MiB); refs counts content_chunks and staged rows.
-- contents:       a file's content by its id (store.c: XXH3-128 over its
--                 size and its (index, chunk) list); refs counts nodes.blob,
--                 nodes.input and link_files.blob.
-- content_chunks: chunk idx of a content covers bytes [idx*1 MiB, ...);
--                 a missing idx is a hole (zeros).
-- staged:         chunks written ahead of a commit by one writer (token);
--                 dropped at the commit, and all of them at startup.
-- nodes.input:    the content a link takes for this file: the one the
--                 last writable handle left (blob is what a read shows,
--                 committed at every close; see docs/store.md).
-- 005 moves the old blobs over (store.c), counts references, adds the
-- triggers and drops `blobs`.
CREATE TABLE bodies (
	id INTEGER PRIMARY KEY,
	data BLOB NOT NULL
);
CREATE TABLE chunks (
	hash BLOB PRIMARY KEY,
	size INTEGER NOT NULL,
	body INTEGER NOT NULL,
	refs INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX chunks_dead ON chunks (hash) WHERE refs = 0;
CREATE TABLE contents (
	hash BLOB PRIMARY KEY,
	size INTEGER NOT NULL,
	refs INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX contents_dead ON contents (hash) WHERE refs = 0;
CREATE TABLE content_chunks (
	content BLOB NOT NULL,
	idx INTEGER NOT NULL,
	chunk BLOB NOT NULL,
	PRIMARY KEY (content, idx)
) WITHOUT ROWID;
CREATE TABLE staged (
	token INTEGER NOT NULL,
	chunk BLOB NOT NULL
);
CREATE INDEX staged_token ON staged (token);
ALTER TABLE nodes ADD COLUMN input BLOB;
UPDATE nodes SET input = blob WHERE kind = 0 AND complete = 1;
