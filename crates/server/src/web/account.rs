//! Login and logout pages on the existing session mechanism (the same cookie as `POST /api/login`).

use axum::body::Bytes;
use axum::extract::Query;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use microcred_store::{timestamp, Role};
use serde::Deserialize;
use serde_json::json;

use super::{finish, form, Ctx, PageError};
use crate::auth::{
    hash_password, new_secret, secret_hash, session_cookie, session_set_cookie, verify_password,
    SESSION_HOURS,
};

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only paths on this site, so the login form cannot be used to send people elsewhere.
fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .map(str::to_string)
}

pub async fn login_form(ctx: Ctx, Query(query): Query<Next>) -> Response {
    ctx.render("login.html", json!({ "next": safe_next(query.next.as_deref()) }))
}

pub async fn login(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = login_inner(&ctx, &headers, &body).await;
    finish(&ctx, result)
}

async fn login_inner(ctx: &Ctx, headers: &HeaderMap, body: &[u8]) -> Result<Response, PageError> {
    let fields = form::parse(headers, body)?;
    ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
    let email = fields.get("email").map(|e| e.trim()).unwrap_or("");
    let password = fields.get("password").map(String::as_str).unwrap_or("");
    let next = safe_next(fields.get("next").map(String::as_str));
    let user = ctx.state.store.user_by_email(email).await?;
    let verified = match &user {
        Some(user) => verify_password(&user.password_hash, password),
        None => {
            // Same time as a real check, so timing does not reveal which emails have accounts.
            let _ = hash_password(password);
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        return Ok(ctx.render_status(
            StatusCode::UNAUTHORIZED,
            "login.html",
            json!({ "next": next, "failed": true, "email": email }),
        ));
    };
    let secret = new_secret("mcs_");
    let expires = chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS);
    ctx.state
        .store
        .create_session(&secret_hash(&secret), &user.id, &timestamp(expires))
        .await?;
    tracing::info!(user = %user.id, "login (web)");
    let destination = next.unwrap_or_else(|| {
        match user.role {
            Role::Provider => "/provider",
            Role::Authority => "/authority",
            Role::Learner => "/wallet",
            _ => "/register",
        }
        .to_string()
    });
    let cookie = session_set_cookie(&secret, headers, SESSION_HOURS * 3600);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&destination)).into_response())
}

pub async fn logout(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let fields = form::parse(&headers, &body)?;
        ctx.check_csrf(fields.get("csrf").map(String::as_str))?;
        if let Some(secret) = session_cookie(&headers) {
            ctx.state.store.delete_session(&secret_hash(&secret)).await?;
        }
        let cookie = session_set_cookie("", &headers, 0);
        Ok::<_, PageError>(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
    }
    .await;
    finish(&ctx, result)
}
