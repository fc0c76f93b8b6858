-- The register is listed newest publication first by `seq`: each filter's index ends with it, so a
-- filtered page is read in order and stops after one page.
DROP INDEX register_eqf;
DROP INDEX register_country;
DROP INDEX register_published;
CREATE INDEX register_eqf ON register_entries (eqf, seq);
CREATE INDEX register_country ON register_entries (country, seq);
CREATE INDEX register_provider_seq ON register_entries (provider_id, seq);
DROP INDEX register_provider;
