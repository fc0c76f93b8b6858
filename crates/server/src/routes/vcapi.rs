//! The W3C VC-API endpoints the test suites drive: issue (a provider's API token; signed with the
//! provider's key), verify a credential, verify a presentation (challenge and domain).

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Json;
use microcred_vc::{sign, CheckStatus, Cryptosuite, ProofOptions, VerificationReport};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::{AppState, Routes};
use crate::auth::Principal;
use crate::body::{parse_json, read_bytes};
use crate::permissions::{may_issue_for, Permission};
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::POST, "/credentials/issue", issue)
        .add(Method::POST, "/credentials/verify", verify_credential)
        .add(Method::POST, "/presentations/verify", verify_presentation)
}

#[derive(Deserialize)]
struct IssueRequest {
    credential: Value,
    #[serde(default)]
    options: Value,
}

#[derive(Deserialize, Default)]
struct SuiteQuery {
    #[serde(default)]
    cryptosuite: Option<String>,
    /// `key` signs as the provider's did:key (same key) instead of its did:web, for verifiers that
    /// resolve only did:key (the W3C test suites).
    #[serde(default)]
    did: Option<String>,
}

/// Any JSON body, parsed with pointers in its errors; VC-API clients do not always send a JSON type.
async fn body<T: serde::de::DeserializeOwned>(state: &AppState, request: Request) -> ApiResult<T> {
    let bytes = read_bytes(request, state).await?;
    parse_json(&bytes).map_err(|mut p| {
        p.status = 400;
        p
    })
}

async fn issue(
    State(state): State<AppState>,
    Query(query): Query<SuiteQuery>,
    headers: HeaderMap,
    principal: Principal,
    request: Request,
) -> ApiResult<(StatusCode, Json<Value>)> {
    principal.require(Permission::IssueCredential)?;
    let provider = principal
        .organisation(&state)
        .await?
        .filter(|o| may_issue_for(&principal.user, &o.id))
        .ok_or_else(|| Problem::forbidden("only a provider's staff issue, with their provider's key"))?;
    let IssueRequest {
        mut credential,
        options,
    } = body(&state, request).await?;
    let suite = options
        .get("cryptosuite")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or(query.cryptosuite)
        .unwrap_or_else(|| "eddsa-rdfc-2022".into());
    let suite: Cryptosuite = suite.parse().map_err(|e: String| {
        Problem::bad_request(e).with_error("/options/cryptosuite", "unknown cryptosuite")
    })?;
    let base_url = state.issuing.base_url(&headers);
    let key = state
        .issuing
        .keys
        .for_provider(&state.store, &provider.id, &base_url)
        .await?;
    let (issuer_id, verification_method) = match query.did.as_deref() {
        None | Some("web") => (key.did.clone(), key.verification_method.clone()),
        Some("key") => (
            key.pair.public().did_key(),
            key.pair.public().did_key_verification_method(),
        ),
        Some(other) => {
            return Err(
                Problem::bad_request(format!("did={other}: use web (default) or key"))
                    .with_error("#/query/did", "web or key"),
            )
        }
    };
    let Some(map) = credential.as_object_mut() else {
        return Err(Problem::bad_request("the credential must be a JSON object")
            .with_error("/credential", "not an object"));
    };
    match map.get_mut("issuer") {
        None => {
            map.insert("issuer".into(), Value::String(issuer_id.clone()));
        }
        // The signer is the issuer: a credential naming someone else is refused, not rewritten.
        Some(issuer) => {
            let named = issuer
                .as_str()
                .or_else(|| issuer.get("id").and_then(Value::as_str))
                .map(str::to_string);
            match (named, issuer) {
                (Some(id), _) if id == issuer_id => {}
                (None, Value::Object(object)) if !object.contains_key("id") => {
                    object.insert("id".into(), Value::String(issuer_id.clone()));
                }
                _ => {
                    return Err(Problem::bad_request(format!(
                        "the issuer must be {issuer_id}, the key this token signs with"
                    ))
                    .with_error("/credential/issuer", format!("use {issuer_id}")))
                }
            }
        }
    }
    crate::routes::issuing::check_credential_shape(&credential)?;
    add_data_integrity_context(&mut credential);
    let problems = crate::vc_shape::problems(&credential);
    if let Some((_, first)) = problems.first() {
        let mut problem = Problem::bad_request(format!("the credential breaks the VC data model: {first}"));
        for (pointer, message) in &problems {
            problem = problem.with_error(pointer.clone(), message.clone());
        }
        return Err(problem);
    }
    let mut proof = ProofOptions::new(key.pair.public());
    proof.cryptosuite = suite;
    proof.verification_method = verification_method;
    let signed = tokio::task::spawn_blocking(move || sign(&credential, &key.pair, &proof))
        .await
        .map_err(|_| Problem::internal())?
        .map_err(|e| Problem::bad_request(e.to_string()).with_error("/credential", e.to_string()))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "verifiableCredential": signed })),
    ))
}

