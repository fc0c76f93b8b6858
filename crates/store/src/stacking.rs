//! Stacking decisions (issue #7): what a receiving organisation decided on an evaluation of a learner's
//! credentials against a qualification. Recording a decision awards nothing; issuing the larger
//! credential is a separate, deliberate step (`microcred stack award`).

use sqlx::any::AnyRow;

use crate::audit::{append, Change};
use crate::{get_str, Actor, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StackingDecision {
    pub id: String,
    pub organisation_id: String,
    pub qualification: String,
    pub learner: String,
    /// `awarded`, `refused` or `deferred`.
    pub outcome: String,
    pub reasons: Vec<String>,
    /// The evaluation the decision was taken on, as given.
    pub evaluation: serde_json::Value,
    /// The user who recorded it.
    pub decided_by: String,
    pub decided_at: String,
}

fn decision(row: &AnyRow) -> Result<StackingDecision> {
    let reasons = get_str(row, "reasons")?;
    let evaluation = get_str(row, "evaluation")?;
    Ok(StackingDecision {
        id: get_str(row, "id")?,
        organisation_id: get_str(row, "organisation_id")?,
        qualification: get_str(row, "qualification_id")?,
        learner: get_str(row, "learner")?,
        outcome: get_str(row, "outcome")?,
        reasons: serde_json::from_str(&reasons)
            .map_err(|_| StoreError::Corrupt(format!("decision reasons {reasons:?}")))?,
        evaluation: serde_json::from_str(&evaluation)
            .map_err(|_| StoreError::Corrupt("decision evaluation".into()))?,
        decided_by: get_str(row, "decided_by")?,
        decided_at: get_str(row, "decided_at")?,
    })
}

impl Store {
    /// Record a decision (its id and time as given) and audit it, in one transaction.
    pub async fn record_stacking_decision(&self, d: &StackingDecision, actor: &Actor) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO stacking_decisions
               (id, organisation_id, qualification_id, learner, outcome, reasons, evaluation, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(d.id.clone())
        .bind(d.organisation_id.clone())
        .bind(d.qualification.clone())
        .bind(d.learner.clone())
        .bind(d.outcome.clone())
        .bind(serde_json::to_string(&d.reasons).unwrap_or_default())
        .bind(serde_json::to_string(&d.evaluation).unwrap_or_default())
        .bind(d.decided_by.clone())
        .bind(d.decided_at.clone())
        .execute(&mut *tx)
        .await?;
        let change = Change {
            entity: "stacking_decision",
            entity_id: &d.id,
            action: "decide",
            before: None,
            after: Some(&d.outcome),
            detail: Some(format!("{} for {}", d.qualification, d.learner)),
        };
        append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn stacking_decision(&self, id: &str) -> Result<StackingDecision> {
        let row = sqlx::query("SELECT * FROM stacking_decisions WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("stacking decision {id}")))?;
        decision(&row)
    }

    /// An organisation's decisions, newest first.
    pub async fn stacking_decisions_of(&self, organisation_id: &str) -> Result<Vec<StackingDecision>> {
        let rows = sqlx::query(
            "SELECT * FROM stacking_decisions WHERE organisation_id = $1 ORDER BY decided_at DESC, id",
        )
        .bind(organisation_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decision).collect()
    }
}
