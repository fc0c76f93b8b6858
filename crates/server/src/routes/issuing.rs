//! Issuing in the service: one learner (`POST /api/credentials`) or a roster upload that becomes a
//! background job; a credential's JSON for its owner; revocation, suspension and reinstatement.
//! Only a provider's own staff issue, only from a published, valid version their accreditation covers.

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use microcred_store::{CredentialRecord, Inserted, JobRecord, JobRow, NewCredential, Organisation, Role};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::app::{AppState, Routes};
use crate::auth::{new_secret, secret_hash, Principal};
use crate::body::JsonBody;
use crate::delivery::Letter;
use crate::jobs::roster::{self, is_email};
use crate::jobs::template::{self, Format, Slot};
use crate::permissions::{may_issue_for, Permission};
use crate::problem::{ApiResult, Problem};

/// The largest roster accepted (about 1.5 million rows of a typical CSV).
pub const MAX_ROSTER_BYTES: usize = 64 * 1024 * 1024;

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::POST, "/api/credentials", issue_one)
        .add(Method::POST, "/api/descriptions/{id}/rosters", upload_roster)
        .add(Method::GET, "/api/credentials/{id}", get_credential)
        .add(Method::POST, "/api/credentials/{id}/revoke", revoke)
        .add(Method::POST, "/api/credentials/{id}/suspend", suspend)
        .add(Method::POST, "/api/credentials/{id}/reinstate", reinstate)
}

/// The caller's provider, when the caller may issue for it.
pub async fn issuing_provider(state: &AppState, principal: &Principal) -> ApiResult<Organisation> {
    principal.require(Permission::IssueCredential)?;
    principal
        .organisation(state)
        .await?
        .filter(|o| may_issue_for(&principal.user, &o.id))
        .ok_or_else(|| Problem::forbidden("only a provider's own staff issue its credentials"))
}

