//! Rule profiles: the TOML format, its validation (errors name the file and line) and the built-in set.
//!
//! A profile is a list of `[[rule]]` tables, each of one *kind* from a small vocabulary the engine
//! interprets (`require`, `forbid`, `range`, `ratio`, `level_between`, `one_of`, `prefix`,
//! `not_expired`), optionally guarded by `when` conditions, plus `[[change]]` tables saying which
//! changes need re-validation. See `crates/rules/README.md` and `profiles/TEMPLATE.md`.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use microcred_model::vocab::{nearest, normalise};
use microcred_model::{
    AssessmentType, Concept, Country, CreditSystem, LearningSetting, Mode, OpportunityType, QaType,
    Supervision,
};
use serde::Deserialize;
use serde_json::Value;
use toml::Spanned;

use crate::pointer;
use crate::{RulesError, Severity};

// The profiles built into the binary, (name, file name, text), the EU baseline first: every
// `profiles/*.toml` except the template, listed by build.rs.
include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The name of the profile that holds the EU baseline (always applied).
pub const BASELINE: &str = "eu";

/// Evidence grades a rule may carry (domain.md): checked in a primary source, from a secondary source,
/// recalled and unverified, or stated in the source report only.
const EVIDENCE: &[&str] = &["V", "S", "R", "report"];

/// Placeholders a message or fix may use.
const PLACEHOLDERS: &[&str] = &[
    "value",
    "raw",
    "raw_number",
    "min",
    "max",
    "above",
    "below",
    "system",
    "framework",
    "allowed",
    "path",
    "today",
];

/// A rule profile: the EU baseline or a national set of rules, loaded from TOML.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Short name, e.g. "ie".
    pub name: String,
    /// ISO 3166-1 alpha-3 code of the country the profile serves, if any.
    pub country: Option<String>,
    /// One-line title, e.g. "Ireland: QQI micro-qualifications and FET awards".
    pub title: String,
    pub description: String,
    /// Where the profile came from: "built-in profiles/ie.toml" or the file path.
    pub origin: String,
    pub rules: Vec<Rule>,
    pub changes: Vec<ChangeRule>,
    pub(crate) elements: Vec<Element>,
}

/// One rule of a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    /// The element name shown in findings; derived from the path when the profile gives none.
    pub element: Option<String>,
    pub message: String,
    pub fix: String,
    pub source: String,
    /// Evidence grade of the source: V, S, R or "report".
    pub evidence: Option<String>,
    /// Baseline rules this rule supersedes (they are not run when this profile is used).
    pub replaces: Vec<String>,
    /// Line of the `[[rule]]` table in its file.
    pub line: usize,
    pub(crate) kind: Kind,
    pub(crate) when: Vec<Condition>,
}

impl Rule {
    /// The kind's name as written in the profile (`require`, `range`...).
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Require { .. } => "require",
            Kind::Forbid { .. } => "forbid",
            Kind::Range { .. } => "range",
            Kind::Ratio { .. } => "ratio",
            Kind::LevelBetween { .. } => "level_between",
            Kind::OneOf { .. } => "one_of",
            Kind::Prefix { .. } => "prefix",
            Kind::NotExpired { .. } => "not_expired",
        }
    }
}

/// What re-validation a change under a path needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// The QA body must re-validate the micro-credential.
    Revalidate,
    /// The provider decides under its own (internal) quality assurance; no external re-validation.
    Provider,
    /// Editorial: no re-validation.
    Free,
}

/// A change-impact rule: how changes under `path` are classified.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRule {
    pub id: String,
    /// JSON pointer pattern (`*` matches any array index); the longest matching pattern wins.
    pub path: String,
    pub policy: Policy,
    pub reason: String,
    pub source: String,
    /// Text edits of at most this many characters (digits unchanged) count as typo fixes: no re-validation.
    pub typo_tolerance: usize,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element {
    pub number: Option<u8>,
    pub name: String,
    pub label: Option<String>,
    pub path: String,
    pub present: Option<String>,
}

