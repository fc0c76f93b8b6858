-- Accounts, the QA workflow on versioned descriptions, accreditations, the public register and the
-- append-only audit log. Times are RFC 3339 UTC text so both backends sort and compare them alike.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('authority', 'provider', 'receiver')),
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    uri TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'authority', 'provider', 'receiver', 'learner')),
    organisation_id TEXT REFERENCES organisations (id),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT
);

CREATE TABLE descriptions (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES organisations (id),
    authority_id TEXT NOT NULL REFERENCES organisations (id),
    profile TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'in-review', 'changes-requested', 'approved',
                                         'rejected', 'published', 'withdrawn')),
    current_version BIGINT NOT NULL,
    published_version BIGINT,
    requires_revalidation BIGINT NOT NULL DEFAULT 0,
    row_version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX descriptions_provider ON descriptions (provider_id);
CREATE INDEX descriptions_authority ON descriptions (authority_id);

CREATE TABLE description_versions (
    description_id TEXT NOT NULL REFERENCES descriptions (id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    report TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    published_at TEXT,
    PRIMARY KEY (description_id, version)
);

CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    description_id TEXT NOT NULL REFERENCES descriptions (id),
    version BIGINT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    pointer TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX comments_description ON comments (description_id);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    description_id TEXT NOT NULL REFERENCES descriptions (id),
    version BIGINT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES users (id),
    decision TEXT NOT NULL,
    profile TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    report TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX decisions_description ON decisions (description_id);

CREATE TABLE accreditations (
    id TEXT PRIMARY KEY,
    authority_id TEXT NOT NULL REFERENCES organisations (id),
    provider_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('institutional', 'programme')),
    description_id TEXT REFERENCES descriptions (id),
    eqf_levels TEXT NOT NULL,
    isced_fields TEXT NOT NULL,
    countries TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE register_entries (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    search_text TEXT NOT NULL,
    summary TEXT NOT NULL,
    eqf BIGINT,
    isced TEXT,
    country TEXT,
    credits DOUBLE PRECISION,
    modes TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    profile TEXT NOT NULL,
    stackable BIGINT NOT NULL,
    published_at TEXT NOT NULL,
    -- 'simple' configuration: titles and outcomes come in every EU language, so no stemming.
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', search_text)
    ) STORED
);
CREATE INDEX register_eqf ON register_entries (eqf, published_at);
CREATE INDEX register_isced ON register_entries (isced text_pattern_ops);
CREATE INDEX register_country ON register_entries (country, published_at);
CREATE INDEX register_credits ON register_entries (credits);
CREATE INDEX register_provider ON register_entries (provider_id);
CREATE INDEX register_published ON register_entries (published_at);
CREATE INDEX register_tsv ON register_entries USING GIN (tsv);

CREATE TABLE audit_log (
    seq BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    detail TEXT
);
CREATE INDEX audit_entity ON audit_log (entity_id);
-- The audit log is evidence: the database itself refuses to change or remove a row.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
