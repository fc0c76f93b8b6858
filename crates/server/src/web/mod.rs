//! Web pages for people (issue #6): server-rendered HTML that works without JavaScript. Templates,
//! the stylesheet and the message catalogues are compiled into the binary.
//!
//! Every handler takes a [`Ctx`] (language, the logged-in user if any, the CSRF token) and answers
//! with [`Ctx::render`]. Page errors are HTML pages too ([`PageError`]), never problem+json.

mod account;
mod authority;
pub mod claim;
mod csrf;
mod explain;
mod form;
pub mod i18n;
mod issuing;
mod pdf;
mod provider;
mod register;
mod share;
mod stack;
mod templates;
mod verify;
mod wallet;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use microcred_store::{OrgKind, Organisation, Role, User};
use serde_json::{json, Value};

use crate::app::AppState;
use crate::auth::{secret_hash, session_cookie};
use crate::problem::Problem;

/// The page routes; merged beside the API in [`crate::app::router`] (they are not part of the OpenAPI
/// route table).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/site.css", get(stylesheet))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route("/register", get(register::search))
        .route("/register/{id}", get(register::entry))
        .route("/verify", get(verify::form).post(verify::submit))
        .route("/stack", get(stack::form).post(stack::submit))
        .route("/provider", get(provider::list))
        .route("/provider/new", get(provider::new_form).post(provider::create))
        .route("/provider/findings", post(provider::live_findings))
        .route("/provider/{id}", get(provider::edit_form).post(provider::save))
        .route("/provider/{id}/submit", post(provider::submit))
        .route("/provider/{id}/issue", post(issuing::upload_roster))
        .route("/provider/{id}/revoke", post(issuing::revoke))
        .route("/provider/jobs/{id}", get(issuing::job))
        .route("/authority", get(authority::queue))
        .route(
            "/authority/accreditations",
            get(authority::accreditations).post(authority::grant),
        )
        .route("/authority/{id}", get(authority::review))
        .route("/authority/{id}/act", post(authority::act))
        .route("/wallet", get(wallet::wallet))
        .route("/wallet/shares", post(wallet::create_share))
        .route("/wallet/shares/{id}/revoke", post(wallet::revoke_share))
        .route("/wallet/presentation.json", get(wallet::presentation))
        .route("/wallet/{id}/credential.json", get(wallet::download_json))
        .route("/wallet/{id}/credential.pdf", get(wallet::download_pdf))
        .route("/s/{token}", get(share::open))
        .route("/s/{token}/{index}", get(share::download))
}

/// What every page needs to know about the request.
pub struct Ctx {
    pub state: AppState,
    pub lang: &'static str,
    pub user: Option<User>,
    pub csrf: String,
    /// The path and the query without `lang`, for the language switcher.
    path: String,
    query: String,
    /// Cookies to set on the response (language choice, the anonymous CSRF cookie).
    set_cookies: Vec<String>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let (lang, lang_cookie) = i18n::negotiate(parts.uri.query(), &parts.headers);
        let session = session_cookie(&parts.headers).filter(|s| !s.is_empty());
        let user = match &session {
            Some(secret) => state.store.session_user(&secret_hash(secret)).await?,
            None => None,
        };
        let mut set_cookies: Vec<String> = lang_cookie.into_iter().collect();
        let csrf = match (&session, &user) {
            (Some(secret), Some(_)) => csrf::session_token(secret),
            _ => {
                let (token, cookie) = csrf::anonymous_token(&parts.headers);
                set_cookies.extend(cookie);
                token
            }
        };
        let query = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
            .collect::<Vec<_>>()
            .join("&");
        Ok(Ctx {
            state: state.clone(),
            lang,
            user,
            csrf,
            path: parts.uri.path().to_string(),
            query,
            set_cookies,
        })
    }
}

impl Ctx {
    /// Render `template` with the page's own data plus what the layout needs.
    pub fn render(&self, template: &str, page: Value) -> Response {
        self.render_status(StatusCode::OK, template, page)
    }

