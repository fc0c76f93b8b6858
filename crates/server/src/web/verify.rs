//! Verification for people: paste JSON or upload a file (`/verify`), and the same report on share
//! pages. Each named check is shown with an icon, a colour and a word, so "could not check" never looks
//! like "failed" and nothing depends on colour alone.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use microcred_vc::{CheckStatus, VerificationReport};
use serde_json::{json, Value};

use super::{explain, finish, form, i18n, Ctx, PageError};
use crate::app::AppState;
use crate::routes::descriptions::body_of;
use microcred_model::Description;
use microcred_store::StoreError;

pub async fn form(ctx: Ctx) -> Response {
    ctx.render("verify.html", json!({}))
}

pub async fn submit(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        if body.len() > form::MAX_FORM_BYTES {
            return Err(PageError::Problem(crate::problem::Problem::bad_request(
                "the file is larger than 2 MiB; a credential is a few kilobytes",
            )));
        }
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let text = fields
            .get("file")
            .filter(|f| !f.trim().is_empty())
            .or_else(|| fields.get("json"))
            .map(|t| t.trim().to_string())
            .unwrap_or_default();
        let document: Value = match serde_json::from_str(&text) {
            Ok(document) => document,
            Err(error) => {
                return Ok(ctx.render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "verify.html",
                    json!({ "not_json": error.to_string(), "json": text }),
                ))
            }
        };
        let result = verify_document(&ctx, &headers, document).await?;
        Ok(ctx.render("verify.html", json!({ "results": [result] })))
    }
    .await;
    finish(&ctx, result)
}

/// Verify one credential or presentation against this service's own status lists and trust list
/// (crate::verifier, no network), and say what it is in plain language.
pub async fn verify_document(ctx: &Ctx, headers: &HeaderMap, document: Value) -> Result<Value, PageError> {
    let base = ctx.state.issuing.base_url(headers);
    let credentials: Vec<Value> = match document.get("verifiableCredential") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => vec![document.clone()],
    };
    let report = crate::verifier::verify_document(&ctx.state, document, &base, None, None).await?;
    let mut explained = Vec::new();
    for credential in &credentials {
        explained.push(explain_credential(&ctx.state, credential, ctx.lang).await?);
    }
    Ok(json!({ "report": report_view(&report, ctx.lang), "credentials": explained }))
}

pub fn report_view(report: &VerificationReport, lang: &str) -> Value {
    let revoked = report
        .checks
        .iter()
        .any(|c| c.check == "status" && c.status == CheckStatus::Failed);
    let checks: Vec<Value> = report
        .checks
        .iter()
        .map(|check| {
            let (class, icon, word) = match check.status {
                CheckStatus::Ok => ("ok", "✓", "check_ok"),
                CheckStatus::Failed => ("failed", "✗", "check_failed"),
                CheckStatus::CouldNotCheck => ("unknown", "?", "check_unknown"),
            };
            json!({
                "name": i18n::message(lang, &format!("check_name_{}", check.check.replace('-', "_"))),
                "class": class, "icon": icon, "word": i18n::message(lang, word), "message": check.message,
            })
        })
        .collect();
    let unchecked = report
        .checks
        .iter()
        .any(|c| c.status == CheckStatus::CouldNotCheck);
    let verdict = match (report.verified, revoked, unchecked) {
        (_, true, _) => "revoked",
        (true, false, false) => "valid",
        // Nothing failed, but something could not be checked: say so rather than "valid".
        (true, false, true) => "partial",
        (false, false, _) => "invalid",
    };
    json!({ "verified": report.verified, "verdict": verdict, "checks": checks })
}

/// The credential's own words, and, when this service issued it, its description in full.
async fn explain_credential(state: &AppState, credential: &Value, lang: &str) -> Result<Value, PageError> {
    let subject = match &credential["credentialSubject"] {
        Value::Array(items) => items.first().cloned().unwrap_or_default(),
        other => other.clone(),
    };
    let achievement = &subject["achievement"];
    let issuer_name = credential["issuer"]["name"]
        .as_str()
        .or(credential["issuer"].as_str())
        .map(str::to_string);
    let text = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(map) => map
                .get(lang)
                .or_else(|| map.get("en"))
                .or_else(|| map.values().next())
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        }
    };
    let mut view = json!({
        "name": text(&achievement["name"]).or_else(|| text(&credential["name"])),
        "summary": text(&achievement["description"]).or_else(|| text(&credential["description"])),
        "criteria": text(&achievement["criteria"]["narrative"]),
        "issuer": issuer_name,
        "holder": text(&subject["name"]),
        "issued": credential["validFrom"].as_str().or(credential["issuanceDate"].as_str()),
        "expires": credential["validUntil"].as_str().or(credential["expirationDate"].as_str()),
    });
    if let Some(description) = issued_description(state, credential).await? {
        view["d"] = explain::description(&description, lang);
    }
    Ok(view)
}

/// The description a credential of this service was issued from (found by the credential's id).
async fn issued_description(state: &AppState, credential: &Value) -> Result<Option<Description>, PageError> {
    let Some(id) = credential["id"].as_str() else {
        return Ok(None);
    };
    match state.store.credential(id).await {
        Ok(record) => Ok(Some(
            body_of(state, &record.description_id, record.version).await?,
        )),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(other) => Err(other.into()),
    }
}
