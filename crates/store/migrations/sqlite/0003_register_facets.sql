-- Equality filters become tokens in the full-text index ("facets", e.g. xeqf6 xctie xis06 xis061
-- xis0613 xmdonline), so text and filters are answered by one intersection of sorted posting lists
-- instead of a row lookup per candidate. Only the credits range stays an SQL condition.
DROP INDEX register_filters;
ALTER TABLE register_entries ADD COLUMN facets TEXT NOT NULL DEFAULT '';
DROP TRIGGER register_fts_insert;
DROP TRIGGER register_fts_delete;
DROP TRIGGER register_fts_update;
DROP TABLE register_fts;
CREATE VIRTUAL TABLE register_fts USING fts5 (
    title, search_text, facets, content = 'register_entries', content_rowid = 'seq'
);
CREATE TRIGGER register_fts_insert AFTER INSERT ON register_entries BEGIN
    INSERT INTO register_fts (rowid, title, search_text, facets)
    VALUES (new.seq, new.title, new.search_text, new.facets);
END;
CREATE TRIGGER register_fts_delete AFTER DELETE ON register_entries BEGIN
    INSERT INTO register_fts (register_fts, rowid, title, search_text, facets)
    VALUES ('delete', old.seq, old.title, old.search_text, old.facets);
END;
CREATE TRIGGER register_fts_update AFTER UPDATE ON register_entries BEGIN
    INSERT INTO register_fts (register_fts, rowid, title, search_text, facets)
    VALUES ('delete', old.seq, old.title, old.search_text, old.facets);
    INSERT INTO register_fts (rowid, title, search_text, facets)
    VALUES (new.seq, new.title, new.search_text, new.facets);
END;
INSERT INTO register_fts (register_fts) VALUES ('rebuild');
