//! microcred-rules: the compliance engine and change-impact analysis for micro-credential descriptions.
//!
//! The EU baseline (Council Recommendation 2022/C 243/02, Annex I and II) and each national profile are
//! data files (`profiles/*.toml`) that the generic engine in this crate interprets. No country appears in
//! the Rust code. The crate is pure: it reads no files except a profile given by path.

use serde::{Deserialize, Serialize};

mod diff;
mod engine;
mod pointer;
mod profile;

pub use engine::check_on;
pub use microcred_model::Description;
pub use profile::{ChangeRule, Policy, Profile, Rule, BASELINE};

/// The version of the built-in rule set, reported with every check.
pub const RULES_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How serious a finding is. `Error` makes a description non-compliant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Advice,
}

/// One thing the engine found, with where, why, the rule, its source and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// Human name of the element, e.g. "quality assurance (Annex I element 11)".
    pub element: String,
    /// Rule id, e.g. "eu.mandatory.quality-assurance".
    pub rule: String,
    /// Citation of the rule's source.
    pub source: String,
    /// JSON pointer into the serialized description.
    pub path: String,
    pub message: String,
    pub fix: String,
}

/// Whether one of the Annex I elements 2 to 11 is present in the description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementStatus {
    pub number: u8,
    pub name: String,
    pub present: bool,
}

/// The result of checking one description against the EU baseline and a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub profile: String,
    pub rules_version: String,
    pub findings: Vec<Finding>,
    pub elements: Vec<ElementStatus>,
}

impl Report {
    /// True when there is no `Error` finding.
    pub fn compliant(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// A profile could not be found, read or understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("unknown profile {name:?}{}; available: {}", did_you_mean(suggestions), available.join(", "))]
    UnknownProfile {
        name: String,
        suggestions: Vec<String>,
        available: Vec<String>,
    },
    #[error("{file}: cannot read the profile: {message}")]
    Io { file: String, message: String },
    #[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        file: String,
        line: Option<usize>,
        message: String,
    },
}

/// Check a description: the EU baseline always applies, then the profile's rules.
///
/// Expiry and review dates are judged against today's date (UTC); use [`check_on`] to fix the day.
pub fn check(description: &Description, profile: &Profile) -> Report {
    let today = microcred_model::Date(chrono::Utc::now().date_naive());
    check_on(description, profile, today)
}

/// One changed element between two versions of a description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// JSON pointer of the changed value.
    pub path: String,
    /// Human name of the element.
    pub element: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub requires_revalidation: bool,
    pub reason: String,
    pub rule: String,
    pub source: String,
}

/// What changed between two versions and whether re-validation is needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeReport {
    pub profile: String,
    pub changes: Vec<Change>,
    pub requires_revalidation: bool,
}

/// Compare two versions of a description and classify each change under the profile's policy (the
/// EU baseline's defaults, overridden by the profile's `[[change]]` rules).
pub fn diff(old: &Description, new: &Description, profile: &Profile) -> ChangeReport {
    diff::diff(old, new, profile)
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean {one:?}?)"),
        many => format!(
            " (did you mean {}?)",
            many.iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}
