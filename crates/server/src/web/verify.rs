//! Verification for people: paste JSON or upload a file (`/verify`), and the same report on share
//! pages. Each named check is shown with an icon, a colour and a word, so "could not check" never looks
//! like "failed" and nothing depends on colour alone.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use microcred_vc::{CheckStatus, VerificationReport, VerifyContext};
use serde_json::{json, Value};

use super::{explain, finish, form, i18n, Ctx, PageError};
use crate::app::AppState;

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
        let result = verify_document(&ctx.state, &document, ctx.lang).await?;
        Ok(ctx.render("verify.html", json!({ "results": [result] })))
    }
    .await;
    finish(&ctx, result)
}

/// Verify one credential or presentation against this service's own status lists and trust list, and
/// say what it is in plain language.
pub async fn verify_document(state: &AppState, document: &Value, lang: &str) -> Result<Value, PageError> {
    // Everything the checks need is read first: the context is not Send, so no await may follow it.
    let mut status_lists = std::collections::HashMap::new();
    for url in status_list_urls(document) {
        if let Some(list) = super::trust::status_list(state, &url).await? {
            status_lists.insert(url, list);
        }
    }
    let trust_list = super::trust::trust_list(state).await?;
    let report = {
        let context = VerifyContext {
            status_lists,
            trust_list,
            ..VerifyContext::new()
        };
        microcred_vc::verify(document, &context)
    };
    let credentials: Vec<Value> = match document.get("verifiableCredential") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => vec![document.clone()],
    };
    let mut explained = Vec::new();
    for credential in &credentials {
        explained.push(explain_credential(state, credential, lang).await?);
    }
    Ok(json!({ "report": report_view(&report, lang), "credentials": explained }))
}

/// Every `statusListCredential` URL in the document (credentials inside presentations included).
fn status_list_urls(document: &Value) -> Vec<String> {
    let mut urls = Vec::new();
    fn walk(value: &Value, urls: &mut Vec<String>, depth: usize) {
        if depth > 12 {
            return;
        }
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("statusListCredential", Value::String(url)) if !urls.contains(url) => {
                            urls.push(url.clone())
                        }
                        _ => walk(value, urls, depth + 1),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, urls, depth + 1)),
            _ => {}
        }
    }
    walk(document, &mut urls, 0);
    urls
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
    let verdict = match (report.verified, revoked) {
        (_, true) => "revoked",
        (true, false) => "valid",
        (false, false) => "invalid",
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
    if let Some(description) = super::trust::issued_description(state, credential).await? {
        view["d"] = explain::description(&description, lang);
    }
    Ok(view)
}
