//! Request bodies: JSON only, size-limited, and parsed so that every error names its JSON pointer.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::problem::Problem;

/// The largest request body accepted; larger ones get a 413 problem before anything is parsed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        if !is_json(request.headers()) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "The body must be JSON",
                "send the body with Content-Type: application/json",
            ));
        }
        let bytes = read_bytes(request, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

pub fn is_json(headers: &HeaderMap) -> bool {
    content_type(headers).is_some_and(|ct| ct == "application/json" || ct.ends_with("+json"))
}

pub fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// The raw body, or a 413 problem when it is over [`MAX_BODY_BYTES`].
pub async fn read_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, Problem> {
    Bytes::from_request(request, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "The request body is too large",
                format!("the body must be at most {MAX_BODY_BYTES} bytes"),
            )
        } else {
            Problem::bad_request(format!("the body could not be read: {rejection}"))
        }
    })
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    match result {
        Ok(value) => Ok(value),
        Err(error) => {
            let pointer = json_pointer(error.path());
            let inner = error.into_inner();
            let message = strip_position(&inner.to_string());
            let problem = if inner.is_syntax() || inner.is_eof() {
                Problem::bad_request(format!("the body is not well-formed JSON: {inner}"))
            } else {
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-body",
                    "The body does not match the expected shape",
                    format!("{pointer}: {message}"),
                )
            };
            Err(problem.with_error(pointer, message))
        }
    }
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// serde_json appends " at line L column C"; a pointer says where better.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Shape {
        items: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        n: u8,
    }

    #[test]
    fn type_errors_name_their_json_pointer() {
        let problem = parse_json::<Shape>(br#"{"items": [{"n": 1}, {"n": "x"}]}"#).unwrap_err();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors[0].pointer, "/items/1/n");
        assert!(
            !problem.errors[0].detail.contains("line"),
            "{}",
            problem.errors[0].detail
        );
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let problem = parse_json::<Shape>(b"{\"items\": [").unwrap_err();
        assert_eq!(problem.status, 400);
    }
}
