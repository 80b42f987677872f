-- 005_refs.sql - reference counts kept by triggers; `blobs` dropped.
--
-- Runs after store.c copied every row of `blobs` into chunks (the content
-- keeps its old hash as its id). From here on the triggers keep every
-- refs column exact, so the collector (store_collect) finds garbage
-- through the partial indexes chunks_dead and contents_dead, a batch at a
-- time, instead of scanning every table.
UPDATE chunks SET refs = c.n
	FROM (SELECT chunk, count(*) AS n FROM content_chunks GROUP BY chunk) AS c
	WHERE c.chunk = chunks.hash;
UPDATE contents SET refs = r.n
	FROM (SELECT h, count(*) AS n FROM (
		SELECT blob AS h FROM nodes WHERE blob IS NOT NULL
		UNION ALL SELECT input FROM nodes WHERE input IS NOT NULL
		UNION ALL SELECT blob FROM link_files) GROUP BY h) AS r
	WHERE r.h = contents.hash;
DROP INDEX nodes_blob;
DROP TABLE blobs;
DROP INDEX nodes_inputs;
CREATE INDEX nodes_inputs ON nodes (parent, name, input, role)
	WHERE role > 0 AND input IS NOT NULL AND kind = 0;

CREATE TRIGGER chunk_ref AFTER INSERT ON content_chunks BEGIN
	UPDATE chunks SET refs = refs + 1 WHERE hash = NEW.chunk;
END;
CREATE TRIGGER chunk_unref AFTER DELETE ON content_chunks BEGIN
	UPDATE chunks SET refs = refs - 1 WHERE hash = OLD.chunk;
END;
CREATE TRIGGER staged_ref AFTER INSERT ON staged BEGIN
	UPDATE chunks SET refs = refs + 1 WHERE hash = NEW.chunk;
END;
CREATE TRIGGER staged_unref AFTER DELETE ON staged BEGIN
	UPDATE chunks SET refs = refs - 1 WHERE hash = OLD.chunk;
END;
CREATE TRIGGER content_gone AFTER DELETE ON contents BEGIN
	DELETE FROM content_chunks WHERE content = OLD.hash;
END;
CREATE TRIGGER chunk_gone AFTER DELETE ON chunks BEGIN
	DELETE FROM bodies WHERE id = OLD.body;
END;
CREATE TRIGGER node_ref AFTER INSERT ON nodes BEGIN
	UPDATE contents SET refs = refs + 1 WHERE hash = NEW.blob;
	UPDATE contents SET refs = refs + 1 WHERE hash = NEW.input;
END;
CREATE TRIGGER node_unref AFTER DELETE ON nodes BEGIN
	UPDATE contents SET refs = refs - 1 WHERE hash = OLD.blob;
	UPDATE contents SET refs = refs - 1 WHERE hash = OLD.input;
END;
CREATE TRIGGER node_blob AFTER UPDATE OF blob ON nodes
	WHEN OLD.blob IS NOT NEW.blob BEGIN
	UPDATE contents SET refs = refs + 1 WHERE hash = NEW.blob;
	UPDATE contents SET refs = refs - 1 WHERE hash = OLD.blob;
END;
CREATE TRIGGER node_input AFTER UPDATE OF input ON nodes
	WHEN OLD.input IS NOT NEW.input BEGIN
	UPDATE contents SET refs = refs + 1 WHERE hash = NEW.input;
	UPDATE contents SET refs = refs - 1 WHERE hash = OLD.input;
END;
CREATE TRIGGER file_ref AFTER INSERT ON link_files BEGIN
	UPDATE contents SET refs = refs + 1 WHERE hash = NEW.blob;
END;
CREATE TRIGGER file_unref AFTER DELETE ON link_files BEGIN
	UPDATE contents SET refs = refs - 1 WHERE hash = OLD.blob;
END;
CREATE TRIGGER file_blob AFTER UPDATE OF blob ON link_files
	WHEN OLD.blob IS NOT NEW.blob BEGIN
	UPDATE contents SET refs = refs + 1 WHERE hash = NEW.blob;
	UPDATE contents SET refs = refs - 1 WHERE hash = OLD.blob;
END;

-- A link input whose committed content is not its link content (written
-- through a descriptor that was never released, docs/store.md): the link
-- lists these in link.log. Normally empty: input = blob.
CREATE INDEX nodes_pending ON nodes (parent)
	WHERE kind = 0 AND role > 0 AND complete = 1 AND input IS NOT blob;
