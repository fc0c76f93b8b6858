//! One module per resource; each has `add(Routes) -> Routes`.

pub mod accounts;
pub mod accreditations;
pub mod auth;
pub mod claim;
pub mod descriptions;
pub mod did_web;
pub mod issuing;
pub mod jobs;
pub mod meta;
pub mod oid4vci;
pub mod register;
pub mod stacking;
pub mod status;
pub mod vcapi;

use axum::http::{header, HeaderMap, StatusCode};

use crate::problem::{ApiResult, Problem};

/// The row version a client expects (`If-Match: "7"`), if it sent one.
pub fn if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse::<i64>().map(Some).map_err(|_| {
        Problem::bad_request("If-Match must be the ETag of the description, e.g. \"3\"")
            .with_error("/headers/If-Match", "expected a quoted row version such as \"3\"")
    })
}

pub fn check_if_match(expected: Option<i64>, actual: i64) -> ApiResult<()> {
    match expected {
        Some(expected) if expected != actual => Err(Problem::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            "The description changed",
            format!("If-Match says version {expected} but the description is at {actual}; fetch it again and retry"),
        )),
        _ => Ok(()),
    }
}

pub fn etag(row_version: i64) -> String {
    format!("\"{row_version}\"")
}

/// The absolute base URL the client used, for identifiers in JSON-LD.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{scheme}://{host}")
}
