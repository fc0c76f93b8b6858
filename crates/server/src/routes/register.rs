//! The public register: search with filters and pagination, one stable URL per entry and per published
//! version, as JSON or as an ELM learning opportunity (`?format=elm` or `Accept: application/ld+json`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use microcred_model::{Concept, Country, IscedField, Mode};
use microcred_store::{RegisterQuery, StoreError};
use serde_json::{json, Value};

use crate::app::{AppState, Routes};
use crate::problem::{ApiResult, Problem};
use crate::register_entry::elm_learning_opportunity;
use crate::routes::base_url;
use crate::routes::descriptions::body_of;

pub fn add(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/api/register", search)
        .add(Method::GET, "/api/register/{id}", entry)
        .add(
            Method::GET,
            "/api/register/{id}/versions/{version}",
            entry_version,
        )
}

const PARAMETERS: &[&str] = &[
    "q",
    "eqf",
    "isced",
    "country",
    "credits_min",
    "credits_max",
    "mode",
    "provider",
    "profile",
    "stackable",
    "page",
    "per_page",
    "format",
];

fn bad_parameter(name: &str, detail: impl Into<String>) -> Problem {
    let detail = detail.into();
    Problem::bad_request(format!("query parameter {name}: {detail}"))
        .with_error(format!("/query/{name}"), detail)
}

fn number<T: std::str::FromStr>(
    params: &HashMap<String, String>,
    name: &str,
    what: &str,
) -> ApiResult<Option<T>> {
    match params.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => value
            .parse()
            .map(Some)
            .map_err(|_| bad_parameter(name, format!("{value:?} is not {what}"))),
    }
}

/// Query parameters to a store query; unknown parameters and values are errors, so a typo never
/// silently returns the whole register.
pub fn parse_query(params: &HashMap<String, String>) -> ApiResult<RegisterQuery> {
    if let Some(unknown) = params.keys().find(|k| !PARAMETERS.contains(&k.as_str())) {
        return Err(bad_parameter(
            unknown,
            format!("unknown parameter; allowed: {}", PARAMETERS.join(", ")),
        ));
    }
    let text = |name: &str| {
        params
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let eqf: Option<i64> = number(params, "eqf", "an EQF level (1-8)")?;
    if eqf.is_some_and(|l| !(1..=8).contains(&l)) {
        return Err(bad_parameter("eqf", "EQF levels are 1 to 8"));
    }
    let isced = match text("isced") {
        None => None,
        // Broad (2 digits) and narrow (3) fields search every detailed field under them.
        Some(code) if code.len() < 4 && !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) => {
            Some(code)
        }
        Some(code) => Some(
            IscedField::parse(&code)
                .map_err(|e| bad_parameter("isced", e.to_string()))?
                .code()
                .to_string(),
        ),
    };
    let country = text("country")
        .map(|c| {
            Country::parse(&c)
                .map(|c| c.alpha2().to_string())
                .map_err(|e| bad_parameter("country", e.to_string()))
        })
        .transpose()?;
    let mode = text("mode")
        .map(|m| {
            Mode::parse(&m)
                .map(|m| m.key().to_string())
                .map_err(|e| bad_parameter("mode", e.to_string()))
        })
        .transpose()?;
    let stackable = match text("stackable").as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(bad_parameter(
                "stackable",
                format!("{other:?}: write true or false"),
            ))
        }
    };
    let per_page: i64 = number(params, "per_page", "a number")?.unwrap_or(20);
    if !(1..=100).contains(&per_page) {
        return Err(bad_parameter("per_page", "between 1 and 100"));
    }
    let page: i64 = number(params, "page", "a page number")?.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(bad_parameter("page", "pages start at 1"));
    }
    Ok(RegisterQuery {
        text: text("q"),
        eqf,
        isced,
        country,
        credits_min: number(params, "credits_min", "a number")?,
        credits_max: number(params, "credits_max", "a number")?,
        mode,
        provider: text("provider"),
        profile: text("profile"),
        stackable,
        page,
        per_page,
    })
}

async fn search(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let query = parse_query(&params)?;
    let page = state.store.search_register(&query).await?;
    let items: Vec<Value> = page
        .entries
        .iter()
        .map(|e| serde_json::from_str(&e.summary).unwrap_or(Value::Null))
        .collect();
    let pages = (page.total + query.per_page - 1) / query.per_page;
    Ok(Json(
        json!({ "total": page.total, "page": query.page, "per_page": query.per_page, "pages": pages, "items": items }),
    ))
}

fn wants_elm(params: &HashMap<String, String>, headers: &HeaderMap) -> bool {
    params.get("format").is_some_and(|f| f == "elm" || f == "jsonld")
        || headers
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("application/ld+json"))
}

async fn render(
    state: &AppState,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    id: &str,
    version: i64,
) -> ApiResult<Response> {
    let description = body_of(state, id, version).await?;
    let record = state.store.description(id).await?;
    let provider = state.store.organisation(&record.provider_id).await?;
    if wants_elm(params, headers) {
        let document = elm_learning_opportunity(&base_url(headers), id, &description, &provider);
        return Ok(([(header::CONTENT_TYPE, "application/ld+json")], Json(document)).into_response());
    }
    Ok(Json(json!({ "id": id, "version": version, "provider": provider, "profile": record.profile,
                    "description": description, "versionUrl": format!("/api/register/{id}/versions/{version}") }))
    .into_response())
}

async fn entry(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let entry = state.store.register_entry(&id).await?;
    render(&state, &headers, &params, &id, entry.version).await
}

/// A version stays reachable at its URL after newer ones are published, but only if it was published.
async fn entry_version(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, version)): Path<(String, i64)>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let stored = state.store.version(&id, version).await.map_err(|e| match e {
        StoreError::NotFound(_) => {
            Problem::not_found(format!("version {version} of {id} was never published"))
        }
        other => other.into(),
    })?;
    if stored.published_at.is_none() {
        return Err(Problem::not_found(format!(
            "version {version} of {id} was never published"
        )));
    }
    render(&state, &headers, &params, &id, version).await
}
