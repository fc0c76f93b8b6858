//! Roster jobs. A job's rows are stored at upload; workers in any server process claim a job with a
//! lease, and each batch (its credentials, its row errors and the job's progress) is one transaction,
//! so a crash loses at most the batch in flight and the job resumes at `next_row`.

use sqlx::any::AnyRow;

use crate::audit::{append, Change};
use crate::credentials::{insert, Inserted, NewCredential};
use crate::{get_i64, get_opt_str, get_str, now, timestamp, Actor, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JobRecord {
    pub id: String,
    pub provider_id: String,
    pub description_id: String,
    pub version: i64,
    pub format: String,
    #[serde(skip)]
    pub base_url: String,
    pub created_by: String,
    /// queued, running, done or failed.
    pub state: String,
    pub total: i64,
    #[serde(skip)]
    pub next_row: i64,
    pub done: i64,
    pub failed: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One learner of a roster, as uploaded (row numbers are the file's, header = 1).
#[derive(Debug, Clone, PartialEq)]
pub struct JobRow {
    pub row_number: i64,
    pub email: String,
    pub name: String,
    /// Other columns (grade, given/family name, learner id) as a JSON object.
    pub extra: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowError {
    pub row: i64,
    pub column: String,
    pub message: String,
    pub fix: String,
}

/// What a batch commit did.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchOutcome {
    Committed,
    /// Positions (in the batch) whose status index another process took: nothing was written.
    IndexesTaken(Vec<usize>),
    /// The lease passed to another worker: nothing was written.
    LeaseLost,
}

fn record(row: &AnyRow) -> Result<JobRecord> {
    Ok(JobRecord {
        id: get_str(row, "id")?,
        provider_id: get_str(row, "provider_id")?,
        description_id: get_str(row, "description_id")?,
        version: get_i64(row, "version")?,
        format: get_str(row, "format")?,
        base_url: get_str(row, "base_url")?,
        created_by: get_str(row, "created_by")?,
        state: get_str(row, "state")?,
        total: get_i64(row, "total")?,
        next_row: get_i64(row, "next_row")?,
        done: get_i64(row, "done")?,
        failed: get_i64(row, "failed")?,
        message: get_opt_str(row, "message")?,
        created_at: get_str(row, "created_at")?,
        updated_at: get_str(row, "updated_at")?,
    })
}

fn lease_until(seconds: i64) -> String {
    timestamp(chrono::Utc::now() + chrono::Duration::milliseconds(seconds * 1000))
}

const ROWS_PER_INSERT: usize = 400;

impl Store {
    /// Stores a job with its rows and the errors found while reading the file, in one transaction.
    /// `job.total` counts every data row of the file (good and bad).
    pub async fn create_job(
        &self,
        job: &JobRecord,
        rows: &[JobRow],
        errors: &[RowError],
        actor: &Actor,
    ) -> Result<JobRecord> {
        let at = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO jobs (id, provider_id, description_id, version, format, base_url, created_by, state,
                 total, next_row, done, failed, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, 1, 0, $9, $10, $10)",
        )
        .bind(job.id.clone())
        .bind(job.provider_id.clone())
        .bind(job.description_id.clone())
        .bind(job.version)
        .bind(job.format.clone())
        .bind(job.base_url.clone())
        .bind(job.created_by.clone())
        .bind(job.total)
        .bind(
            errors
                .iter()
                .map(|e| e.row)
                .collect::<std::collections::BTreeSet<_>>()
                .len() as i64,
        )
        .bind(at)
        .execute(&mut *tx)
        .await?;
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    format!(
                        "($1, ${}, ${}, ${}, ${})",
                        4 * i + 2,
                        4 * i + 3,
                        4 * i + 4,
                        4 * i + 5
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO job_rows (job_id, row_number, email, name, extra) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql).bind(job.id.clone());
            for row in chunk {
                query = query
                    .bind(row.row_number)
                    .bind(row.email.clone())
                    .bind(row.name.clone())
                    .bind(row.extra.clone());
            }
            query.execute(&mut *tx).await?;
        }
        for error in errors {
            insert_error(&mut tx, &job.id, error).await?;
        }
        let change = Change {
            entity: "job",
            entity_id: &job.id,
            action: "create",
            before: None,
            after: Some("queued"),
            detail: Some(format!(
                "{} rows of {} v{}",
                job.total, job.description_id, job.version
            )),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        self.job(&job.id).await
    }

    pub async fn job(&self, id: &str) -> Result<JobRecord> {
        let row = sqlx::query("SELECT * FROM jobs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("job {id}")))?;
        record(&row)
    }

    /// Claims the oldest unfinished job whose lease is free or expired, for `owner`.
    pub async fn claim_job(&self, owner: &str, lease_seconds: i64) -> Result<Option<JobRecord>> {
        let at = now();
        let row = sqlx::query(
            "UPDATE jobs SET lease_owner = $1, lease_until = $2, state = 'running', updated_at = $3
             WHERE id = (SELECT id FROM jobs WHERE state IN ('queued', 'running')
                             AND (lease_until IS NULL OR lease_until < $3) ORDER BY created_at, id LIMIT 1)
               AND state IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < $3)
             RETURNING *",
        )
        .bind(owner.to_string())
        .bind(lease_until(lease_seconds))
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(record).transpose()
    }

    /// The next `limit` stored rows from row number `from` on.
    pub async fn job_rows(&self, job_id: &str, from: i64, limit: i64) -> Result<Vec<JobRow>> {
        let rows = sqlx::query(
            "SELECT row_number, email, name, extra FROM job_rows WHERE job_id = $1 AND row_number >= $2
             ORDER BY row_number LIMIT $3",
        )
        .bind(job_id.to_string())
        .bind(from)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(JobRow {
                    row_number: get_i64(r, "row_number")?,
                    email: get_str(r, "email")?,
                    name: get_str(r, "name")?,
                    extra: get_str(r, "extra")?,
                })
            })
            .collect()
    }

    pub async fn job_errors(&self, job_id: &str) -> Result<Vec<RowError>> {
        let rows = sqlx::query(
            "SELECT row_number, column_name, message, fix FROM job_errors WHERE job_id = $1 ORDER BY row_number, column_name",
        )
        .bind(job_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RowError {
                    row: get_i64(r, "row_number")?,
                    column: get_str(r, "column_name")?,
                    message: get_str(r, "message")?,
                    fix: get_str(r, "fix")?,
                })
            })
            .collect()
    }

    /// Commits one batch: the credentials, the rows' errors, and the job's progress up to `next_row`,
    /// if `owner` still holds the lease (which is extended).
    pub async fn commit_batch(
        &self,
        job_id: &str,
        owner: &str,
        lease_seconds: i64,
        next_row: i64,
        credentials: &[NewCredential],
        errors: &[RowError],
    ) -> Result<BatchOutcome> {
        // Two processes filling one status list can each wait on a slot the other inserted but has not
        // committed yet; PostgreSQL breaks that deadlock by aborting one of the transactions. The
        // aborted batch was rolled back whole, so it is tried again: by then the other batch has
        // committed, and a slot it took shows as `IndexesTaken`.
        let mut attempts = 0;
        loop {
            let outcome = self
                .try_commit_batch(job_id, owner, lease_seconds, next_row, credentials, errors)
                .await;
            match outcome {
                Err(StoreError::Database(error)) if is_transient(&error) && attempts < 5 => attempts += 1,
                other => return other,
            }
        }
    }

    async fn try_commit_batch(
        &self,
        job_id: &str,
        owner: &str,
        lease_seconds: i64,
        next_row: i64,
        credentials: &[NewCredential],
        errors: &[RowError],
    ) -> Result<BatchOutcome> {
        let mut tx = self.pool.begin().await?;
        let mut taken = Vec::new();
        let mut duplicates = Vec::new();
        for (position, credential) in credentials.iter().enumerate() {
            match insert(&mut tx, credential).await? {
                Inserted::Stored => {}
                Inserted::Duplicate => duplicates.push(position),
                Inserted::IndexTaken => taken.push(position),
            }
        }
        if !taken.is_empty() {
            tx.rollback().await?;
            return Ok(BatchOutcome::IndexesTaken(taken));
        }
        let mut failed_rows: std::collections::BTreeSet<i64> = errors.iter().map(|e| e.row).collect();
        for error in errors {
            insert_error(&mut tx, job_id, error).await?;
        }
        for position in &duplicates {
            let c = &credentials[*position].record;
            let row = c.job_row.unwrap_or_default();
            failed_rows.insert(row);
            let error = RowError {
                row,
                column: "email".into(),
                message: format!("{} already holds a credential of this description", c.learner_email),
                fix: "nothing to do: a learner is issued a description once; revoke the old credential first to replace it".into(),
            };
            insert_error(&mut tx, job_id, &error).await?;
        }
        let done = (credentials.len() - duplicates.len()) as i64;
        let at = now();
        let updated = sqlx::query(
            "UPDATE jobs SET next_row = $1, done = done + $2, failed = failed + $3, lease_until = $4, updated_at = $5,
                 state = CASE WHEN done + $2 + failed + $3 >= total THEN 'done' ELSE 'running' END
             WHERE id = $6 AND lease_owner = $7",
        )
        .bind(next_row)
        .bind(done)
        .bind(failed_rows.len() as i64)
        .bind(lease_until(lease_seconds))
        .bind(at)
        .bind(job_id.to_string())
        .bind(owner.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(BatchOutcome::LeaseLost);
        }
        tx.commit().await?;
        Ok(BatchOutcome::Committed)
    }

    /// Ends a job (no rows left, or a failure that concerns every row) and frees its lease.
    pub async fn finish_job(
        &self,
        job_id: &str,
        owner: &str,
        state: &str,
        message: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET state = $1, message = $2, lease_owner = NULL, lease_until = NULL, updated_at = $3
             WHERE id = $4 AND lease_owner = $5",
        )
        .bind(state.to_string())
        .bind(message.map(str::to_string))
        .bind(now())
        .bind(job_id.to_string())
        .bind(owner.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

async fn insert_error(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    job_id: &str,
    error: &RowError,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO job_errors (job_id, row_number, column_name, message, fix) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING",
    )
    .bind(job_id.to_string())
    .bind(error.row)
    .bind(error.column.clone())
    .bind(error.message.clone())
    .bind(error.fix.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A deadlock or serialization failure: the transaction was rolled back and may simply run again.
fn is_transient(error: &sqlx::Error) -> bool {
    let code = error.as_database_error().and_then(|e| e.code());
    matches!(code.as_deref(), Some("40P01") | Some("40001"))
}
