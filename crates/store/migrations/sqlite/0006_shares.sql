-- Share links made by learners in their wallet: several credentials behind one random link, with an
-- expiry the learner chose, revocable at any time. The link's token is stored only as a SHA-256 hash.
CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    owner_email TEXT NOT NULL,
    label TEXT NOT NULL,
    -- JSON array of credential ids.
    credential_ids TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX shares_owner ON shares (owner_email, created_at);