/// The minimum of a VC to sign: an object with `@context`, a `type` with VerifiableCredential, a subject.
pub fn check_credential_shape(credential: &Value) -> ApiResult<()> {
    let bad = |pointer: &str, detail: &str| {
        Err(Problem::bad_request(detail.to_string()).with_error(pointer, detail))
    };
    if !credential.get("@context").is_some_and(Value::is_array) {
        return bad(
            "/credential/@context",
            "@context must be an array starting with the VC context",
        );
    }
    let types = microcred_vc::verify::is_presentation(credential);
    let has_vc_type = match credential.get("type") {
        Some(Value::String(t)) => t == "VerifiableCredential",
        Some(Value::Array(items)) => items.iter().any(|t| t == "VerifiableCredential"),
        _ => false,
    };
    if types || !has_vc_type {
        return bad("/credential/type", "type must include VerifiableCredential");
    }
    if credential.get("credentialSubject").is_none() {
        return bad("/credential/credentialSubject", "credentialSubject is required");
    }
    if credential.get("proof").is_some() {
        return bad(
            "/credential/proof",
            "send the credential without a proof; the service signs it",
        );
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewLearner {
    email: String,
    name: String,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    grade: Option<String>,
    #[serde(default)]
    learner_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueOne {
    description_id: String,
    learner: NewLearner,
    /// `ob3` (default) or `elm`.
    #[serde(default)]
    format: Option<String>,
}

async fn issue_one(
    State(state): State<AppState>,
    headers: HeaderMap,
    principal: Principal,
    JsonBody(request): JsonBody<IssueOne>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let provider = issuing_provider(&state, &principal).await?;
    let email = request.learner.email.trim().to_lowercase();
    if !is_email(&email) {
        return Err(Problem::invalid_field(
            "/learner/email",
            format!("{email:?} is not an e-mail address"),
        ));
    }
    if request.learner.name.trim().is_empty() {
        return Err(Problem::invalid_field(
            "/learner/name",
            "the learner's name is empty",
        ));
    }
    let format = request.format.as_deref().map(Format::parse).transpose()?;
    let base_url = state.issuing.base_url(&headers);
    let template = std::sync::Arc::new(
        template::prepare(
            &state.store,
            &state.issuing.keys,
            &provider,
            &request.description_id,
            format,
            &base_url,
        )
        .await?,
    );
    let mut extra = Map::new();
    for (key, value) in [
        ("given_name", &request.learner.given_name),
        ("family_name", &request.learner.family_name),
        ("grade", &request.learner.grade),
        ("learner_id", &request.learner.learner_id),
    ] {
        if let Some(value) = value {
            extra.insert(key.into(), Value::String(value.clone()));
        }
    }
    let row = JobRow {
        row_number: 0,
        email,
        name: request.learner.name.trim().to_string(),
        extra: Value::Object(extra.clone()).to_string(),
    };
    let list = match state.store.current_status_list(&provider.id).await? {
        Some(list) => list,
        None => {
            state
                .store
                .create_status_list(&provider.id, crate::jobs::slots::LIST_SIZE)
                .await?
        }
    };
    // A random index; the database refuses a taken one and we draw again (the index is signed, so
    // each draw signs anew). With lists at most half full, a retry is rare.
    for _ in 0..8 {
        let index = microcred_vc::status::allocate_random_index(list.size as usize, |_| false)
            .ok_or_else(Problem::internal)?;
        let slot = Slot {
            list_id: list.id.clone(),
            index: index as i64,
        };
        let (t, r, s) = (template.clone(), row.clone(), slot.clone());
        let extra = extra.clone();
        let (id, body) = tokio::task::spawn_blocking(move || {
            let learner = template::learner(&r.email, &r.name, &extra);
            let grade = extra.get("grade").and_then(Value::as_str).map(str::to_string);
            t.credential(&learner, grade, &s, Utc::now())
        })
        .await
        .map_err(|_| Problem::internal())?
        .map_err(|e| Problem::invalid_field("/learner", format!("the credential could not be made: {e}")))?;
        let token = new_secret("mcc_");
        let record = CredentialRecord {
            id: id.clone(),
            provider_id: provider.id.clone(),
            description_id: template.description_id.clone(),
            version: template.version,
            learner_email: row.email.clone(),
            learner_name: row.name.clone(),
            job_id: None,
            job_row: None,
            format: template.format.as_str().into(),
            body: body.to_string(),
            status_list_id: slot.list_id.clone(),
            status_index: slot.index,
            state: "active".into(),
            reason: None,
            issued_at: microcred_store::now(),
        };
        let new = NewCredential {
            record,
            claim_hash: Some(secret_hash(&token)),
        };
        match state.store.insert_credential(&new, &principal.actor()).await? {
            Inserted::Stored => {
                let letter = Letter::claim(&row, &template, &token);
                state.issuing.mailer(&state.store).await.send(vec![letter]).await;
                let claim_url = format!("{base_url}/claim/{token}");
                return Ok((
                    StatusCode::CREATED,
                    Json(json!({ "id": id, "state": "active", "claim_url": claim_url, "credential": body })),
                ));
            }
            Inserted::Duplicate => {
                return Err(Problem::conflict(format!(
                    "{} already holds a credential of {}",
                    row.email, template.description_id
                ))
                .with_error("/learner/email", "already issued"))
            }
            Inserted::IndexTaken => continue,
        }
    }
    Err(Problem::internal())
}

#[derive(Deserialize)]
struct RosterQuery {
    #[serde(default)]
    format: Option<String>,
}

fn too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "roster-too-large",
        "The roster is too large",
        format!("a roster may be at most {MAX_ROSTER_BYTES} bytes; split it into several uploads"),
    )
}

async fn upload_roster(
    State(state): State<AppState>,
    Path(description_id): Path<String>,
    Query(query): Query<RosterQuery>,
    headers: HeaderMap,
    principal: Principal,
    request: Request,
) -> ApiResult<(StatusCode, [(header::HeaderName, String); 1], Json<JobRecord>)> {
    let provider = issuing_provider(&state, &principal).await?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_ROSTER_BYTES) {
        return Err(too_large());
    }
    let format = query.format.as_deref().map(Format::parse).transpose()?;
    let base_url = state.issuing.base_url(&headers);
    // Eligibility first: nothing of the file is read for a description that cannot be issued.
    let template = template::prepare(
        &state.store,
        &state.issuing.keys,
        &provider,
        &description_id,
        format,
        &base_url,
    )
    .await?;
    let bytes = axum::body::to_bytes(request.into_body(), MAX_ROSTER_BYTES)
        .await
        .map_err(|_| too_large())?;
    let kind = match crate::body::content_type(&headers).as_deref() {
        _ if bytes.starts_with(b"PK\x03\x04") => roster::Kind::Xlsx,
        Some("text/csv" | "application/csv" | "text/plain") | None => roster::Kind::Csv,
        Some(other) => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "The roster must be CSV or XLSX",
                format!("{other} is not a roster type; send text/csv (UTF-8) or an .xlsx workbook"),
            ))
        }
    };
    let parsed = tokio::task::spawn_blocking(move || roster::read(kind, &bytes))
        .await
        .map_err(|_| Problem::internal())??;
    let job = JobRecord {
        id: microcred_store::new_id("job"),
        provider_id: provider.id.clone(),
        description_id: template.description_id.clone(),
        version: template.version,
        format: template.format.as_str().into(),
        base_url,
        created_by: principal.user.id.clone(),
        state: "queued".into(),
        total: parsed.total as i64,
        next_row: 1,
        done: 0,
        failed: 0,
        message: None,
        created_at: String::new(),
        updated_at: String::new(),
    };
    let job = state
        .store
        .create_job(&job, &parsed.rows, &parsed.errors, &principal.actor())
        .await?;
    state.issuing.notify.notify_one();
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/jobs/{}", job.id))],
        Json(job),
    ))
}

