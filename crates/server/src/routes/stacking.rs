//! Stacking and recognition of prior learning (issue #7): evaluate a learner's credentials against a
//! qualification (each credential verified first, with this service's own status lists and trust
//! list), suggest published register entries that would close the gaps, and let a receiving
//! organisation record its decision. Nothing is awarded here: an evaluation only recommends, and
//! issuing the larger credential is `microcred stack award`.

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Json;
use chrono::Utc;
use microcred_model::{Date, Description};
use microcred_stacking::{
    builtin, held_from_ob3, parse_qualification, Evaluation, HeldCredential, Learner, MatchedBy, Outcome,
    Qualification, RequirementResult, Suggestion, Verification,
};
use microcred_store::{new_id, OrgKind, RegisterEntry, RegisterQuery, StackingDecision, StoreError};
use microcred_vc::CheckStatus;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::{AppState, Routes};
use crate::auth::Principal;
use crate::body::JsonBody;
use crate::permissions::Permission;
use crate::problem::{ApiResult, Problem};
use crate::routes::descriptions::body_of;

/// At most this many credentials in one evaluation.
pub const MAX_CREDENTIALS: usize = 100;
/// At most this many register entries are read as suggestion candidates.
const MAX_CANDIDATES: usize = 40;
/// Per ESCO skill of a missing component, this many register search results.
const PER_SKILL: i64 = 10;

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/api/stack/qualifications", qualifications)
        .add(Method::POST, "/api/stack/evaluate", evaluate)
        .add(Method::GET, "/api/stack/decisions", decisions)
        .add(Method::POST, "/api/stack/decisions", decide)
}

/// The built-in qualifications, each with its source.
pub fn builtin_list() -> Vec<Value> {
    builtin::ALL
        .iter()
        .filter_map(|b| {
            let q = b.parse().ok()?;
            Some(json!({
                "name": b.name,
                "id": q.id,
                "title": q.title,
                "source": q.source,
                "awarding_body": q.awarding_body,
                "eqf": q.eqf,
                "credits": q.credits,
                "components": q.components.len(),
                "requirements": q.requirements.iter().map(|r| r.summary()).collect::<Vec<_>>(),
            }))
        })
        .collect()
}

async fn qualifications() -> Json<Vec<Value>> {
    Json(builtin_list())
}

/// A built-in name, or an inline qualification (the JSON form of a qualification file).
pub fn qualification_from(value: &Value) -> ApiResult<Qualification> {
    match value {
        Value::String(name) => {
            let Some(b) = builtin::find(name) else {
                let names: Vec<&str> = builtin::ALL.iter().map(|b| b.name).collect();
                return Err(Problem::invalid_field(
                    "/qualification",
                    format!(
                        "{name:?} is not a built-in qualification; built in: {} (see GET /api/stack/qualifications), or give the qualification inline as JSON",
                        names.join(", ")
                    ),
                ));
            };
            b.parse().map_err(|e| {
                tracing::error!(name, error = %e, "a built-in qualification does not parse");
                Problem::internal()
            })
        }
        Value::Object(_) => parse_qualification("qualification.json", &value.to_string())
            .map_err(|e| Problem::invalid_field("/qualification", e.to_string())),
        _ => Err(Problem::invalid_field(
            "/qualification",
            "give the name of a built-in qualification (a string) or a qualification as a JSON object",
        )),
    }
}

/// Verifies each credential with this service's verifier and summarises it for stacking. A credential
/// that does not verify is kept, excluded with the reason; one that is not an OB 3.0 credential at all
/// is a 422 naming it (`pointer` prefix, e.g. `/credentials`).
pub async fn held_credentials(
    state: &AppState,
    base_url: &str,
    documents: &[Value],
    pointer: &str,
) -> ApiResult<Vec<HeldCredential>> {
    if documents.len() > MAX_CREDENTIALS {
        return Err(Problem::invalid_field(
            pointer,
            format!(
                "{} credentials; at most {MAX_CREDENTIALS} in one evaluation",
                documents.len()
            ),
        ));
    }
    let mut held = Vec::with_capacity(documents.len());
    for (index, document) in documents.iter().enumerate() {
        let at = format!("{pointer}/{index}");
        if !document.is_object() || document.get("credentialSubject").is_none() {
            return Err(Problem::invalid_field(
                &at,
                "not a verifiable credential: a JSON object with credentialSubject is expected",
            ));
        }
        let report = crate::verifier::verify_document(state, document.clone(), base_url, None, None).await?;
        // When nothing failed but an essential check could not be made, that is the reason.
        let any_failed = report.checks.iter().any(|c| c.status == CheckStatus::Failed);
        let reasons = report
            .checks
            .iter()
            .filter(|c| {
                c.status == CheckStatus::Failed || (!any_failed && c.status == CheckStatus::CouldNotCheck)
            })
            .map(|c| c.message.as_str());
        let verification = Verification::from_outcome(report.verified, reasons);
        let mut one = held_from_ob3(document, verification)
            .map_err(|e| Problem::invalid_field(&at, format!("not readable as an OB 3.0 credential: {e}")))?;
        one.issuer_accredited = match report.status_of("issuer-trust") {
            Some(CheckStatus::Ok) => Some(true),
            Some(CheckStatus::Failed) => Some(false),
            _ => None,
        };
        held.push(one);
    }
    Ok(held)
}

