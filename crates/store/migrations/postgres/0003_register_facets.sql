-- Equality filters become tokens in the tsvector ("facets", weight D), so text and filters are one
-- GIN lookup. Text is weighted A (title) and B (outcomes, skills), and queries restrict words to A/B.
ALTER TABLE register_entries ADD COLUMN facets TEXT NOT NULL DEFAULT '';
DROP INDEX register_tsv;
ALTER TABLE register_entries DROP COLUMN tsv;
ALTER TABLE register_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), 'A')
    || setweight(to_tsvector('simple', search_text), 'B')
    || setweight(to_tsvector('simple', facets), 'D')
) STORED;
CREATE INDEX register_tsv ON register_entries USING GIN (tsv);
