//! Stacking for people (issue #7): choose a built-in qualification, give credentials (upload, paste, or
//! tick them in one's wallet), and read per requirement what counts, what is missing, which credentials
//! were excluded and why, and which published micro-credentials would close the gaps. The same service
//! functions as `POST /api/stack/evaluate`; a recommendation only, nothing is awarded.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use microcred_store::{Role, StoreError};
use serde_json::{json, Value};

use super::{finish, form, Ctx, PageError};
use crate::problem::Problem;
use crate::routes::stacking::{builtin_list, evaluate_with_register, held_credentials, qualification_from};

/// The logged-in learner's wallet, as choices: id and a title.
async fn wallet_choices(ctx: &Ctx) -> Result<Vec<Value>, PageError> {
    let Some(user) = ctx.user.as_ref().filter(|u| u.role == Role::Learner) else {
        return Ok(Vec::new());
    };
    let mut items = Vec::new();
    for record in ctx.state.store.credentials_of_learner(&user.email).await? {
        let body: Value = serde_json::from_str(&record.body).unwrap_or_default();
        let title = body["name"]
            .as_str()
            .or(body["credentialSubject"]["achievement"]["name"].as_str())
            .unwrap_or(&record.id)
            .to_string();
        items.push(
            json!({ "id": record.id, "title": title, "issued": record.issued_at, "state": record.state }),
        );
    }
    Ok(items)
}

async fn render_form(ctx: &Ctx, status: StatusCode, mut page: Value) -> Result<Response, PageError> {
    page["qualifications"] = Value::Array(builtin_list());
    page["wallet"] = Value::Array(wallet_choices(ctx).await?);
    Ok(ctx.render_status(status, "stack.html", page))
}

pub async fn form(ctx: Ctx) -> Response {
    let result = render_form(&ctx, StatusCode::OK, json!({})).await;
    finish(&ctx, result)
}

/// The credentials in pasted or uploaded JSON: one credential, an array of them, or a presentation.
fn documents_in(text: &str) -> Result<Vec<Value>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(match value {
        Value::Array(items) => items,
        Value::Object(ref map) if map.contains_key("verifiableCredential") => {
            match &map["verifiableCredential"] {
                Value::Array(items) => items.clone(),
                one => vec![one.clone()],
            }
        }
        one => vec![one],
    })
}

pub async fn submit(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = submit_inner(&ctx, &headers, &body).await;
    finish(&ctx, result)
}

async fn submit_inner(ctx: &Ctx, headers: &HeaderMap, body: &[u8]) -> Result<Response, PageError> {
    if body.len() > form::MAX_FORM_BYTES {
        return Err(PageError::Problem(Problem::bad_request(
            "the upload is larger than 2 MiB; credentials are a few kilobytes each",
        )));
    }
    let fields = form::parse(headers, body)?;
    ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
    let chosen = fields.get("qualification").cloned().unwrap_or_default();
    let pasted = fields.get("json").cloned().unwrap_or_default();
    let again = |error: String| json!({ "error": error, "chosen": chosen, "json": pasted });
    let qualification = match qualification_from(&Value::String(chosen.clone())) {
        Ok(q) => q,
        Err(problem) => {
            return render_form(ctx, StatusCode::UNPROCESSABLE_ENTITY, again(problem.detail)).await
        }
    };
    let mut documents = Vec::new();
    for (name, text) in [("file", fields.get("file")), ("json", fields.get("json"))] {
        let Some(text) = text.map(|t| t.trim()).filter(|t| !t.is_empty()) else {
            continue;
        };
        match documents_in(text) {
            Ok(found) => documents.extend(found),
            Err(error) => {
                let message = format!(
                    "{}: {error}",
                    super::i18n::message(ctx.lang, &format!("stack_{name}_not_json"))
                );
                return render_form(ctx, StatusCode::UNPROCESSABLE_ENTITY, again(message)).await;
            }
        }
    }
    // Credentials ticked in the wallet: only the learner's own.
    let mut picked: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k.starts_with("wallet_"))
        .map(|(_, v)| v)
        .collect();
    picked.sort();
    if !picked.is_empty() {
        let user = ctx.require_user()?;
        for id in picked {
            match ctx.state.store.credential(id).await {
                Ok(record) if record.learner_email.eq_ignore_ascii_case(&user.email) => {
                    documents.push(serde_json::from_str(&record.body).unwrap_or_default())
                }
                Ok(_) | Err(StoreError::NotFound(_)) => {
                    return Err(PageError::Problem(Problem::not_found(format!(
                        "credential {id} is not in your wallet"
                    ))))
                }
                Err(other) => return Err(other.into()),
            }
        }
    }
    if documents.is_empty() {
        let message = super::i18n::message(ctx.lang, "stack_no_credentials");
        return render_form(ctx, StatusCode::UNPROCESSABLE_ENTITY, again(message)).await;
    }
    let base = ctx.state.issuing.base_url(headers);
    let held = match held_credentials(&ctx.state, &base, &documents, "/credentials").await {
        Ok(held) => held,
        Err(problem) if problem.status == 422 => {
            let at = problem
                .errors
                .first()
                .map(|e| format!("{}: ", e.pointer))
                .unwrap_or_default();
            return render_form(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                again(format!("{at}{}", problem.detail)),
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    };
    let evaluation = evaluate_with_register(&ctx.state, &qualification, &held).await?;
    let met = evaluation.requirements.iter().filter(|r| r.met).count();
    let view = serde_json::to_value(&evaluation).map_err(|_| Problem::internal())?;
    render_form(
        ctx,
        StatusCode::OK,
        json!({ "e": view, "met": met, "total": evaluation.requirements.len(), "chosen": chosen }),
    )
    .await
}
