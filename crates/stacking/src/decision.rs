//! The awarding body's decision, and the larger credential it may lead to.
//!
//! An evaluation only recommends. A person of the awarding body decides, and only a decision that says
//! `awarded` on a complete evaluation can produce a credential. The credential is returned unsigned: the
//! caller signs it with the issuer's key (crate `microcred-vc`).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::evaluation::Evaluation;
use crate::qualification::{Organisation, Qualification};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The qualification id.
    pub qualification: String,
    /// The learner's id (a DID or URI), the subject of the awarded credential.
    pub learner: String,
    /// Who decided: a person or board of the awarding body.
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
    /// The evaluation the decision was taken on.
    pub evaluation: Evaluation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Awarded,
    Refused,
    /// Waiting for something (more evidence, an assessment, a board meeting).
    Deferred,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwardError {
    #[error("the decision's outcome is {0:?}, not awarded; only an awarded decision produces a credential")]
    NotAwarded(Outcome),
    #[error(
        "the evaluation is not complete (unmet: {}); evaluate again once every requirement is met, \
         or record the recognition as an equivalence in the qualification file",
        .0.join("; ")
    )]
    Incomplete(Vec<String>),
    #[error(
        "the decision is about {decision:?} but the qualification is {qualification:?}; use the matching file"
    )]
    WrongQualification { decision: String, qualification: String },
    #[error("{0} is empty; the awarded credential needs it")]
    Empty(&'static str),
}

/// What the issuer adds when awarding.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    /// The new credential's id, e.g. `urn:uuid:...`.
    pub credential_id: String,
    /// Defaults to the qualification's awarding body.
    pub issuer: Option<Organisation>,
    pub issued_at: DateTime<Utc>,
}

const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const VC2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";

/// Builds the unsigned OB 3.0 credential for an awarded decision, with one `evidence` entry per stacked
/// credential (its id and `digestSRI`, when known).
pub fn award_credential(
    decision: &Decision,
    qualification: &Qualification,
    award: &Award,
) -> Result<Value, AwardError> {
    if decision.outcome != Outcome::Awarded {
        return Err(AwardError::NotAwarded(decision.outcome));
    }
    if decision.qualification != qualification.id || decision.evaluation.qualification.id != qualification.id
    {
        return Err(AwardError::WrongQualification {
            decision: decision.qualification.clone(),
            qualification: qualification.id.clone(),
        });
    }
    if !decision.evaluation.complete {
        let unmet = decision
            .evaluation
            .unmet()
            .into_iter()
            .map(str::to_string)
            .collect();
        return Err(AwardError::Incomplete(unmet));
    }
    for (what, value) in [
        ("the learner", &decision.learner),
        ("the credential id", &award.credential_id),
    ] {
        if value.trim().is_empty() {
            return Err(AwardError::Empty(what));
        }
    }
    let issuer = award.issuer.as_ref().unwrap_or(&qualification.awarding_body);
    let mut achievement = json!({
        "id": qualification.id,
        "type": ["Achievement"],
        "name": qualification.title,
        "description": qualification.description.clone().unwrap_or_else(|| qualification.title.clone()),
        "criteria": { "narrative": criteria_narrative(qualification, decision) },
    });
    let mut alignment = Vec::new();
    if let Some(eqf) = qualification.eqf {
        alignment.push(json!({
            "type": ["Alignment"],
            "targetName": eqf.to_string(),
            "targetUrl": eqf.uri(),
            "targetFramework": "European Qualifications Framework",
        }));
    }
    if let Some(credits) = &qualification.credits {
        achievement["creditsAvailable"] = json!(credits.points);
        if let Some(uri) = credits.system.uri() {
            alignment.push(json!({
                "type": ["Alignment"],
                "targetName": credits.system.name(),
                "targetUrl": uri,
                "targetFramework": "Education credit systems",
            }));
        }
    }
    if !alignment.is_empty() {
        achievement["alignment"] = Value::Array(alignment);
    }
    Ok(json!({
        "@context": [VC2_CONTEXT, OB3_CONTEXT],
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": { "id": issuer.id, "type": ["Profile"], "name": issuer.name },
        "validFrom": award.issued_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "name": qualification.title,
        "credentialSubject": {
            "id": decision.learner,
            "type": ["AchievementSubject"],
            "achievement": achievement,
        },
        "evidence": evidence(decision),
    }))
}

fn criteria_narrative(q: &Qualification, decision: &Decision) -> String {
    format!(
        "Awarded by {} on the decision of {} ({}) after recognising the stacked credentials listed as \
         evidence against the requirements of {}. Source: {}",
        q.awarding_body.name,
        decision.decided_by,
        decision.decided_at.format("%Y-%m-%d"),
        q.title,
        q.source
    )
}

/// One entry per counted credential (in order of first use), naming the requirements it met.
fn evidence(decision: &Decision) -> Vec<Value> {
    let mut order: Vec<&str> = Vec::new();
    let mut entries: BTreeMap<&str, (&crate::evaluation::Counted, Vec<&str>)> = BTreeMap::new();
    let mut stack: Vec<&crate::evaluation::RequirementResult> =
        decision.evaluation.requirements.iter().rev().collect();
    while let Some(result) = stack.pop() {
        for counted in &result.counted {
            let entry = entries.entry(&counted.credential).or_insert_with(|| {
                order.push(&counted.credential);
                (counted, Vec::new())
            });
            if !entry.1.contains(&result.name.as_str()) {
                entry.1.push(&result.name);
            }
        }
        stack.extend(result.requirements.iter().rev());
    }
    order
        .into_iter()
        .map(|id| {
            let (counted, requirements) = &entries[id];
            let mut entry = json!({
                "id": counted.credential,
                "type": ["Evidence"],
                "name": counted.title,
                "description": format!("Counted towards: {}", requirements.join("; ")),
            });
            if let Some(basis) = &counted.equivalence {
                entry["narrative"] = json!(format!("Recognised as equivalent: {basis}"));
            }
            if let Some(digest) = &counted.digest_sri {
                entry["digestSRI"] = json!(digest);
            }
            entry
        })
        .collect()
}