/// Whether `principal` owns this credential: its provider's staff, the learner, or an admin.
fn owns(principal: &Principal, credential: &CredentialRecord) -> bool {
    principal.user.role == Role::Admin
        || may_issue_for(&principal.user, &credential.provider_id)
        || principal
            .user
            .email
            .eq_ignore_ascii_case(&credential.learner_email)
}

/// The signed credential as a JSON file download.
pub fn download(credential: &CredentialRecord) -> Response {
    let name = credential.id.trim_start_matches("urn:uuid:");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/vc+ld+json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"credential-{name}.json\""),
            ),
        ],
        credential.body.clone(),
    )
        .into_response()
}

async fn get_credential(
    State(state): State<AppState>,
    Path(id): Path<String>,
    principal: Principal,
) -> ApiResult<Response> {
    let credential = state.store.credential(&id).await?;
    if !owns(&principal, &credential) {
        return Err(Problem::not_found(format!("credential {id}")));
    }
    Ok(download(&credential))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusChange {
    reason: String,
}

async fn change(
    state: AppState,
    id: String,
    principal: Principal,
    to: &str,
    reason: String,
) -> ApiResult<Json<CredentialRecord>> {
    principal.require(Permission::IssueCredential)?;
    let credential = state.store.credential(&id).await?;
    if !may_issue_for(&principal.user, &credential.provider_id) {
        return Err(Problem::forbidden(
            "only the issuing provider's staff change a credential's status",
        ));
    }
    if reason.trim().is_empty() {
        return Err(Problem::invalid_field(
            "/reason",
            "say why (the reason is kept in the audit log)",
        ));
    }
    Ok(Json(
        state
            .store
            .set_credential_state(&id, to, reason.trim(), &principal.actor())
            .await?,
    ))
}

async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    principal: Principal,
    JsonBody(body): JsonBody<StatusChange>,
) -> ApiResult<Json<CredentialRecord>> {
    change(state, id, principal, "revoked", body.reason).await
}

async fn suspend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    principal: Principal,
    JsonBody(body): JsonBody<StatusChange>,
) -> ApiResult<Json<CredentialRecord>> {
    change(state, id, principal, "suspended", body.reason).await
}

async fn reinstate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    principal: Principal,
    JsonBody(body): JsonBody<StatusChange>,
) -> ApiResult<Json<CredentialRecord>> {
    let credential = state.store.credential(&id).await?;
    if credential.state != "suspended" {
        return Err(Problem::conflict(format!(
            "credential {id} is {}; only a suspended one is reinstated",
            credential.state
        )));
    }
    change(state, id, principal, "active", body.reason).await
}
