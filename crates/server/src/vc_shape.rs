//! VC Data Model 2.0 rules an issuer checks before signing what a client sent through the VC-API:
//! typed objects, date-time stamps, URLs, non-empty subjects, related resources. (Signing an invalid
//! credential would give it a valid proof.) Each problem names its JSON pointer.

use serde_json::Value;

/// A URL in the sense of the data model: an absolute IRI with a scheme.
fn is_url(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !text.chars().any(char::is_whitespace)
    })
}

fn objects(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn is_date_time_stamp(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok() && text.contains('T')
}

/// Every problem found, as (pointer, message).
pub fn problems(credential: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut problem = |pointer: &str, message: &str| found.push((pointer.to_string(), message.to_string()));
    if let Some(id) = credential.get("id") {
        if !id.as_str().is_some_and(is_url) {
            problem("/credential/id", "id must be a single URL");
        }
    }
    for property in [
        "credentialStatus",
        "termsOfUse",
        "evidence",
        "refreshService",
        "credentialSchema",
    ] {
        let Some(value) = credential.get(property) else {
            continue;
        };
        for (i, item) in objects(value).into_iter().enumerate() {
            let pointer = format!("/credential/{property}/{i}");
            if !item.is_object() {
                problem(&pointer, &format!("{property} entries must be objects"));
            } else if item.get("type").is_none() {
                problem(
                    &format!("{pointer}/type"),
                    &format!("{property} entries must have a type"),
                );
            }
            if property == "credentialSchema" && !item.get("id").and_then(Value::as_str).is_some_and(is_url) {
                problem(
                    &format!("{pointer}/id"),
                    "credentialSchema entries need an id that is a URL",
                );
            }
            if let Some(id) = item.get("id") {
                if !id.as_str().is_some_and(is_url) {
                    problem(&format!("{pointer}/id"), "id must be a URL");
                }
            }
        }
    }
    for property in ["validFrom", "validUntil"] {
        if let Some(value) = credential.get(property) {
            if !value.as_str().is_some_and(is_date_time_stamp) {
                problem(
                    &format!("/credential/{property}"),
                    "must be a date-time with a time zone, e.g. 2026-01-31T00:00:00Z",
                );
            }
        }
    }
    match credential.get("credentialSubject") {
        Some(Value::Object(map)) if map.is_empty() => problem(
            "/credential/credentialSubject",
            "credentialSubject must make at least one claim",
        ),
        Some(Value::Array(items))
            if items.is_empty() || items.iter().any(|i| i.as_object().is_none_or(|m| m.is_empty())) =>
        {
            problem(
                "/credential/credentialSubject",
                "each credentialSubject must be an object with claims",
            )
        }
        _ => {}
    }
    if let Some(related) = credential.get("relatedResource") {
        let mut ids = Vec::new();
        for (i, item) in objects(related).into_iter().enumerate() {
            let pointer = format!("/credential/relatedResource/{i}");
            let Some(map) = item.as_object() else {
                problem(&pointer, "relatedResource entries must be objects");
                continue;
            };
            match map.get("id").and_then(Value::as_str) {
                Some(id) if is_url(id) => {
                    if ids.contains(&id) {
                        problem(&format!("{pointer}/id"), "relatedResource ids must be unique");
                    }
                    ids.push(id);
                }
                _ => problem(
                    &format!("{pointer}/id"),
                    "relatedResource entries need an id that is a URL",
                ),
            }
            if !map.contains_key("digestSRI") && !map.contains_key("digestMultibase") {
                problem(
                    pointer.as_str(),
                    "relatedResource entries need digestSRI or digestMultibase",
                );
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_model_rules() {
        let good = json!({ "id": "urn:uuid:1", "credentialSubject": { "name": "A" }, "validFrom": "2026-01-01T00:00:00Z",
            "credentialSchema": { "id": "https://example.org/s.json", "type": "JsonSchema" } });
        assert!(problems(&good).is_empty(), "{:?}", problems(&good));
        let bad = json!({ "id": "not a url", "credentialSubject": {}, "validFrom": "2026-01-01",
            "evidence": [{ "id": "https://e.example" }], "credentialStatus": { "id": "x:1" },
            "relatedResource": [{ "id": "https://r.example" }, { "id": "https://r.example", "digestSRI": "sha384-x" }] });
        let pointers: Vec<String> = problems(&bad).into_iter().map(|(p, _)| p).collect();
        for expected in [
            "/credential/id",
            "/credential/credentialSubject",
            "/credential/validFrom",
            "/credential/evidence/0/type",
            "/credential/credentialStatus/0/type",
            "/credential/relatedResource/0",
            "/credential/relatedResource/1/id",
        ] {
            assert!(
                pointers.iter().any(|p| p == expected),
                "{expected} in {pointers:?}"
            );
        }
    }
}