fn collect_missing<'a>(results: &'a [RequirementResult], out: &mut Vec<&'a str>) {
    for r in results.iter().filter(|r| !r.met) {
        for m in &r.missing {
            if !out.contains(&m.id.as_str()) {
                out.push(&m.id);
            }
        }
        collect_missing(&r.requirements, out);
    }
}

/// The register id an identifier names: `.../register/{id}` or the bare id.
fn register_id(identifier: &str) -> Option<&str> {
    let id = match identifier.rsplit_once("/register/") {
        Some((_, rest)) => rest.trim_end_matches('/'),
        None => identifier,
    };
    (!id.is_empty() && id.len() <= 200 && !id.contains('/')).then_some(id)
}

/// The register search words for an ESCO skill URI: the parts of its last segment (the register indexes
/// that segment). Parts such as `96344886e14d` are left out: PostgreSQL's text parser reads a number
/// with an exponent in them and would split the query word differently from the indexed one.
fn skill_words(skill: &str) -> Option<String> {
    let last = skill.rsplit('/').next().unwrap_or(skill);
    let risky = |part: &str| {
        let b = part.as_bytes();
        b.windows(3)
            .any(|w| w[0].is_ascii_digit() && (w[1] == b'e' || w[1] == b'E') && w[2].is_ascii_digit())
    };
    let parts: Vec<&str> = last
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty() && !risky(p))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Evaluates `held` against `q` today, with suggestions drawn from the published register: candidates
/// are the entries the missing components name (by register id or URL) and those found by their ESCO
/// skills, at most [`MAX_CANDIDATES`]. A candidate whose description's own URI a component names is
/// suggested as matched by identifier.
pub async fn evaluate_with_register(
    state: &AppState,
    q: &Qualification,
    held: &[HeldCredential],
) -> ApiResult<Evaluation> {
    let today = Date(Utc::now().date_naive());
    let learner = Learner::new(held, today);
    let first = learner.evaluate(q, &[]);
    let mut missing = Vec::new();
    collect_missing(&first.requirements, &mut missing);
    if missing.is_empty() {
        return Ok(first);
    }
    let mut entries: Vec<RegisterEntry> = Vec::new();
    let mut named: Vec<(String, String)> = Vec::new();
    'components: for id in &missing {
        let Some(component) = q.component(id) else {
            continue;
        };
        for identifier in std::iter::once(&component.id).chain(&component.credentials) {
            let Some(key) = register_id(identifier) else {
                continue;
            };
            match state.store.register_entry(key).await {
                Ok(entry) => {
                    named.push((component.id.clone(), entry.id.clone()));
                    if !entries.iter().any(|e| e.id == entry.id) {
                        entries.push(entry);
                    }
                }
                Err(StoreError::NotFound(_)) => {}
                Err(other) => return Err(other.into()),
            }
        }
        for skill in component.esco_skills.iter().take(5) {
            if entries.len() >= MAX_CANDIDATES {
                break 'components;
            }
            let Some(text) = skill_words(skill) else {
                continue;
            };
            let query = RegisterQuery {
                text: Some(text),
                page: 1,
                per_page: PER_SKILL,
                ..RegisterQuery::default()
            };
            for entry in state.store.search_register(&query).await?.entries {
                if !entries.iter().any(|e| e.id == entry.id) {
                    entries.push(entry);
                }
            }
        }
    }
    entries.truncate(MAX_CANDIDATES);
    let mut catalogue: Vec<Description> = Vec::with_capacity(entries.len());
    for entry in &entries {
        let mut description = body_of(state, &entry.id, entry.version).await?;
        // A component naming the description's own URI (the achievement id of the credentials issued
        // from it) names this entry too.
        if let Some(own) = description.id.as_deref() {
            for id in &missing {
                if q.component(id).is_some_and(|c| c.is_proved_by(own)) {
                    named.push((id.to_string(), entry.id.clone()));
                }
            }
        }
        // Suggestions name the register entry, so that they link to /register/{id}.
        description.id = Some(entry.id.clone());
        catalogue.push(description);
    }
    let mut evaluation = learner.evaluate(q, &catalogue);
    let mut by_identifier = Vec::new();
    for (component_id, entry_id) in named {
        let (Some(component), Some(description)) = (
            q.component(&component_id),
            catalogue
                .iter()
                .find(|d| d.id.as_deref() == Some(entry_id.as_str())),
        ) else {
            continue;
        };
        if by_identifier
            .iter()
            .any(|s: &Suggestion| s.component == component_id && s.micro_credential == entry_id)
        {
            continue;
        }
        by_identifier.push(Suggestion {
            component: component_id.clone(),
            micro_credential: entry_id.clone(),
            title: description.title.best("en").unwrap_or(&entry_id).to_string(),
            matched_by: MatchedBy::Identifier,
            credits: component
                .credits
                .as_ref()
                .and_then(|c| description.workload.credits_in(&c.system))
                .or_else(|| description.workload.ects()),
        });
    }
    evaluation.suggestions.retain(|s| {
        !by_identifier
            .iter()
            .any(|b| b.component == s.component && b.micro_credential == s.micro_credential)
    });
    by_identifier.append(&mut evaluation.suggestions);
    evaluation.suggestions = by_identifier;
    Ok(evaluation)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluateRequest {
    /// A built-in name or an inline qualification.
    qualification: Value,
    credentials: Vec<Value>,
}

