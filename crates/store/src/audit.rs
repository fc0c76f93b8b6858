//! The append-only audit log: one row per state change, written in the same transaction as the change.
//! The database triggers in the migrations refuse UPDATE and DELETE on it.

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::{get_i64, get_opt_str, get_str, now, Actor, AuditEntry, Result, Store};

/// What changed, for [`append`].
pub(crate) struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub detail: Option<String>,
}

pub(crate) async fn append(tx: &mut Transaction<'_, Any>, actor: &Actor, change: Change<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, entity, entity_id, action, before_state, after_state, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(actor.0.clone())
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(change.action)
    .bind(change.before)
    .bind(change.after)
    .bind(change.detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn entry(row: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: get_i64(row, "seq")?,
        at: get_str(row, "at")?,
        actor_id: get_opt_str(row, "actor_id")?,
        entity: get_str(row, "entity")?,
        entity_id: get_str(row, "entity_id")?,
        action: get_str(row, "action")?,
        before_state: get_opt_str(row, "before_state")?,
        after_state: get_opt_str(row, "after_state")?,
        detail: get_opt_str(row, "detail")?,
    })
}

const COLUMNS: &str = "seq, at, actor_id, entity, entity_id, action, before_state, after_state, detail";

impl Store {
    /// The newest `limit` entries, optionally only those about one entity, newest first.
    pub async fn audit_log(&self, entity_id: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = match entity_id {
            Some(id) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM audit_log WHERE entity_id = $1 ORDER BY seq DESC LIMIT $2"
                ))
                .bind(id.to_string())
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(entry).collect()
    }

    pub async fn audit_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        get_i64(&row, "n")
    }
}
