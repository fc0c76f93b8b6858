//! Issued credentials, their revocation/suspension state, and grants (claim links, OpenID4VCI codes,
//! access tokens and nonces, stored only as hashes).

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::audit::{append, Change};
use crate::{get_i64, get_opt_i64, get_opt_str, get_str, now, Actor, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CredentialRecord {
    pub id: String,
    pub provider_id: String,
    pub description_id: String,
    pub version: i64,
    pub learner_email: String,
    pub learner_name: String,
    pub job_id: Option<String>,
    pub job_row: Option<i64>,
    /// `ob3` or `elm`.
    pub format: String,
    /// The signed credential, JSON text.
    #[serde(skip)]
    pub body: String,
    pub status_list_id: String,
    pub status_index: i64,
    /// `active`, `revoked` or `suspended`.
    pub state: String,
    pub reason: Option<String>,
    pub issued_at: String,
}

/// A credential ready to store, with a claim-link hash to store beside it.
#[derive(Debug, Clone)]
pub struct NewCredential {
    pub record: CredentialRecord,
    pub claim_hash: Option<String>,
}

/// What became of one credential insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    Stored,
    /// The learner already holds a credential of this description, or the job row was done before.
    Duplicate,
    /// Another process took the status index meanwhile; allocate another and sign again.
    IndexTaken,
}

fn record(row: &AnyRow) -> Result<CredentialRecord> {
    Ok(CredentialRecord {
        id: get_str(row, "id")?,
        provider_id: get_str(row, "provider_id")?,
        description_id: get_str(row, "description_id")?,
        version: get_i64(row, "version")?,
        learner_email: get_str(row, "learner_email")?,
        learner_name: get_str(row, "learner_name")?,
        job_id: get_opt_str(row, "job_id")?,
        job_row: get_opt_i64(row, "job_row")?,
        format: get_str(row, "format")?,
        body: get_str(row, "body")?,
        status_list_id: get_str(row, "status_list_id")?,
        status_index: get_i64(row, "status_index")?,
        state: get_str(row, "state")?,
        reason: get_opt_str(row, "reason")?,
        issued_at: get_str(row, "issued_at")?,
    })
}

/// Inserts one credential (and its claim grant) inside `tx` without aborting it on a conflict:
/// `ON CONFLICT DO NOTHING`, then a look at which key was taken.
pub(crate) async fn insert(tx: &mut Transaction<'_, Any>, new: &NewCredential) -> Result<Inserted> {
    let c = &new.record;
    let stored = sqlx::query(
        "INSERT INTO credentials (id, provider_id, description_id, version, learner_email, learner_name,
             job_id, job_row, format, body, status_list_id, status_index, state, reason, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'active', NULL, $13)
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(c.id.clone())
    .bind(c.provider_id.clone())
    .bind(c.description_id.clone())
    .bind(c.version)
    .bind(c.learner_email.clone())
    .bind(c.learner_name.clone())
    .bind(c.job_id.clone())
    .bind(c.job_row)
    .bind(c.format.clone())
    .bind(c.body.clone())
    .bind(c.status_list_id.clone())
    .bind(c.status_index)
    .bind(c.issued_at.clone())
    .fetch_optional(&mut **tx)
    .await?;
    if stored.is_none() {
        let duplicate = sqlx::query(
            "SELECT id FROM credentials WHERE (description_id = $1 AND learner_email = $2)
                 OR (job_id = $3 AND job_row = $4) OR id = $5",
        )
        .bind(c.description_id.clone())
        .bind(c.learner_email.clone())
        .bind(c.job_id.clone())
        .bind(c.job_row)
        .bind(c.id.clone())
        .fetch_optional(&mut **tx)
        .await?;
        return Ok(if duplicate.is_some() {
            Inserted::Duplicate
        } else {
            Inserted::IndexTaken
        });
    }
    if let Some(hash) = &new.claim_hash {
        insert_grant(tx, hash, "claim", Some(&c.id), None).await?;
    }
    Ok(Inserted::Stored)
}

