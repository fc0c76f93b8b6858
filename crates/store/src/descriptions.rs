//! Versioned descriptions and their workflow. A change is applied only if the record still has the
//! `row_version` and state the caller read and checked: the UPDATE's WHERE clause is the lock, so two
//! servers deciding at once cannot both win, and the loser gets `Conflict` instead of a lost update.

use sqlx::any::AnyRow;

use crate::audit::{append, Change};
use crate::register::insert_entry;
use crate::{
    get_i64, get_opt_i64, get_opt_str, get_str, map_unique, new_id, now, parse, Actor, Comment, Decision,
    DescriptionRecord, RegisterEntry, Result, State, Store, StoreError, Version,
};

pub struct NewDescription {
    pub id: String,
    pub provider_id: String,
    pub authority_id: String,
    pub profile: String,
    /// The description as JSON text.
    pub body: String,
}

/// Which descriptions a listing may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Those of one provider.
    Provider(String),
    /// Those submitted to this authority, or from providers in its country.
    Authority {
        id: String,
        country: String,
    },
}

/// A decision to record with a transition.
pub struct NewDecision {
    pub decision: String,
    pub profile: String,
    pub rules_version: String,
    pub report: String,
    pub note: Option<String>,
}

/// One workflow step, applied atomically by [`Store::apply`].
pub struct Transition {
    /// Name for the audit log, e.g. "submit".
    pub action: &'static str,
    pub to: State,
    /// A new version body (JSON text): editing always makes a new version.
    pub new_body: Option<String>,
    /// The compliance report (JSON text) to attach to the resulting current version.
    pub report: Option<String>,
    pub requires_revalidation: Option<bool>,
    pub decision: Option<NewDecision>,
    /// Make the resulting current version the published (issuable) one, with this register entry.
    pub publish: Option<RegisterEntry>,
    /// Take the description out of the register.
    pub unpublish: bool,
    pub detail: Option<String>,
}

impl Transition {
    pub fn to(action: &'static str, to: State) -> Transition {
        Transition {
            action,
            to,
            new_body: None,
            report: None,
            requires_revalidation: None,
            decision: None,
            publish: None,
            unpublish: false,
            detail: None,
        }
    }
}

fn record(row: &AnyRow) -> Result<DescriptionRecord> {
    Ok(DescriptionRecord {
        id: get_str(row, "id")?,
        provider_id: get_str(row, "provider_id")?,
        authority_id: get_str(row, "authority_id")?,
        profile: get_str(row, "profile")?,
        state: parse(&get_str(row, "state")?, "state")?,
        current_version: get_i64(row, "current_version")?,
        published_version: get_opt_i64(row, "published_version")?,
        requires_revalidation: get_i64(row, "requires_revalidation")? != 0,
        row_version: get_i64(row, "row_version")?,
        created_at: get_str(row, "created_at")?,
        updated_at: get_str(row, "updated_at")?,
    })
}

fn version(row: &AnyRow) -> Result<Version> {
    Ok(Version {
        description_id: get_str(row, "description_id")?,
        version: get_i64(row, "version")?,
        body: get_str(row, "body")?,
        report: get_opt_str(row, "report")?,
        created_by: get_str(row, "created_by")?,
        created_at: get_str(row, "created_at")?,
        published_at: get_opt_str(row, "published_at")?,
    })
}

const RECORD_COLUMNS: &str = "d.id, d.provider_id, d.authority_id, d.profile, d.state, d.current_version, \
     d.published_version, d.requires_revalidation, d.row_version, d.created_at, d.updated_at";