impl Element {
    pub fn display(&self) -> String {
        match (self.number, &self.label) {
            (Some(n), _) => format!("{} (Annex I element {n})", self.name),
            (None, Some(label)) => format!("{} ({label})", self.name),
            (None, None) => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Require {
        target: Target,
        any: bool,
    },
    Forbid {
        path: String,
    },
    Range {
        measure: Measure,
        bounds: Bounds,
    },
    Ratio {
        systems: Vec<CreditSystem>,
        bounds: Bounds,
        tolerance: f64,
    },
    LevelBetween {
        frameworks: Vec<String>,
        bounds: Bounds,
    },
    OneOf {
        path: String,
        values: Vec<Value>,
        matching: Matching,
    },
    Prefix {
        path: String,
        values: Vec<String>,
    },
    NotExpired {
        path: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    Path(String),
    Measure(Measure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Matching {
    /// Every value must be among the listed ones.
    All,
    /// At least one value must be among them.
    Any,
    /// No value may be among them.
    None,
}

/// A number the engine computes from a description.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Measure {
    /// Notional workload hours.
    Hours,
    /// Credit points in the first of the systems the description has (any system when empty).
    Credits(Vec<CreditSystem>),
    /// Workload hours per credit in the first matching system.
    HoursPerCredit(Vec<CreditSystem>),
    /// The level in the first framework the description has ("EQF" or an NQF framework name); the
    /// number is the first run of digits in the level ("7", "Level 5", "A2" → 2).
    Level(Vec<String>),
    /// Calendar length of the participation duration, in hours (a month as 30 days, a year as 365).
    DurationHours,
    /// The same, in months of 30 days.
    DurationMonths,
    /// How many values the path resolves to.
    Count(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Exclusive lower bound.
    pub above: Option<f64>,
    /// Exclusive upper bound.
    pub below: Option<f64>,
}

impl Bounds {
    pub fn is_empty(&self) -> bool {
        self.min.is_none() && self.max.is_none() && self.above.is_none() && self.below.is_none()
    }

    pub fn contains(&self, value: f64) -> bool {
        self.min.is_none_or(|m| value >= m)
            && self.max.is_none_or(|m| value <= m)
            && self.above.is_none_or(|m| value > m)
            && self.below.is_none_or(|m| value < m)
    }

    /// The bounds widened by a relative tolerance (0.1 = 10 %).
    pub fn widened(&self, tolerance: f64) -> Bounds {
        Bounds {
            min: self.min.map(|m| m * (1.0 - tolerance)),
            max: self.max.map(|m| m * (1.0 + tolerance)),
            above: self.above.map(|m| m * (1.0 - tolerance)),
            below: self.below.map(|m| m * (1.0 + tolerance)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    Path { path: String, test: PathTest },
    Measure { measure: Measure, bounds: Bounds },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathTest {
    Present(bool),
    In(Vec<Value>),
    StartsWith(Vec<String>),
}

// ---------------------------------------------------------------------------------------------
// The TOML format.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    profile: RawHeader,
    #[serde(default)]
    element: Vec<Spanned<RawElement>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    change: Vec<Spanned<RawChange>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    #[serde(default)]
    country: Option<String>,
    title: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawElement {
    #[serde(default)]
    number: Option<u8>,
    name: String,
    #[serde(default)]
    label: Option<String>,
    path: String,
    #[serde(default)]
    present: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    element: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    measure: Option<String>,
    #[serde(default)]
    system: Option<OneOrMany>,
    #[serde(default)]
    framework: Option<OneOrMany>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    above: Option<f64>,
    #[serde(default)]
    below: Option<f64>,
    #[serde(default)]
    tolerance: Option<f64>,
    #[serde(default)]
    values: Option<Vec<toml::Value>>,
    #[serde(default, rename = "match")]
    matching: Option<String>,
    #[serde(default)]
    quantifier: Option<String>,
    #[serde(default)]
    when: Vec<RawCondition>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    fix: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    replaces: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    present: Option<bool>,
    #[serde(default)]
    equals: Option<toml::Value>,
    #[serde(default, rename = "in")]
    among: Option<Vec<toml::Value>>,
    #[serde(default)]
    starts_with: Option<OneOrMany>,
    #[serde(default)]
    measure: Option<String>,
    #[serde(default)]
    system: Option<OneOrMany>,
    #[serde(default)]
    framework: Option<OneOrMany>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    above: Option<f64>,
    #[serde(default)]
    below: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    #[serde(default)]
    id: Option<String>,
    path: String,
    policy: String,
    reason: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    typo_tolerance: Option<usize>,
}

const KINDS: &[&str] = &[
    "require",
    "forbid",
    "range",
    "ratio",
    "level_between",
    "one_of",
    "prefix",
    "not_expired",
];
const MEASURES: &[&str] = &[
    "hours",
    "credits",
    "hours_per_credit",
    "level",
    "duration_hours",
    "duration_months",
    "count",
];
const POLICIES: &[&str] = &["revalidate", "provider", "free"];

// ---------------------------------------------------------------------------------------------
// Loading.

impl Profile {
    /// A profile built into the binary. Accepts the name ("ie"), any case, or a country code or name
    /// when exactly one built-in profile serves that country ("IRL", "Ireland").
    pub fn builtin(name: &str) -> Result<Profile, RulesError> {
        let wanted = name.trim().to_ascii_lowercase();
        if let Some((_, file, text)) = BUILTIN.iter().find(|(n, _, _)| *n == wanted) {
            return Ok(
                parse(text, &format!("built-in profiles/{file}")).expect("built-in profiles are valid")
            );
        }
        let mut suggestions = Vec::new();
        // A misspelt country name ("Irland") suggests the profiles of the country it is near to.
        let country = Country::parse(name).inspect_err(|e| {
            if let Some(Ok(near)) = e.suggestion.as_deref().map(Country::parse) {
                suggestions.extend(
                    Self::all_builtin()
                        .into_iter()
                        .filter(|p| p.country.as_deref() == Some(near.alpha3()))
                        .map(|p| p.name),
                );
            }
        });
        if let Ok(country) = country {
            let serving: Vec<Profile> = Self::all_builtin()
                .into_iter()
                .filter(|p| p.country.as_deref() == Some(country.alpha3()))
                .collect();
            if serving.len() == 1 {
                return Ok(serving.into_iter().next().expect("one"));
            }
            // Several profiles serve the country ("nl": nl-he and nl-mbo): name them all.
            suggestions.extend(serving.into_iter().map(|p| p.name));
        }
        let names = Self::names();
        if suggestions.is_empty() {
            suggestions.extend(nearest(&wanted, names.iter().copied()));
        }
        Err(RulesError::UnknownProfile {
            name: name.to_string(),
            suggestions,
            available: names.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// A profile read from a TOML file. Errors name the file and the line.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Profile, RulesError> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| RulesError::Io {
            file: file.clone(),
            message: error.to_string(),
        })?;
        Self::from_toml(&text, &file)
    }

    /// A profile from TOML text; `origin` names it in errors (a file name).
    pub fn from_toml(text: &str, origin: &str) -> Result<Profile, RulesError> {
        let profile = parse(text, origin)?;
        if profile.name == BASELINE {
            return Ok(profile);
        }
        if !profile.elements.is_empty() {
            return Err(RulesError::Invalid {
                file: origin.to_string(),
                line: None,
                message: "[[element]] tables belong to the EU baseline only; a national profile adds rules"
                    .into(),
            });
        }
        let baseline = Self::baseline();
        for rule in &profile.rules {
            for replaced in &rule.replaces {
                if !baseline.rules.iter().any(|r| &r.id == replaced) {
                    let suggestion = nearest(replaced, baseline.rules.iter().map(|r| r.id.as_str()));
                    return Err(invalid(
                        origin,
                        Some(rule.line),
                        format!(
                            "rule {:?} replaces {replaced:?}, which is not a rule of the EU baseline{}",
                            rule.id,
                            did_you_mean(suggestion)
                        ),
                    ));
                }
            }
        }
        Ok(profile)
    }

    /// Either a built-in name or, when `name_or_path` ends in `.toml` or names an existing file, a file.
    pub fn load(name_or_path: &str) -> Result<Profile, RulesError> {
        let path = Path::new(name_or_path);
        if name_or_path.ends_with(".toml")
            || name_or_path.contains(std::path::MAIN_SEPARATOR)
            || path.is_file()
        {
            Self::from_file(path)
        } else {
            Self::builtin(name_or_path)
        }
    }

    /// The names of the built-in profiles.
    pub fn names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _, _)| *n).collect()
    }

    /// Every built-in profile, the EU baseline first.
    pub fn all_builtin() -> Vec<Profile> {
        BUILTIN
            .iter()
            .map(|(_, file, text)| {
                parse(text, &format!("built-in profiles/{file}")).expect("built-in profiles are valid")
            })
            .collect()
    }

    /// Built-in profiles serving one of the description's countries (to suggest one).
    pub fn suggest_for(description: &microcred_model::Description) -> Vec<&'static str> {
        Self::all_builtin()
            .into_iter()
            .filter(|p| {
                p.country
                    .as_deref()
                    .is_some_and(|c| description.countries.iter().any(|d| d.alpha3() == c))
            })
            .filter_map(|p| BUILTIN.iter().find(|(n, _, _)| *n == p.name).map(|(n, _, _)| *n))
            .collect()
    }

    /// The same profile, reported as coming from `origin`.
    pub fn with_origin(mut self, origin: &str) -> Profile {
        self.origin = origin.to_string();
        self
    }

    /// The number of rules this profile holds (the baseline's rules for "eu").
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    pub fn is_baseline(&self) -> bool {
        self.name == BASELINE
    }

    /// The EU baseline, parsed once.
    pub fn baseline() -> &'static Profile {
        static BASE: std::sync::OnceLock<Profile> = std::sync::OnceLock::new();
        BASE.get_or_init(|| {
            let (_, file, text) = BUILTIN[0];
            parse(text, &format!("built-in profiles/{file}")).expect("the EU baseline is valid")
        })
    }
}

fn did_you_mean(suggestion: Option<String>) -> String {
    suggestion
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default()
}

fn invalid(file: &str, line: Option<usize>, message: String) -> RulesError {
    RulesError::Invalid {
        file: file.to_string(),
        line,
        message,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

fn parse(text: &str, origin: &str) -> Result<Profile, RulesError> {
    let raw: RawFile = toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span: Range<usize>| line_of(text, span.start));
        invalid(origin, line, error.message().trim().to_string())
    })?;
    let mut checker = Checker {
        origin,
        text,
        ids: BTreeSet::new(),
    };
    let header = raw.profile;
    if header.name.trim().is_empty() {
        return Err(invalid(origin, Some(1), "[profile] name is empty".into()));
    }
    let country = match &header.country {
        None => None,
        Some(c) => Some(
            Country::parse(c)
                .map_err(|e| invalid(origin, None, format!("[profile] country: {e}")))?
                .alpha3()
                .to_string(),
        ),
    };
    let mut elements = Vec::new();
    for spanned in raw.element {
        let line = line_of(text, spanned.span().start);
        let e = spanned.into_inner();
        checker.path(&e.path, line)?;
        if let Some(p) = &e.present {
            checker.path(p, line)?;
        }
        elements.push(Element {
            number: e.number,
            name: e.name,
            label: e.label,
            path: e.path,
            present: e.present,
        });
    }
    let mut rules = Vec::new();
    for spanned in raw.rule {
        let line = line_of(text, spanned.span().start);
        rules.push(checker.rule(spanned.into_inner(), line)?);
    }
    let mut changes = Vec::new();
    for (index, spanned) in raw.change.into_iter().enumerate() {
        let line = line_of(text, spanned.span().start);
        let c = spanned.into_inner();
        checker.path(&c.path, line)?;
        let policy = match c.policy.as_str() {
            "revalidate" => Policy::Revalidate,
            "provider" => Policy::Provider,
            "free" => Policy::Free,
            other => {
                return Err(invalid(
                    origin,
                    Some(line),
                    format!(
                        "unknown change policy {other:?}{}; allowed: {}",
                        did_you_mean(nearest(other, POLICIES.iter().copied())),
                        POLICIES.join(", ")
                    ),
                ))
            }
        };
        let source = c.source.unwrap_or_default();
        if source.trim().is_empty() {
            return Err(invalid(
                origin,
                Some(line),
                format!(
                    "[[change]] for {:?} has no source: cite the act, guideline or policy it follows",
                    c.path
                ),
            ));
        }
        if c.reason.trim().is_empty() {
            return Err(invalid(
                origin,
                Some(line),
                format!("[[change]] for {:?} has an empty reason", c.path),
            ));
        }
        changes.push(ChangeRule {
            id: c
                .id
                .unwrap_or_else(|| format!("{}.change.{}", header.name, index + 1)),
            path: c.path,
            policy,
            reason: c.reason,
            source,
            typo_tolerance: c.typo_tolerance.unwrap_or(0),
            line,
        });
    }
    Ok(Profile {
        name: header.name,
        country,
        title: header.title,
        description: header.description,
        origin: origin.to_string(),
        rules,
        changes,
        elements,
    })
}

struct Checker<'a> {
    origin: &'a str,
    text: &'a str,
    ids: BTreeSet<String>,
}

impl Checker<'_> {
    fn err(&self, line: usize, message: impl Into<String>) -> RulesError {
        invalid(self.origin, Some(line), message.into())
    }

    fn path(&self, path: &str, line: usize) -> Result<(), RulesError> {
        pointer::validate_pattern(path).map_err(|m| self.err(line, m))
    }

    fn rule(&mut self, raw: RawRule, line: usize) -> Result<Rule, RulesError> {
        let _ = self.text;
        let id = match raw.id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                return Err(self.err(
                    line,
                    "[[rule]] has no id; give it a dotted id such as \"xx.credit-range\"",
                ))
            }
        };
        let at = |m: String| format!("rule {id:?}: {m}");
        if !self.ids.insert(id.clone()) {
            return Err(self.err(line, at("the id is used twice in this profile".into())));
        }
        let Some(kind_name) = raw.kind.clone() else {
            return Err(self.err(line, at(format!("no kind; use one of {}", KINDS.join(", ")))));
        };
        let severity = match raw.severity.as_deref() {
            Some("error") => Severity::Error,
            Some("warning") => Severity::Warning,
            Some("advice") => Severity::Advice,
            Some(other) => {
                return Err(self.err(
                    line,
                    at(format!(
                        "unknown severity {other:?}{}; use error, warning or advice",
                        did_you_mean(nearest(other, ["error", "warning", "advice"]))
                    )),
                ))
            }
            None => return Err(self.err(line, at("no severity; use error, warning or advice".into()))),
        };
        let required = |field: &Option<String>, name: &str| -> Result<String, RulesError> {
            match field.as_deref().map(str::trim) {
                Some(v) if !v.is_empty() => Ok(v.to_string()),
                _ => Err(self.err(
                    line,
                    at(format!(
                        "no {name}; every rule needs a message, a fix and a source"
                    )),
                )),
            }
        };
        let message = required(&raw.message, "message")?;
        let fix = required(&raw.fix, "fix")?;
        let source = required(&raw.source, "source")?;
        for text in [&message, &fix] {
            self.placeholders(text, line).map_err(|m| self.err(line, at(m)))?;
        }
        if let Some(e) = &raw.evidence {
            if !EVIDENCE.contains(&e.as_str()) {
                return Err(self.err(
                    line,
                    at(format!("unknown evidence grade {e:?}; use V, S, R or report")),
                ));
            }
        }
        let bounds = Bounds {
            min: raw.min,
            max: raw.max,
            above: raw.above,
            below: raw.below,
        };
        let need_path = || -> Result<String, RulesError> {
            let p = raw
                .path
                .clone()
                .ok_or_else(|| self.err(line, at(format!("kind {kind_name} needs a path"))))?;
            self.path(&p, line)
                .map_err(|e| self.err(line, at(e.to_string())))?;
            Ok(p)
        };
        let need_bounds = || -> Result<(), RulesError> {
            if bounds.is_empty() {
                Err(self.err(
                    line,
                    at(format!("kind {kind_name} needs min, max, above or below")),
                ))
            } else {
                Ok(())
            }
        };
        let kind = match kind_name.as_str() {
            "require" => {
                let any = match raw.quantifier.as_deref() {
                    None | Some("each") => false,
                    Some("any") => true,
                    Some(other) => {
                        return Err(
                            self.err(line, at(format!("unknown quantifier {other:?}; use each or any")))
                        )
                    }
                };
                let target = match (&raw.path, &raw.measure) {
                    (Some(_), None) => Target::Path(need_path()?),
                    (None, Some(_)) => Target::Measure(
                        self.measure(&raw.measure, &raw.system, &raw.framework, &raw.path, line)
                            .map_err(|m| self.err(line, at(m)))?,
                    ),
                    _ => {
                        return Err(self.err(line, at("kind require needs either a path or a measure".into())))
                    }
                };
                Kind::Require { target, any }
            }
            "forbid" => Kind::Forbid { path: need_path()? },
            "range" => {
                need_bounds()?;
                let measure = self
                    .measure(&raw.measure, &raw.system, &raw.framework, &raw.path, line)
                    .map_err(|m| self.err(line, at(m)))?;
                Kind::Range { measure, bounds }
            }
            "ratio" => {
                need_bounds()?;
                let systems = raw.system.map(OneOrMany::into_vec).unwrap_or_default();
                if systems.is_empty() {
                    return Err(self.err(
                        line,
                        at("kind ratio needs a credit system (system = \"ECTS\")".into()),
                    ));
                }
                Kind::Ratio {
                    systems: systems.iter().map(|s| CreditSystem::parse(s)).collect(),
                    bounds,
                    tolerance: raw.tolerance.unwrap_or(0.0),
                }
            }
            "level_between" => {
                need_bounds()?;
                let frameworks = raw.framework.map(OneOrMany::into_vec).unwrap_or_default();
                if frameworks.is_empty() {
                    return Err(self.err(line, at("kind level_between needs a framework (\"EQF\" or an NQF name such as \"IE-NFQ\")".into())));
                }
                Kind::LevelBetween { frameworks, bounds }
            }
            "one_of" => {
                let path = need_path()?;
                let values = self
                    .values(&path, raw.values.clone(), line)
                    .map_err(|m| self.err(line, at(m)))?;
                let matching = match raw.matching.as_deref() {
                    None | Some("all") => Matching::All,
                    Some("any") => Matching::Any,
                    Some("none") => Matching::None,
                    Some(other) => {
                        return Err(
                            self.err(line, at(format!("unknown match {other:?}; use all, any or none")))
                        )
                    }
                };
                Kind::OneOf {
                    path,
                    values,
                    matching,
                }
            }
            "prefix" => {
                let path = need_path()?;
                let values = raw
                    .values
                    .clone()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        self.err(
                            line,
                            at("kind prefix needs values = [\"prefix\", ...] (texts)".into()),
                        )
                    })?;
                Kind::Prefix { path, values }
            }
            "not_expired" => Kind::NotExpired { path: need_path()? },
            other => {
                return Err(self.err(
                    line,
                    at(format!(
                        "unknown rule kind {other:?}{}; allowed: {}",
                        did_you_mean(nearest(other, KINDS.iter().copied())),
                        KINDS.join(", ")
                    )),
                ))
            }
        };
        let mut when = Vec::new();
        for c in raw.when {
            when.push(self.condition(c, line).map_err(|m| self.err(line, at(m)))?);
        }
        Ok(Rule {
            id,
            severity,
            element: raw.element.filter(|e| !e.trim().is_empty()),
            message,
            fix,
            source,
            evidence: raw.evidence,
            replaces: raw.replaces,
            line,
            kind,
            when,
        })
    }

    fn placeholders(&self, text: &str, _line: usize) -> Result<(), String> {
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else { break };
            let name = &rest[start + 1..start + end];
            // Only `{word}` is a placeholder; other braces (TOML examples in fixes) are text.
            let is_word = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if is_word && !PLACEHOLDERS.contains(&name) {
                return Err(format!(
                    "unknown placeholder {{{name}}}{}; allowed: {}",
                    did_you_mean(nearest(name, PLACEHOLDERS.iter().copied())),
                    PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            rest = &rest[start + 1..];
        }
        Ok(())
    }

    fn measure(
        &self,
        measure: &Option<String>,
        system: &Option<OneOrMany>,
        framework: &Option<OneOrMany>,
        path: &Option<String>,
        line: usize,
    ) -> Result<Measure, String> {
        let name = measure
            .as_deref()
            .ok_or_else(|| format!("no measure; use one of {}", MEASURES.join(", ")))?;
        let systems = || {
            system
                .as_ref()
                .map(|s| match s {
                    OneOrMany::One(s) => vec![CreditSystem::parse(s)],
                    OneOrMany::Many(v) => v.iter().map(|s| CreditSystem::parse(s)).collect(),
                })
                .unwrap_or_default()
        };
        Ok(match name {
            "hours" => Measure::Hours,
            "credits" => Measure::Credits(systems()),
            "hours_per_credit" => Measure::HoursPerCredit(systems()),
            "level" => {
                let frameworks = match framework {
                    Some(OneOrMany::One(f)) => vec![f.clone()],
                    Some(OneOrMany::Many(v)) => v.clone(),
                    None => Vec::new(),
                };
                if frameworks.is_empty() {
                    return Err(
                        "measure level needs a framework (\"EQF\" or an NQF name such as \"IE-NFQ\")".into(),
                    );
                }
                Measure::Level(frameworks)
            }
            "duration_hours" => Measure::DurationHours,
            "duration_months" => Measure::DurationMonths,
            "count" => {
                let p = path.clone().ok_or("measure count needs a path")?;
                pointer::validate_pattern(&p).map_err(|e| format!("line {line}: {e}"))?;
                Measure::Count(p)
            }
            other => {
                return Err(format!(
                    "unknown measure {other:?}{}; allowed: {}",
                    did_you_mean(nearest(other, MEASURES.iter().copied())),
                    MEASURES.join(", ")
                ))
            }
        })
    }

    fn condition(&self, c: RawCondition, line: usize) -> Result<Condition, String> {
        match (&c.path, &c.measure) {
            (Some(path), None) => {
                pointer::validate_pattern(path)?;
                let tests = [
                    c.present.is_some(),
                    c.equals.is_some(),
                    c.among.is_some(),
                    c.starts_with.is_some(),
                ];
                if tests.iter().filter(|t| **t).count() != 1 {
                    return Err(format!(
                        "a `when` condition on {path:?} needs exactly one of present, equals, in, starts_with"
                    ));
                }
                let test = if let Some(p) = c.present {
                    PathTest::Present(p)
                } else if let Some(v) = c.equals {
                    PathTest::In(self.values(path, Some(vec![v]), line)?)
                } else if let Some(v) = c.among {
                    PathTest::In(self.values(path, Some(v), line)?)
                } else {
                    PathTest::StartsWith(c.starts_with.map(OneOrMany::into_vec).unwrap_or_default())
                };
                Ok(Condition::Path {
                    path: path.clone(),
                    test,
                })
            }
            (None, Some(_)) => {
                let bounds = Bounds {
                    min: c.min,
                    max: c.max,
                    above: c.above,
                    below: c.below,
                };
                let measure = self.measure(&c.measure, &c.system, &c.framework, &None, line)?;
                Ok(Condition::Measure { measure, bounds })
            }
            _ => Err("a `when` condition needs either a path or a measure".into()),
        }
    }

    /// Values for `one_of`/`in`, normalised to the keys the description serializes when the path is a
    /// controlled vocabulary (so a profile may write labels, codes or URIs, and a typo is caught here).
    fn values(
        &self,
        path: &str,
        values: Option<Vec<toml::Value>>,
        _line: usize,
    ) -> Result<Vec<Value>, String> {
        let values = values.filter(|v| !v.is_empty()).ok_or("needs values = [...]")?;
        let vocabulary = pointer::vocabulary_of(path);
        values
            .into_iter()
            .map(|v| {
                let json = match v {
                    toml::Value::String(s) => Value::String(s),
                    toml::Value::Integer(i) => Value::from(i),
                    toml::Value::Float(f) => Value::from(f),
                    toml::Value::Boolean(b) => Value::Bool(b),
                    other => return Err(format!("value {other} is not a text, number or boolean")),
                };
                match (vocabulary, &json) {
                    (Some(vocab), Value::String(s)) => canonical(vocab, s).map(Value::String),
                    _ => Ok(json),
                }
            })
            .collect()
    }
}

/// The serialized key of a vocabulary value.
fn canonical(vocabulary: &str, value: &str) -> Result<String, String> {
    fn key<C: Concept>(v: &str) -> Result<String, String> {
        C::parse(v)
            .map(|c| c.key().to_string())
            .map_err(|e| e.to_string())
    }
    match vocabulary {
        "mode" => key::<Mode>(value),
        "assessment" => key::<AssessmentType>(value),
        "setting" => key::<LearningSetting>(value),
        "supervision" => key::<Supervision>(value),
        "opportunity" => key::<OpportunityType>(value),
        "qa" => key::<QaType>(value),
        "country" => Country::parse(value)
            .map(|c| c.alpha3().to_string())
            .map_err(|e| e.to_string()),
        _ => Ok(value.to_string()),
    }
}

/// Two texts name the same thing: compared ignoring case, spaces, '-' and '_'.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}
