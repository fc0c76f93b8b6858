-- The register is listed newest publication first by `seq`. SQLite appends the rowid (`seq`) to every
-- index, so single-column indexes already serve "filter, then newest first".
DROP INDEX register_eqf;
DROP INDEX register_country;
DROP INDEX register_published;
CREATE INDEX register_eqf ON register_entries (eqf);
CREATE INDEX register_country ON register_entries (country);
-- Every filter column in one narrow index: counting and collecting few matches read only this index.
CREATE INDEX register_filters ON register_entries (eqf, country, isced, credits, stackable, provider_id, profile, modes);
