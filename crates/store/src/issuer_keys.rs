//! Provider signing keys. The store only ever sees the sealed (encrypted) key file; sealing and
//! opening happen in the server with the master key, so a database dump reveals no signing key.

use sqlx::any::AnyRow;

use crate::{get_str, now, Result, Store};

#[derive(Debug, Clone, PartialEq)]
pub struct IssuerKeyRecord {
    pub provider_id: String,
    /// The issuer identifier credentials carry, e.g. `did:web:example.org:issuers:atu`.
    pub did: String,
    /// `z6Mk...` Multikey.
    pub public_key: String,
    /// An encrypted key file (crate microcred-vc `keyfile`).
    pub sealed_key: String,
    pub created_at: String,
}

fn record(row: &AnyRow) -> Result<IssuerKeyRecord> {
    Ok(IssuerKeyRecord {
        provider_id: get_str(row, "provider_id")?,
        did: get_str(row, "did")?,
        public_key: get_str(row, "public_key")?,
        sealed_key: get_str(row, "sealed_key")?,
        created_at: get_str(row, "created_at")?,
    })
}

impl Store {
    pub async fn issuer_key(&self, provider_id: &str) -> Result<Option<IssuerKeyRecord>> {
        let row = sqlx::query("SELECT * FROM issuer_keys WHERE provider_id = $1")
            .bind(provider_id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record).transpose()
    }

    pub async fn issuer_key_by_did(&self, did: &str) -> Result<Option<IssuerKeyRecord>> {
        let row = sqlx::query("SELECT * FROM issuer_keys WHERE did = $1")
            .bind(did.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record).transpose()
    }

    pub async fn issuer_keys(&self) -> Result<Vec<IssuerKeyRecord>> {
        let rows = sqlx::query("SELECT * FROM issuer_keys ORDER BY provider_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record).collect()
    }

    /// Stores a provider's first key; when another server process stored one first, that one wins
    /// and is returned (so every process signs with the same key).
    pub async fn insert_issuer_key(&self, new: &IssuerKeyRecord) -> Result<IssuerKeyRecord> {
        sqlx::query(
            "INSERT INTO issuer_keys (provider_id, did, public_key, sealed_key, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(new.provider_id.clone())
        .bind(new.did.clone())
        .bind(new.public_key.clone())
        .bind(new.sealed_key.clone())
        .bind(now())
        .execute(&self.pool)
        .await?;
        self.issuer_key(&new.provider_id)
            .await?
            .ok_or_else(|| crate::StoreError::NotFound(format!("issuer key of {}", new.provider_id)))
    }
}

impl Store {
    /// The SQLite database file (for files kept beside it), or `None` on PostgreSQL.
    pub async fn sqlite_file(&self) -> Result<Option<std::path::PathBuf>> {
        if self.backend != crate::Backend::Sqlite {
            return Ok(None);
        }
        let rows = sqlx::query("SELECT name, file FROM pragma_database_list WHERE name = 'main'")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .first()
            .and_then(|r| crate::get_opt_str(r, "file").ok().flatten())
            .filter(|f| !f.is_empty())
            .map(std::path::PathBuf::from))
    }
}
