//! Reading HTML form posts (urlencoded, and multipart for file uploads) and small text helpers.

use std::collections::HashMap;

use axum::http::{header, HeaderMap};

use crate::problem::Problem;

/// Form fields by name (the last value wins; no form here repeats a name).
pub type Fields = HashMap<String, String>;

/// Largest upload the verification page reads (a credential is a few kilobytes).
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub fn parse(headers: &HeaderMap, body: &[u8]) -> Result<Fields, Problem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split(';').find_map(|p| p.trim().strip_prefix("boundary=")))
    {
        return multipart(body, boundary.trim_matches('"'));
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .map(|pairs| pairs.into_iter().collect())
        .map_err(|e| Problem::bad_request(format!("the form is invalid: {e}")))
}

/// A minimal multipart/form-data reader: each part's `name` and its body as UTF-8 text (files here
/// are JSON credentials). Parts that are not text are refused.
fn multipart(body: &[u8], boundary: &str) -> Result<Fields, Problem> {
    let delimiter = format!("--{boundary}");
    let text = std::str::from_utf8(body).map_err(|_| Problem::bad_request("the upload is not UTF-8 text"))?;
    let mut fields = Fields::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let Some((head, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let name = head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .flat_map(|l| l.split(';'))
            .find_map(|p| p.trim().strip_prefix("name="))
            .map(|n| n.trim_matches('"').to_string());
        if let Some(name) = name {
            let content = content.strip_suffix("\r\n").unwrap_or(content);
            fields.insert(name, content.to_string());
        }
    }
    Ok(fields)
}

/// Percent-encode a query value.
pub fn encode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// HTML-escape text for the few strings written outside templates.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_fields_are_read() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.json\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n--XX--\r\n";
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XX".parse().unwrap(),
        );
        let fields = parse(&headers, body.as_bytes()).unwrap();
        assert_eq!(fields["csrf"], "abc");
        assert_eq!(fields["file"], "{\"a\":1}");
    }

    #[test]
    fn urlencoded_fields_are_read_and_text_is_escaped() {
        let fields = parse(&HeaderMap::new(), b"a=1&b=x+y%26").unwrap();
        assert_eq!(fields["b"], "x y&");
        assert_eq!(escape("<script>\"'"), "&lt;script&gt;&quot;&#39;");
        assert_eq!(encode("/a b?c"), "%2Fa+b%3Fc");
    }
}