impl Store {
    pub async fn create_description(&self, new: &NewDescription, actor: &Actor) -> Result<DescriptionRecord> {
        let at = now();
        let created_by = actor.0.clone().unwrap_or_else(|| "system".into());
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO descriptions (id, provider_id, authority_id, profile, state, current_version,
                 published_version, requires_revalidation, row_version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'draft', 1, NULL, 0, 1, $5, $5)",
        )
        .bind(new.id.clone())
        .bind(new.provider_id.clone())
        .bind(new.authority_id.clone())
        .bind(new.profile.clone())
        .bind(at.clone())
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, format!("description {}", new.id)))?;
        sqlx::query(
            "INSERT INTO description_versions (description_id, version, body, created_by, created_at)
             VALUES ($1, 1, $2, $3, $4)",
        )
        .bind(new.id.clone())
        .bind(new.body.clone())
        .bind(created_by)
        .bind(at.clone())
        .execute(&mut *tx)
        .await?;
        let change = Change {
            entity: "description",
            entity_id: &new.id,
            action: "create",
            before: None,
            after: Some("draft"),
            detail: Some("version 1".into()),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(DescriptionRecord {
            id: new.id.clone(),
            provider_id: new.provider_id.clone(),
            authority_id: new.authority_id.clone(),
            profile: new.profile.clone(),
            state: State::Draft,
            current_version: 1,
            published_version: None,
            requires_revalidation: false,
            row_version: 1,
            created_at: at.clone(),
            updated_at: at,
        })
    }

    pub async fn description(&self, id: &str) -> Result<DescriptionRecord> {
        let row = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM descriptions d WHERE d.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("description {id}")))?;
        record(&row)
    }

    pub async fn descriptions(&self, scope: &Scope, state: Option<State>) -> Result<Vec<DescriptionRecord>> {
        let state = state.map(|s| s.as_str().to_string());
        let base = format!(
            "SELECT {RECORD_COLUMNS} FROM descriptions d JOIN organisations p ON p.id = d.provider_id"
        );
        let order = "ORDER BY d.updated_at DESC, d.id";
        let (clause, binds) = match scope {
            Scope::All => ("", vec![]),
            Scope::Provider(id) => ("AND d.provider_id = $2", vec![id.clone()]),
            Scope::Authority { id, country } => (
                "AND (d.authority_id = $2 OR p.country = $3)",
                vec![id.clone(), country.clone()],
            ),
        };
        let sql = format!("{base} WHERE ($1 IS NULL OR d.state = $1) {clause} {order}");
        let mut query = sqlx::query(&sql).bind(state);
        for value in binds {
            query = query.bind(value);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(record).collect()
    }

    pub async fn version(&self, id: &str, number: i64) -> Result<Version> {
        let row =
            sqlx::query("SELECT * FROM description_versions WHERE description_id = $1 AND version = $2")
                .bind(id.to_string())
                .bind(number)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("version {number} of description {id}")))?;
        version(&row)
    }

    pub async fn versions(&self, id: &str) -> Result<Vec<Version>> {
        let rows =
            sqlx::query("SELECT * FROM description_versions WHERE description_id = $1 ORDER BY version")
                .bind(id.to_string())
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(version).collect()
    }

    /// Apply one workflow step to the description as it was read (`read`), atomically with its audit
    /// entry. Fails with `Conflict` when someone else changed the description in between.
    pub async fn apply(
        &self,
        read: &DescriptionRecord,
        step: Transition,
        actor: &Actor,
    ) -> Result<DescriptionRecord> {
        let at = now();
        let current_version = read.current_version + i64::from(step.new_body.is_some());
        let published_version = if step.publish.is_some() {
            Some(current_version)
        } else if step.unpublish {
            None
        } else {
            read.published_version
        };
        let requires_revalidation = step.requires_revalidation.unwrap_or(read.requires_revalidation);
        let mut tx = self.pool.begin().await?;
        // Written first in the transaction so SQLite takes the write lock before any read (no stale
        // snapshot to upgrade), and so the row_version check and the change are one statement.
        let updated = sqlx::query(
            "UPDATE descriptions SET state = $1, current_version = $2, published_version = $3,
                 requires_revalidation = $4, row_version = row_version + 1, updated_at = $5
             WHERE id = $6 AND row_version = $7 AND state = $8",
        )
        .bind(step.to.as_str())
        .bind(current_version)
        .bind(published_version)
        .bind(i64::from(requires_revalidation))
        .bind(at.clone())
        .bind(read.id.clone())
        .bind(read.row_version)
        .bind(read.state.as_str())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "description {} changed since it was read (row version {}); fetch it again and retry",
                read.id, read.row_version
            )));
        }
        let actor_id = actor.0.clone().unwrap_or_else(|| "system".into());
        if let Some(body) = &step.new_body {
            sqlx::query(
                "INSERT INTO description_versions (description_id, version, body, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(read.id.clone())
            .bind(current_version)
            .bind(body.clone())
            .bind(actor_id.clone())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
        }
        if let Some(report) = &step.report {
            sqlx::query(
                "UPDATE description_versions SET report = $1 WHERE description_id = $2 AND version = $3",
            )
            .bind(report.clone())
            .bind(read.id.clone())
            .bind(current_version)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(decision) = &step.decision {
            sqlx::query(
                "INSERT INTO decisions (id, description_id, version, decided_by, decision, profile, rules_version,
                     report, note, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(new_id("dec"))
            .bind(read.id.clone())
            .bind(current_version)
            .bind(actor_id.clone())
            .bind(decision.decision.clone())
            .bind(decision.profile.clone())
            .bind(decision.rules_version.clone())
            .bind(decision.report.clone())
            .bind(decision.note.clone())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
        }
        if step.unpublish || step.publish.is_some() {
            sqlx::query("DELETE FROM register_entries WHERE id = $1")
                .bind(read.id.clone())
                .execute(&mut *tx)
                .await?;
        }
        if let Some(entry) = &step.publish {
            sqlx::query("UPDATE description_versions SET published_at = $1 WHERE description_id = $2 AND version = $3")
                .bind(at.clone())
                .bind(read.id.clone())
                .bind(current_version)
                .execute(&mut *tx)
                .await?;
            insert_entry(&mut tx, entry).await?;
        }
        let detail = match &step.detail {
            Some(detail) => format!("version {current_version}: {detail}"),
            None => format!("version {current_version}"),
        };
        let change = Change {
            entity: "description",
            entity_id: &read.id,
            action: step.action,
            before: Some(read.state.as_str()),
            after: Some(step.to.as_str()),
            detail: Some(detail),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(DescriptionRecord {
            state: step.to,
            current_version,
            published_version,
            requires_revalidation,
            row_version: read.row_version + 1,
            updated_at: at,
            ..read.clone()
        })
    }

    pub async fn add_comment(&self, comment: &Comment, actor: &Actor) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO comments (id, description_id, version, author_id, body, pointer, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(comment.id.clone())
        .bind(comment.description_id.clone())
        .bind(comment.version)
        .bind(comment.author_id.clone())
        .bind(comment.body.clone())
        .bind(comment.pointer.clone())
        .bind(comment.created_at.clone())
        .execute(&mut *tx)
        .await?;
        let change = Change {
            entity: "description",
            entity_id: &comment.description_id,
            action: "comment",
            before: None,
            after: None,
            detail: Some(format!("comment {} on version {}", comment.id, comment.version)),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn comments(&self, description_id: &str) -> Result<Vec<Comment>> {
        let rows = sqlx::query("SELECT * FROM comments WHERE description_id = $1 ORDER BY created_at, id")
            .bind(description_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Comment {
                    id: get_str(row, "id")?,
                    description_id: get_str(row, "description_id")?,
                    version: get_i64(row, "version")?,
                    author_id: get_str(row, "author_id")?,
                    body: get_str(row, "body")?,
                    pointer: get_opt_str(row, "pointer")?,
                    created_at: get_str(row, "created_at")?,
                })
            })
            .collect()
    }

    pub async fn decisions(&self, description_id: &str) -> Result<Vec<Decision>> {
        let rows = sqlx::query("SELECT * FROM decisions WHERE description_id = $1 ORDER BY created_at, id")
            .bind(description_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Decision {
                    id: get_str(row, "id")?,
                    description_id: get_str(row, "description_id")?,
                    version: get_i64(row, "version")?,
                    decided_by: get_str(row, "decided_by")?,
                    decision: get_str(row, "decision")?,
                    profile: get_str(row, "profile")?,
                    rules_version: get_str(row, "rules_version")?,
                    report: get_str(row, "report")?,
                    note: get_opt_str(row, "note")?,
                    created_at: get_str(row, "created_at")?,
                })
            })
            .collect()
    }
}
