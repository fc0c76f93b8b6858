//! What an employer sees behind a share link (`/s/{token}`): each shared credential verified against
//! this service's status lists and trust list, and explained in plain language.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::{finish, verify, wallet, Ctx, PageError};
use crate::auth::secret_hash;

pub async fn open(ctx: Ctx, Path(token): Path<String>, headers: HeaderMap) -> Response {
    let result = async {
        let share = ctx.state.store.share_by_token(&secret_hash(&token)).await?;
        let now = microcred_store::now();
        let Some(share) = share.filter(|s| s.is_open(&now)) else {
            return Ok(ctx.render_status(StatusCode::GONE, "share.html", json!({ "closed": true })));
        };
        let base = ctx.state.issuing.base_url(&headers);
        let mut items = Vec::new();
        for id in &share.credential_ids {
            let record = ctx.state.store.credential(id).await?;
            let document: Value = serde_json::from_str(&record.body).unwrap_or_default();
            let report = crate::verifier::verify_document(&ctx.state, document, &base, None, None).await?;
            let mut view = wallet::credential_view(&ctx, &record).await?;
            view["report"] = verify::report_view(&report, ctx.lang);
            items.push(view);
        }
        Ok(ctx.render(
            "share.html",
            json!({ "label": share.label, "expires": share.expires_at, "items": items, "token": token }),
        ))
    }
    .await;
    finish(&ctx, result)
}

/// The shared credential as JSON, for an employer's own tools (only while the share is open).
pub async fn download(ctx: Ctx, Path((token, index)): Path<(String, usize)>) -> Response {
    let result = async {
        let now = microcred_store::now();
        let share = ctx.state.store.share_by_token(&secret_hash(&token)).await?;
        let id = share
            .filter(|s| s.is_open(&now))
            .and_then(|s| s.credential_ids.get(index).cloned())
            .ok_or_else(|| PageError::Problem(crate::problem::Problem::not_found("this link is closed")))?;
        Ok(crate::routes::issuing::download(
            &ctx.state.store.credential(&id).await?,
        ))
    }
    .await;
    finish(&ctx, result)
}
