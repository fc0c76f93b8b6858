//! Share links of the learner wallet: one link to several credentials, with an expiry, revocable.
//! Only the hash of the link's token is stored.

use sqlx::any::AnyRow;

use crate::audit::{append, Change};
use crate::{get_opt_str, get_str, now, Actor, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Share {
    pub id: String,
    pub owner_email: String,
    pub label: String,
    pub credential_ids: Vec<String>,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub created_at: String,
}

impl Share {
    /// Not revoked and not expired at `at` (RFC 3339 text, which sorts as time).
    pub fn is_open(&self, at: &str) -> bool {
        self.revoked_at.is_none() && self.expires_at.as_str() > at
    }
}

fn share(row: &AnyRow) -> Result<Share> {
    let ids = get_str(row, "credential_ids")?;
    Ok(Share {
        id: get_str(row, "id")?,
        owner_email: get_str(row, "owner_email")?,
        label: get_str(row, "label")?,
        credential_ids: serde_json::from_str(&ids)
            .map_err(|_| StoreError::Corrupt(format!("share ids {ids:?}")))?,
        expires_at: get_str(row, "expires_at")?,
        revoked_at: get_opt_str(row, "revoked_at")?,
        created_at: get_str(row, "created_at")?,
    })
}

impl Store {
    pub async fn create_share(&self, share: &Share, token_hash: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO shares (id, token_hash, owner_email, label, credential_ids, expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(share.id.clone())
        .bind(token_hash.to_string())
        .bind(share.owner_email.to_lowercase())
        .bind(share.label.clone())
        .bind(serde_json::to_string(&share.credential_ids).unwrap_or_default())
        .bind(share.expires_at.clone())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let change = Change {
            entity: "share",
            entity_id: &share.id,
            action: "share",
            before: None,
            after: Some("open"),
            detail: Some(format!(
                "{} credential(s) until {}",
                share.credential_ids.len(),
                share.expires_at
            )),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The share behind a token hash, whatever its state (the caller decides what expired means).
    pub async fn share_by_token(&self, token_hash: &str) -> Result<Option<Share>> {
        let row = sqlx::query("SELECT * FROM shares WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(share).transpose()
    }

    pub async fn shares_of(&self, owner_email: &str) -> Result<Vec<Share>> {
        let rows = sqlx::query("SELECT * FROM shares WHERE owner_email = $1 ORDER BY created_at DESC, id")
            .bind(owner_email.to_lowercase())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(share).collect()
    }

    /// Revoke one of the owner's shares; `NotFound` if it is not theirs or already revoked.
    pub async fn revoke_share(&self, id: &str, owner_email: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE shares SET revoked_at = $1 WHERE id = $2 AND owner_email = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id.to_string())
        .bind(owner_email.to_lowercase())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("share {id}")));
        }
        let change = Change {
            entity: "share",
            entity_id: id,
            action: "revoke",
            before: Some("open"),
            after: Some("revoked"),
            detail: None,
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
