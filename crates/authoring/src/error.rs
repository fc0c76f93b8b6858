//! Read errors: what went wrong, where, and how to fix it.

use std::fmt;

use crate::location::Location;

/// A description, or one row of a spreadsheet, could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub location: Location,
    pub message: String,
    pub fix: String,
    /// The file could not be parsed at all (missing, unreadable, bad syntax); a non-fatal error concerns
    /// one value (wrong type, unknown vocabulary value, malformed duration...).
    pub fatal: bool,
}

impl ReadError {
    pub fn fatal(location: Location, message: impl Into<String>, fix: impl Into<String>) -> Self {
        ReadError {
            location,
            message: message.into(),
            fix: fix.into(),
            fatal: true,
        }
    }

    pub fn value(location: Location, message: impl Into<String>, fix: impl Into<String>) -> Self {
        ReadError {
            location,
            message: message.into(),
            fix: fix.into(),
            fatal: false,
        }
    }

    /// A model error from serde at `path` (the keys of the description, joined with '.').
    pub(crate) fn from_serde(location: Location, path: &str, serde_message: &str) -> Self {
        let (message, fix) = explain(serde_message);
        let message = if path.is_empty() || path == "." {
            message
        } else {
            format!("{path}: {message}")
        };
        ReadError::value(location, message, fix)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} — fix: {}", self.location, self.message, self.fix)
    }
}

impl std::error::Error for ReadError {}

/// Splits a serde or model error message into what is wrong and how to fix it.
pub(crate) fn explain(serde_message: &str) -> (String, String) {
    let text = serde_message.trim();
    if let Some(rest) = text.strip_prefix("unknown field `") {
        return unknown_key(rest);
    }
    // The model's vocabulary errors: `unknown X "v" (did you mean "y"?); allowed: a, b`.
    if let Some((what, allowed)) = text.split_once("; allowed: ") {
        return match what.split_once(" (did you mean ") {
            Some((what, suggestion)) => {
                let suggestion = suggestion.trim_end_matches(')').trim_end_matches('?');
                (
                    what.to_string(),
                    format!("write {suggestion} (allowed: {allowed})"),
                )
            }
            None => (what.to_string(), format!("use one of: {allowed}")),
        };
    }
    if let Some(rest) = text.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (format!("`{field}` is missing"), format!("add `{field}`"));
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        let expected = rest
            .split_once(", expected ")
            .map(|(_, e)| e)
            .unwrap_or("another type");
        return (
            format!("wrong type: {rest}"),
            format!("write {}", plain_expected(expected)),
        );
    }
    if let Some((what, how)) = text.split_once("; ") {
        return (what.to_string(), how.to_string());
    }
    (
        text.to_string(),
        "see `microcred init` for a commented example and `microcred schema` for the format".to_string(),
    )
}

fn unknown_key(rest: &str) -> (String, String) {
    let key = rest.split('`').next().unwrap_or_default();
    let allowed: Vec<&str> = rest
        .split_once("expected ")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let message = format!("unknown key `{key}`");
    let nearest = allowed
        .iter()
        .map(|candidate| (strsim::jaro_winkler(key, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let fix = match nearest {
        Some((_, candidate)) => format!("did you mean `{candidate}`? (allowed: {})", allowed.join(", ")),
        None if allowed.is_empty() => format!("remove `{key}`"),
        None => format!("remove `{key}` or use one of: {}", allowed.join(", ")),
    };
    (message, fix)
}

/// serde's expectation ("f64", "a sequence") in words an author understands.
fn plain_expected(expected: &str) -> String {
    match expected {
        "f64" | "f32" => "a number, for example 5 or 7.5".to_string(),
        "u8" | "u16" | "u32" | "u64" | "i64" | "i32" => "a whole number".to_string(),
        "a boolean" => "true or false".to_string(),
        "a sequence" => "a list, for example [\"a\", \"b\"]".to_string(),
        "a string" => "a text in quotes".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_error_keeps_the_suggestion_in_the_fix() {
        let (message, fix) = explain(
            "unknown assessment type \"writen exam\" (did you mean \"written-exam\"?); allowed: quiz, written-exam",
        );
        assert_eq!(message, "unknown assessment type \"writen exam\"");
        assert_eq!(fix, "write \"written-exam\" (allowed: quiz, written-exam)");
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let (message, fix) = explain("unknown field `titel`, expected one of `id`, `title`, `version`");
        assert_eq!(message, "unknown key `titel`");
        assert!(fix.starts_with("did you mean `title`?"), "{fix}");
    }

    #[test]
    fn wrong_type_says_what_to_write() {
        let (message, fix) = explain("invalid type: string \"forty\", expected f64");
        assert_eq!(message, "wrong type: string \"forty\", expected f64");
        assert!(fix.contains("a number"), "{fix}");
    }

    #[test]
    fn model_messages_split_at_the_semicolon() {
        let (message, fix) = explain("EQF level 9 does not exist; use a level from 1 to 8");
        assert_eq!(
            (message.as_str(), fix.as_str()),
            ("EQF level 9 does not exist", "use a level from 1 to 8")
        );
    }
}