    pub fn render_status(&self, status: StatusCode, template: &str, page: Value) -> Response {
        let mut data = match page {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        data.insert("lang".into(), self.lang.into());
        data.insert("t".into(), i18n::catalogue_json(self.lang));
        data.insert("csrf".into(), self.csrf.clone().into());
        data.insert("languages".into(), self.language_links());
        data.insert(
            "user".into(),
            match &self.user {
                Some(u) => json!({ "name": u.name, "email": u.email, "role": u.role.to_string() }),
                None => Value::Null,
            },
        );
        match templates::render(template, &Value::Object(data)) {
            Ok(html) => {
                let mut response = (status, Html(html)).into_response();
                for cookie in &self.set_cookies {
                    if let Ok(value) = cookie.parse() {
                        response.headers_mut().append(header::SET_COOKIE, value);
                    }
                }
                response
            }
            Err(error) => {
                tracing::error!(template, %error, "template failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the page could not be rendered",
                )
                    .into_response()
            }
        }
    }

    fn language_links(&self) -> Value {
        let separator = if self.query.is_empty() { "" } else { "&" };
        i18n::LANGUAGES
            .iter()
            .map(|(code, name)| {
                json!({
                    "code": code,
                    "name": name,
                    "href": format!("{}?{}{separator}lang={code}", self.path, self.query),
                    "current": *code == self.lang,
                })
            })
            .collect()
    }

    /// The logged-in user, or a redirect to the login page that comes back here.
    pub fn require_user(&self) -> Result<&User, PageError> {
        self.user
            .as_ref()
            .ok_or_else(|| PageError::Login(self.path.clone()))
    }

    pub fn require_role(&self, role: Role) -> Result<&User, PageError> {
        let user = self.require_user()?;
        if user.role != role && user.role != Role::Admin {
            return Err(PageError::Problem(Problem::forbidden(format!(
                "this page is for accounts with the role {role}"
            ))));
        }
        Ok(user)
    }

    /// The user's organisation, which must be of `kind`.
    pub async fn organisation(&self, kind: OrgKind) -> Result<Organisation, PageError> {
        let user = self.require_user()?;
        let id = user.organisation_id.as_deref().ok_or_else(|| {
            PageError::Problem(Problem::forbidden("your account belongs to no organisation"))
        })?;
        let organisation = self.state.store.organisation(id).await?;
        if organisation.kind != kind {
            return Err(PageError::Problem(Problem::forbidden(format!(
                "this page is for a {kind} organisation's staff"
            ))));
        }
        Ok(organisation)
    }

    /// The principal the API service functions expect, for the logged-in person.
    pub fn principal(&self) -> Result<crate::auth::Principal, PageError> {
        Ok(crate::auth::Principal {
            user: self.require_user()?.clone(),
            scopes: None,
        })
    }

    /// Refuse a form post whose CSRF token is not this session's (or this browser's, before login).
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), PageError> {
        if submitted.is_some_and(|token| csrf::same(token, &self.csrf)) {
            Ok(())
        } else {
            Err(PageError::Problem(Problem::forbidden(
                "the form expired or did not come from this site; reload the page and try again",
            )))
        }
    }

    /// Render an error as a page in the reader's language.
    pub fn error_page(&self, error: PageError) -> Response {
        match error {
            PageError::Login(back) => {
                Redirect::to(&format!("/login?next={}", form::encode(&back))).into_response()
            }
            PageError::Problem(problem) => {
                let status =
                    StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                self.render_status(
                    status,
                    "error.html",
                    json!({ "status": problem.status, "title": problem.title, "detail": problem.detail }),
                )
            }
        }
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
pub enum PageError {
    /// Not logged in: go to the login page, then back to this path.
    Login(String),
    Problem(Problem),
}

impl From<Problem> for PageError {
    fn from(problem: Problem) -> Self {
        PageError::Problem(problem)
    }
}

impl From<microcred_store::StoreError> for PageError {
    fn from(error: microcred_store::StoreError) -> Self {
        PageError::Problem(error.into())
    }
}

/// Used only when the [`Ctx`] itself cannot be built (the database is down): a plain page.
impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login(back) => {
                Redirect::to(&format!("/login?next={}", form::encode(&back))).into_response()
            }
            PageError::Problem(problem) => {
                let status =
                    StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                (status, Html(format!("<!doctype html><html lang=\"en\"><title>Error</title><main><h1>{}</h1></main></html>", form::escape(&problem.title)))).into_response()
            }
        }
    }
}

/// A page body's result as a response: errors become error pages with the same context.
pub fn finish(ctx: &Ctx, result: Result<Response, PageError>) -> Response {
    result.unwrap_or_else(|error| ctx.error_page(error))
}

async fn home(ctx: Ctx) -> Response {
    let destination = match ctx.user.as_ref().map(|u| u.role) {
        Some(Role::Provider) => Some("/provider"),
        Some(Role::Authority) => Some("/authority"),
        Some(Role::Learner) => Some("/wallet"),
        _ => None,
    };
    ctx.render("home.html", json!({ "destination": destination }))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/site.css"),
    )
}

/// Whether a header map says the client prefers HTML (for content negotiation on shared paths).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}