pub(crate) async fn insert_grant(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    kind: &str,
    credential_id: Option<&str>,
    expires_at: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO grants (token_hash, kind, credential_id, expires_at, used_at, created_at) VALUES ($1, $2, $3, $4, NULL, $5)")
        .bind(token_hash.to_string())
        .bind(kind.to_string())
        .bind(credential_id.map(str::to_string))
        .bind(expires_at.map(str::to_string))
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Stores one credential issued outside a job (API or single learner); audited.
    pub async fn insert_credential(&self, new: &NewCredential, actor: &Actor) -> Result<Inserted> {
        let mut tx = self.pool.begin().await?;
        let outcome = insert(&mut tx, new).await?;
        if outcome == Inserted::Stored {
            let change = Change {
                entity: "credential",
                entity_id: &new.record.id,
                action: "issue",
                before: None,
                after: Some("active"),
                detail: Some(format!(
                    "{} to {}",
                    new.record.description_id, new.record.learner_email
                )),
            };
            append(&mut tx, actor, change).await?;
            tx.commit().await?;
        }
        Ok(outcome)
    }

    pub async fn credential(&self, id: &str) -> Result<CredentialRecord> {
        let row = sqlx::query("SELECT * FROM credentials WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("credential {id}")))?;
        record(&row)
    }

    pub async fn credentials_of_learner(&self, email: &str) -> Result<Vec<CredentialRecord>> {
        let rows = sqlx::query("SELECT * FROM credentials WHERE learner_email = $1 ORDER BY issued_at, id")
            .bind(email.to_lowercase())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record).collect()
    }

    pub async fn count_credentials(&self, job_id: Option<&str>) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM credentials WHERE ($1 IS NULL OR job_id = $1)")
            .bind(job_id.map(str::to_string))
            .fetch_one(&self.pool)
            .await?;
        get_i64(&row, "n")
    }

    /// Moves a credential to `active`, `revoked` or `suspended` with a reason, in one transaction
    /// with the audit entry and the list's new revision. Revocation is final.
    pub async fn set_credential_state(
        &self,
        id: &str,
        to: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<CredentialRecord> {
        let current = self.credential(id).await?;
        let allowed = matches!(
            (current.state.as_str(), to),
            ("active", "revoked")
                | ("active", "suspended")
                | ("suspended", "revoked")
                | ("suspended", "active")
        );
        if !allowed {
            return Err(StoreError::Conflict(format!(
                "credential {id} is {} and cannot become {to}{}",
                current.state,
                if current.state == "revoked" {
                    " (revocation is permanent)"
                } else {
                    ""
                }
            )));
        }
        let mut tx = self.pool.begin().await?;
        let changed =
            sqlx::query("UPDATE credentials SET state = $1, reason = $2 WHERE id = $3 AND state = $4")
                .bind(to.to_string())
                .bind(reason.to_string())
                .bind(id.to_string())
                .bind(current.state.clone())
                .execute(&mut *tx)
                .await?;
        if changed.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "credential {id} changed meanwhile; try again"
            )));
        }
        sqlx::query("UPDATE status_lists SET revision = revision + 1 WHERE id = $1")
            .bind(current.status_list_id.clone())
            .execute(&mut *tx)
            .await?;
        let action = match to {
            "revoked" => "revoke",
            "suspended" => "suspend",
            _ => "reinstate",
        };
        let change = Change {
            entity: "credential",
            entity_id: id,
            action,
            before: Some(&current.state),
            after: Some(to),
            detail: Some(reason.to_string()),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        self.credential(id).await
    }

    /// Stores a grant (hash of a random secret) for `kind`.
    pub async fn create_grant(
        &self,
        token_hash: &str,
        kind: &str,
        credential_id: Option<&str>,
        expires_at: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_grant(&mut tx, token_hash, kind, credential_id, expires_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The credential a live grant points to, without using it up (claim links can be opened again).
    pub async fn grant_credential(&self, token_hash: &str, kind: &str) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT credential_id FROM grants WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL
                 AND (expires_at IS NULL OR expires_at > $3)",
        )
        .bind(token_hash.to_string())
        .bind(kind.to_string())
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|r| get_opt_str(&r, "credential_id").ok().flatten()))
    }

    /// Uses up a single-use grant: `Some(credential id or "")` the first time, `None` after that or
    /// once expired. The conditional UPDATE makes two concurrent uses impossible.
    pub async fn use_grant(&self, token_hash: &str, kind: &str) -> Result<Option<String>> {
        let at = now();
        let row = sqlx::query(
            "UPDATE grants SET used_at = $1 WHERE token_hash = $2 AND kind = $3 AND used_at IS NULL
                 AND (expires_at IS NULL OR expires_at > $1) RETURNING credential_id",
        )
        .bind(at)
        .bind(token_hash.to_string())
        .bind(kind.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| {
            get_opt_str(&r, "credential_id")
                .ok()
                .flatten()
                .unwrap_or_default()
        }))
    }
}
