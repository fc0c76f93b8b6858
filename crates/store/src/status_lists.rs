//! Bitstring Status List groups. A credential holds one index in a group; the group is published as
//! two lists (`<id>-revocation`, `<id>-suspension`) whose bits are the credentials' states. The signed
//! list documents are cached here and rebuilt when the group's `revision` has moved on.

use sqlx::any::AnyRow;

use crate::{get_i64, get_str, new_id, now, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct StatusListRecord {
    pub id: String,
    pub provider_id: String,
    pub size: i64,
    pub revision: i64,
    pub created_at: String,
}

fn record(row: &AnyRow) -> Result<StatusListRecord> {
    Ok(StatusListRecord {
        id: get_str(row, "id")?,
        provider_id: get_str(row, "provider_id")?,
        size: get_i64(row, "size")?,
        revision: get_i64(row, "revision")?,
        created_at: get_str(row, "created_at")?,
    })
}

impl Store {
    pub async fn status_list(&self, id: &str) -> Result<StatusListRecord> {
        let row = sqlx::query("SELECT * FROM status_lists WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("status list {id}")))?;
        record(&row)
    }

    /// The provider's newest list group, if any.
    pub async fn current_status_list(&self, provider_id: &str) -> Result<Option<StatusListRecord>> {
        let row = sqlx::query(
            "SELECT * FROM status_lists WHERE provider_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(provider_id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(record).transpose()
    }

    pub async fn create_status_list(&self, provider_id: &str, size: i64) -> Result<StatusListRecord> {
        let id = new_id("sl");
        sqlx::query("INSERT INTO status_lists (id, provider_id, size, revision, created_at) VALUES ($1, $2, $3, 0, $4)")
            .bind(id.clone())
            .bind(provider_id.to_string())
            .bind(size)
            .bind(now())
            .execute(&self.pool)
            .await?;
        self.status_list(&id).await
    }

    /// Every index taken in a group (for allocating new ones without collisions).
    pub async fn used_status_indexes(&self, list_id: &str) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT status_index FROM credentials WHERE status_list_id = $1")
            .bind(list_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| get_i64(r, "status_index")).collect()
    }

    /// The indexes whose bit is set in the list of `purpose` (`revocation` or `suspension`).
    pub async fn set_status_indexes(&self, list_id: &str, purpose: &str) -> Result<Vec<i64>> {
        let state = match purpose {
            "revocation" => "revoked",
            "suspension" => "suspended",
            other => return Err(StoreError::NotFound(format!("status purpose {other}"))),
        };
        let rows =
            sqlx::query("SELECT status_index FROM credentials WHERE status_list_id = $1 AND state = $2")
                .bind(list_id.to_string())
                .bind(state)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| get_i64(r, "status_index")).collect()
    }

    /// The cached signed list document and the revision it was built at.
    pub async fn status_document(&self, list_id: &str, purpose: &str) -> Result<Option<(i64, String)>> {
        let row = sqlx::query(
            "SELECT revision, body FROM status_list_documents WHERE list_id = $1 AND purpose = $2",
        )
        .bind(list_id.to_string())
        .bind(purpose.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((get_i64(&r, "revision")?, get_str(&r, "body")?)))
            .transpose()
    }

    /// Caches a signed list document unless a newer revision is already cached (two processes may
    /// rebuild the same list at once).
    pub async fn put_status_document(
        &self,
        list_id: &str,
        purpose: &str,
        revision: i64,
        body: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO status_list_documents (list_id, purpose, revision, body) VALUES ($1, $2, $3, $4)
             ON CONFLICT (list_id, purpose) DO UPDATE SET revision = excluded.revision, body = excluded.body
             WHERE status_list_documents.revision < excluded.revision",
        )
        .bind(list_id.to_string())
        .bind(purpose.to_string())
        .bind(revision)
        .bind(body.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

impl Store {
    /// Status slots held by more than one credential (the UNIQUE constraint should keep this 0; checked
    /// by the crash tests).
    pub async fn status_slot_duplicates(&self) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM (SELECT status_list_id, status_index FROM credentials
                 GROUP BY status_list_id, status_index HAVING COUNT(*) > 1) AS d",
        )
        .fetch_one(&self.pool)
        .await?;
        get_i64(&row, "n")
    }
}