const DATA_INTEGRITY_CONTEXT: &str = "https://w3id.org/security/data-integrity/v2";

/// A VC 1.1 credential's contexts do not define DataIntegrityProof; like other Data Integrity
/// implementations, add the Data Integrity context so the proof's terms are defined (VC 2.0 includes it).
fn add_data_integrity_context(credential: &mut Value) {
    let Some(Value::Array(contexts)) = credential.get_mut("@context") else {
        return;
    };
    let defined = contexts.iter().any(|c| {
        c.as_str()
            .is_some_and(|c| c == microcred_vc::render::CREDENTIALS_V2_CONTEXT || c == DATA_INTEGRITY_CONTEXT)
    });
    if !defined {
        contexts.push(Value::String(DATA_INTEGRITY_CONTEXT.into()));
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifyCredentialRequest {
    verifiable_credential: Value,
    /// Accepted and ignored beyond what is known: suites send e.g. `checks`.
    #[serde(default)]
    #[allow(dead_code)]
    options: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifyPresentationRequest {
    verifiable_presentation: Value,
    #[serde(default)]
    options: Value,
}

/// The VC-API answer: `verified`, the names of the checks that passed, every check with its
/// sentence (`results`), and a problem detail per check that failed or could not be done.
pub fn answer(report: VerificationReport) -> (StatusCode, Json<Value>) {
    let passed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Ok)
        .map(|c| c.check.as_str())
        .collect();
    let problems: Vec<Value> = report
        .checks
        .iter()
        .filter(|c| c.status != CheckStatus::Ok)
        .map(|c| {
            json!({
                "type": format!("urn:microcred:check:{}:{}", c.check, if c.status == CheckStatus::Failed { "failed" } else { "could-not-check" }),
                "title": c.check,
                "detail": c.message,
            })
        })
        .collect();
    let status = if report.verified {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = json!({
        "verified": report.verified,
        "checks": passed,
        "problemDetails": problems,
        "results": report.checks,
    });
    (status, Json(body))
}

async fn verify_credential(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let VerifyCredentialRequest {
        verifiable_credential,
        ..
    } = body(&state, request).await?;
    if !verifiable_credential.is_object() {
        return Err(Problem::bad_request("verifiableCredential must be a JSON object")
            .with_error("/verifiableCredential", "not an object"));
    }
    let base_url = state.issuing.base_url(&headers);
    let report =
        crate::verifier::verify_document(&state, verifiable_credential, &base_url, None, None).await?;
    Ok(answer(report))
}

async fn verify_presentation(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let VerifyPresentationRequest {
        verifiable_presentation,
        options,
    } = body(&state, request).await?;
    if !verifiable_presentation.is_object() {
        return Err(
            Problem::bad_request("verifiablePresentation must be a JSON object")
                .with_error("/verifiablePresentation", "not an object"),
        );
    }
    let text = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_string);
    let base_url = state.issuing.base_url(&headers);
    let report = crate::verifier::verify_document(
        &state,
        verifiable_presentation,
        &base_url,
        text("challenge"),
        text("domain"),
    )
    .await?;
    Ok(answer(report))
}
