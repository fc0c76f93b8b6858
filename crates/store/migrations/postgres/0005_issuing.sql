-- Issuing: provider signing keys (sealed with the server master key), issued credentials with their
-- status-list slot, roster jobs (claimed with a lease so any server process can work on them), and
-- single-purpose grants (claim links, OpenID4VCI pre-authorized codes, access tokens, nonces).

CREATE TABLE issuer_keys (
    provider_id TEXT PRIMARY KEY REFERENCES organisations (id),
    did TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL,
    -- An encrypted key file of crate microcred-vc (XChaCha20-Poly1305); never the plain seed.
    sealed_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One list group serves two Bitstring Status Lists with the same index space: `<id>-revocation` and
-- `<id>-suspension`. `revision` changes with every status change (the ETag of both lists).
CREATE TABLE status_lists (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES organisations (id),
    size BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX status_lists_provider ON status_lists (provider_id, created_at);

-- The signed list credential, cached until the list's revision moves on.
CREATE TABLE status_list_documents (
    list_id TEXT NOT NULL REFERENCES status_lists (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    revision BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (list_id, purpose)
);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES organisations (id),
    description_id TEXT NOT NULL REFERENCES descriptions (id),
    version BIGINT NOT NULL,
    format TEXT NOT NULL,
    base_url TEXT NOT NULL,
    created_by TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    total BIGINT NOT NULL,
    -- Rows below `next_row` are finished (issued, skipped as duplicates, or failed with an error).
    next_row BIGINT NOT NULL DEFAULT 1,
    done BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    message TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX jobs_claimable ON jobs (state, lease_until);

CREATE TABLE job_rows (
    job_id TEXT NOT NULL REFERENCES jobs (id),
    row_number BIGINT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    extra TEXT NOT NULL,
    PRIMARY KEY (job_id, row_number)
);

CREATE TABLE job_errors (
    job_id TEXT NOT NULL REFERENCES jobs (id),
    row_number BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    message TEXT NOT NULL,
    fix TEXT NOT NULL,
    PRIMARY KEY (job_id, row_number, column_name)
);

CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES organisations (id),
    description_id TEXT NOT NULL REFERENCES descriptions (id),
    version BIGINT NOT NULL,
    learner_email TEXT NOT NULL,
    learner_name TEXT NOT NULL,
    job_id TEXT,
    job_row BIGINT,
    format TEXT NOT NULL CHECK (format IN ('ob3', 'elm')),
    body TEXT NOT NULL,
    status_list_id TEXT NOT NULL REFERENCES status_lists (id),
    status_index BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'revoked', 'suspended')),
    reason TEXT,
    issued_at TEXT NOT NULL,
    -- The idempotency keys: a roster row, or a learner of a description, never gets two credentials.
    UNIQUE (description_id, learner_email),
    UNIQUE (job_id, job_row),
    UNIQUE (status_list_id, status_index)
);
CREATE INDEX credentials_email ON credentials (learner_email);
CREATE INDEX credentials_changed ON credentials (status_list_id, state);

CREATE TABLE grants (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('claim', 'pre-authorized-code', 'access-token', 'nonce')),
    credential_id TEXT REFERENCES credentials (id),
    expires_at TEXT,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX grants_credential ON grants (credential_id);
