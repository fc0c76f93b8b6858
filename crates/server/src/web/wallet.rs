//! The learner's wallet: their credentials explained, downloads (JSON, PDF, a presentation of several),
//! and share links with an expiry that they can revoke.

use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use microcred_store::{new_id, timestamp, CredentialRecord, Share, StoreError};
use serde_json::{json, Value};

use super::{explain, finish, form, pdf, Ctx, PageError};
use crate::auth::{new_secret, secret_hash};
use crate::problem::Problem;
use crate::routes::claim::qr_svg;
use crate::routes::descriptions::body_of;

/// Expiry choices offered for a share link, in days.
const EXPIRY_DAYS: &[i64] = &[1, 7, 30, 90, 365];

/// One of the user's own credentials (others' are "not found", so ids reveal nothing).
async fn own_credential(ctx: &Ctx, id: &str) -> Result<CredentialRecord, PageError> {
    let user = ctx.require_user()?;
    match ctx.state.store.credential(id).await {
        Ok(c) if c.learner_email.eq_ignore_ascii_case(&user.email) => Ok(c),
        Ok(_) | Err(StoreError::NotFound(_)) => Err(PageError::Problem(Problem::not_found(format!(
            "credential {id} is not in your wallet"
        )))),
        Err(other) => Err(other.into()),
    }
}

/// A credential as the wallet and share pages show it.
pub async fn credential_view(ctx: &Ctx, credential: &CredentialRecord) -> Result<Value, PageError> {
    let description = body_of(&ctx.state, &credential.description_id, credential.version).await?;
    let body: Value = serde_json::from_str(&credential.body).unwrap_or_default();
    Ok(json!({
        "id": credential.id,
        "state": credential.state,
        "issued": credential.issued_at,
        "holder": credential.learner_name,
        "issuer": body["issuer"]["name"].as_str().or(body["issuer"].as_str()),
        "d": explain::description(&description, ctx.lang),
    }))
}

pub async fn wallet(ctx: Ctx) -> Response {
    let result = async {
        let user = ctx.require_user()?;
        let mut items = Vec::new();
        for credential in ctx.state.store.credentials_of_learner(&user.email).await? {
            items.push(credential_view(&ctx, &credential).await?);
        }
        let now = microcred_store::now();
        let shares: Vec<Value> = ctx
            .state
            .store
            .shares_of(&user.email)
            .await?
            .into_iter()
            .map(|s| {
                json!({ "id": s.id, "label": s.label, "count": s.credential_ids.len(), "expires": s.expires_at,
                        "open": s.is_open(&now), "revoked": s.revoked_at.is_some() })
            })
            .collect();
        Ok(ctx.render(
            "wallet.html",
            json!({ "items": items, "shares": shares, "expiry_days": EXPIRY_DAYS }),
        ))
    }
    .await;
    finish(&ctx, result)
}

/// Create a share link to the chosen credentials and show it once, with its QR code.
pub async fn create_share(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let user = ctx.require_user()?.clone();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
            .map_err(|e| Problem::bad_request(format!("the form is invalid: {e}")))?;
        let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        ctx.check_csrf(field("csrf"))?;
        let ids: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k == "credential")
            .map(|(_, v)| v.clone())
            .collect();
        if ids.is_empty() {
            return Err(PageError::Problem(Problem::bad_request(
                "choose at least one credential to share",
            )));
        }
        for id in &ids {
            own_credential(&ctx, id).await?;
        }
        let days = field("days")
            .and_then(|d| d.parse::<i64>().ok())
            .filter(|d| EXPIRY_DAYS.contains(d));
        let days = days.ok_or_else(|| Problem::bad_request("choose how long the link works"))?;
        let label = field("label")
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .unwrap_or("Shared credentials");
        let (link, expires) = new_share(&ctx, &headers, &user.email, label, ids, days).await?;
        Ok(ctx.render(
            "share_created.html",
            json!({ "link": link, "qr": qr_svg(&link), "expires": expires, "label": label }),
        ))
    }
    .await;
    finish(&ctx, result)
}

/// Store a share and return its absolute link (shown once: only its hash is kept) and expiry.
pub async fn new_share(
    ctx: &Ctx,
    headers: &HeaderMap,
    owner: &str,
    label: &str,
    credential_ids: Vec<String>,
    days: i64,
) -> Result<(String, String), PageError> {
    let token = new_secret("mcsh_");
    let expires = timestamp(chrono::Utc::now() + chrono::Duration::days(days));
    let share = Share {
        id: new_id("share"),
        owner_email: owner.to_string(),
        label: label.chars().take(120).collect(),
        credential_ids,
        expires_at: expires.clone(),
        revoked_at: None,
        created_at: String::new(),
    };
    let actor = ctx.principal()?.actor();
    ctx.state
        .store
        .create_share(&share, &secret_hash(&token), &actor)
        .await?;
    let base = ctx.state.issuing.base_url(headers);
    Ok((format!("{base}/s/{token}"), expires))
}

pub async fn revoke_share(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let user = ctx.require_user()?;
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        let actor = ctx.principal()?.actor();
        ctx.state.store.revoke_share(&id, &user.email, &actor).await?;
        Ok(Redirect::to("/wallet#shares").into_response())
    }
    .await;
    finish(&ctx, result)
}

pub async fn download_json(ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        Ok(crate::routes::issuing::download(
            &own_credential(&ctx, &id).await?,
        ))
    }
    .await;
    finish(&ctx, result)
}

/// A printable PDF; its QR code opens a share link (valid a year, listed in the wallet, revocable)
/// whose page verifies the credential.
pub async fn download_pdf(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let result = async {
        let credential = own_credential(&ctx, &id).await?;
        let view = credential_view(&ctx, &credential).await?;
        let owner = ctx.require_user()?.email.clone();
        let label = format!("PDF: {}", view["d"]["title"].as_str().unwrap_or(""));
        let (link, _) = new_share(&ctx, &headers, &owner, &label, vec![id.clone()], 365).await?;
        let bytes = pdf::credential_pdf(&view, &link, ctx.lang);
        let name = id.trim_start_matches("urn:uuid:");
        Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"credential-{name}.pdf\""),
                ),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    finish(&ctx, result)
}

/// The chosen credentials wrapped in an (unsigned) Verifiable Presentation: the credentials keep their
/// own proofs; the learner has no key here to sign the wrapper.
pub async fn presentation(ctx: Ctx, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let result = async {
        let mut credentials = Vec::new();
        for (_, id) in pairs.iter().filter(|(k, _)| k == "credential") {
            let record = own_credential(&ctx, id).await?;
            credentials.push(serde_json::from_str::<Value>(&record.body).unwrap_or_default());
        }
        if credentials.is_empty() {
            return Err(PageError::Problem(Problem::bad_request(
                "choose at least one credential",
            )));
        }
        let presentation = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": credentials,
        });
        Ok((
            [
                (header::CONTENT_TYPE, "application/vp+ld+json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"presentation.json\"",
                ),
            ],
            serde_json::to_string_pretty(&presentation).unwrap_or_default(),
        )
            .into_response())
    }
    .await;
    finish(&ctx, result)
}
