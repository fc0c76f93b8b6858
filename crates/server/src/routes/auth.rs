//! Logging in and out, who am I, and API tokens.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use microcred_store::{new_id, now, timestamp, ApiToken};
use serde::Deserialize;
use serde_json::json;

use crate::app::{AppState, Routes};
use crate::auth::{
    hash_password, new_secret, secret_hash, session_cookie, session_set_cookie, verify_password, Principal,
    SESSION_HOURS,
};
use crate::body::{content_type, parse_json, read_bytes, JsonBody};
use crate::permissions::{Permission, SCOPES};
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::POST, "/api/login", login)
        .add(Method::POST, "/api/logout", logout)
        .add(Method::GET, "/api/me", me)
        .add(Method::POST, "/api/tokens", create_token)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
    /// Form logins only: where to go afterwards (a path on this site).
    #[serde(default)]
    next: Option<String>,
}

/// JSON (`{"email", "password"}`) answers JSON; an HTML form post answers 303 to `next`.
async fn login(State(state): State<AppState>, request: Request) -> ApiResult<Response> {
    let headers = request.headers().clone();
    let is_form = content_type(&headers).as_deref() == Some("application/x-www-form-urlencoded");
    let bytes = read_bytes(request, &state).await?;
    let login: Login = if is_form {
        serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| Problem::bad_request(format!("the form is invalid: {e}")))?
    } else {
        parse_json(&bytes)?
    };
    let user = state.store.user_by_email(&login.email).await?;
    let verified = match &user {
        Some(user) => verify_password(&user.password_hash, &login.password),
        None => {
            // Spend the same time as a real check, so response times do not reveal which emails exist.
            let _ = hash_password(&login.password);
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        return Err(Problem::unauthenticated("the email or the password is wrong"));
    };
    let secret = new_secret("mcs_");
    let expires = chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS);
    state
        .store
        .create_session(&secret_hash(&secret), &user.id, &timestamp(expires))
        .await?;
    tracing::info!(user = %user.id, "login");
    let cookie = session_set_cookie(&secret, &headers, SESSION_HOURS * 3600);
    let next = login.next.filter(|n| n.starts_with('/') && !n.starts_with("//"));
    match (is_form, next) {
        (true, Some(next)) => Ok((
            StatusCode::SEE_OTHER,
            [(header::SET_COOKIE, cookie), (header::LOCATION, next)],
        )
            .into_response()),
        _ => Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "user": user }))).into_response()),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(secret) = session_cookie(&headers) {
        state.store.delete_session(&secret_hash(&secret)).await?;
    }
    let cookie = session_set_cookie("", &headers, 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

async fn me(State(state): State<AppState>, principal: Principal) -> ApiResult<Json<serde_json::Value>> {
    let organisation = principal.organisation(&state).await?;
    Ok(Json(
        json!({ "user": principal.user, "organisation": organisation, "scopes": principal.scopes }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
    scopes: Vec<String>,
    #[serde(default)]
    expires_in_days: Option<u32>,
}

async fn create_token(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(request): JsonBody<NewToken>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    principal.require(Permission::CreateToken)?;
    for (i, scope) in request.scopes.iter().enumerate() {
        if !SCOPES.contains(&scope.as_str()) {
            return Err(Problem::invalid_field(
                &format!("/scopes/{i}"),
                format!("unknown scope {scope:?}; allowed: {}", SCOPES.join(", ")),
            ));
        }
    }
    // A token can never carry more than its holder: another token may only narrow its scopes.
    if let Some(own) = &principal.scopes {
        if let Some(i) = request.scopes.iter().position(|s| !own.contains(s)) {
            return Err(
                Problem::forbidden("a token cannot create a token with scopes it does not have")
                    .with_error(format!("/scopes/{i}"), "not among this token's scopes"),
            );
        }
    }
    if request.name.trim().is_empty() {
        return Err(Problem::invalid_field(
            "/name",
            "give the token a name saying what uses it",
        ));
    }
    let secret = new_secret("mct_");
    let token = ApiToken {
        id: new_id("tok"),
        user_id: principal.user.id.clone(),
        name: request.name,
        scopes: request.scopes,
        created_at: now(),
        expires_at: request
            .expires_in_days
            .map(|d| timestamp(chrono::Utc::now() + chrono::Duration::days(d.into()))),
    };
    state
        .store
        .create_token(&secret_hash(&secret), &token, &principal.actor())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "token": secret, "details": token })),
    ))
}