async fn evaluate(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<EvaluateRequest>,
) -> ApiResult<Json<Evaluation>> {
    let q = qualification_from(&request.qualification)?;
    let base_url = state.issuing.base_url(&headers);
    let held = held_credentials(&state, &base_url, &request.credentials, "/credentials").await?;
    Ok(Json(evaluate_with_register(&state, &q, &held).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewDecision {
    /// The qualification id (as in the evaluation).
    qualification: String,
    /// The learner's id (a DID or URI).
    learner: String,
    outcome: Outcome,
    reasons: Vec<String>,
    evaluation: Evaluation,
}

/// The caller's organisation, which must be a receiving organisation.
async fn receiving_organisation(state: &AppState, principal: &Principal) -> ApiResult<String> {
    principal.require(Permission::RecordStackingDecision)?;
    match principal.organisation(state).await? {
        Some(org) if org.kind == OrgKind::Receiver => Ok(org.id),
        _ => Err(Problem::forbidden(
            "stacking decisions are recorded by the staff of a receiving organisation",
        )),
    }
}

async fn decide(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(new): JsonBody<NewDecision>,
) -> ApiResult<(StatusCode, Json<StackingDecision>)> {
    let organisation_id = receiving_organisation(&state, &principal).await?;
    if new.qualification.trim().is_empty() {
        return Err(Problem::invalid_field(
            "/qualification",
            "name the qualification id",
        ));
    }
    if new.qualification != new.evaluation.qualification.id {
        return Err(Problem::invalid_field(
            "/qualification",
            format!(
                "the decision is about {:?} but the evaluation is of {:?}",
                new.qualification, new.evaluation.qualification.id
            ),
        ));
    }
    if new.learner.trim().is_empty() {
        return Err(Problem::invalid_field(
            "/learner",
            "name the learner (a DID or URI, the subject of an awarded credential)",
        ));
    }
    if new.reasons.is_empty() {
        return Err(Problem::invalid_field("/reasons", "give at least one reason"));
    }
    if let Some(i) = new.reasons.iter().position(|r| r.trim().is_empty()) {
        return Err(Problem::invalid_field(
            &format!("/reasons/{i}"),
            "a reason is empty",
        ));
    }
    if new.outcome == Outcome::Awarded && !new.evaluation.complete {
        return Err(Problem::invalid_field(
            "/outcome",
            format!(
                "the evaluation is not complete (unmet: {}); award only on a complete evaluation, or record the recognition as an equivalence in the qualification and evaluate again",
                new.evaluation.unmet().join("; ")
            ),
        ));
    }
    let outcome = match new.outcome {
        Outcome::Awarded => "awarded",
        Outcome::Refused => "refused",
        Outcome::Deferred => "deferred",
    };
    let decision = StackingDecision {
        id: new_id("sd"),
        organisation_id,
        qualification: new.qualification,
        learner: new.learner.trim().to_string(),
        outcome: outcome.into(),
        reasons: new.reasons,
        evaluation: serde_json::to_value(&new.evaluation).map_err(|_| Problem::internal())?,
        decided_by: principal.user.id.clone(),
        decided_at: microcred_store::now(),
    };
    state
        .store
        .record_stacking_decision(&decision, &principal.actor())
        .await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

async fn decisions(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<Json<Vec<StackingDecision>>> {
    let organisation_id = receiving_organisation(&state, &principal).await?;
    Ok(Json(state.store.stacking_decisions_of(&organisation_id).await?))
}
