//! The page a learner's claim link opens. The issuing routes own `GET /claim/{token}` (JSON, for
//! wallets and scripts); a browser asking for HTML gets this page instead, chosen by the middleware
//! [`html_first`] so that the two never register the same route twice.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::{finish, verify, wallet, wants_html, Ctx};
use crate::app::AppState;
use crate::auth::secret_hash;

/// Browsers (Accept: text/html) asking for `/claim/{token}` get the page; everything else goes on.
pub async fn html_first(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request
        .uri()
        .path()
        .strip_prefix("/claim/")
        .filter(|t| !t.is_empty() && !t.contains('/'))
        .map(str::to_string);
    match token {
        Some(token) if request.method() == Method::GET && wants_html(request.headers()) => {
            let (mut parts, _) = request.into_parts();
            match Ctx::from_request_parts(&mut parts, &state).await {
                Ok(ctx) => page(ctx, token, parts.headers).await,
                Err(error) => error.into_response(),
            }
        }
        _ => next.run(request).await,
    }
}

async fn page(ctx: Ctx, token: String, headers: HeaderMap) -> Response {
    let result = async {
        let grant = ctx
            .state
            .store
            .grant_credential(&secret_hash(&token), "claim")
            .await?;
        let Some(id) = grant else {
            return Ok(ctx.render_status(StatusCode::NOT_FOUND, "claim.html", json!({ "unknown": true })));
        };
        let record = ctx.state.store.credential(&id).await?;
        let document: Value = serde_json::from_str(&record.body).unwrap_or_default();
        let base = ctx.state.issuing.base_url(&headers);
        let report = crate::verifier::verify_document(&ctx.state, document, &base, None, None).await?;
        let mut view = wallet::credential_view(&ctx, &record).await?;
        view["report"] = verify::report_view(&report, ctx.lang);
        let owner = ctx
            .user
            .as_ref()
            .map(|u| u.email.eq_ignore_ascii_case(&record.learner_email));
        Ok(ctx.render(
            "claim.html",
            json!({ "token": token, "c": view, "owner": owner, "login_next": super::form::encode(&format!("/claim/{token}")) }),
        ))
    }
    .await;
    finish(&ctx, result)
}
