//! JSON pointers (RFC 6901) into the serialized description, with `*` matching every array index.

use std::sync::OnceLock;

use microcred_model::{
    Assessment, AssessmentType, AwardingBody, Country, Credit, CreditSystem, Date, Description, EqfLevel,
    IscedField, LangMap, LearningOutcome, LearningSetting, Level, Mode, NqfLevel, OpportunityType,
    OutcomeKind, Participation, QaType, QfEheaCycle, QualityAssurance, Relevance, Stackability, Supervision,
    Workload, XsdDuration,
};
use serde_json::Value;

/// Escape one reference token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

pub fn tokens(pattern: &str) -> Vec<String> {
    pattern.split('/').skip(1).map(unescape).collect()
}

pub fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// Every location the pattern names, with the value there (None when absent). A `*` over a missing or
/// empty array yields nothing; a missing literal step yields the pointer with no value.
pub fn resolve<'a>(root: &'a Value, pattern: &str) -> Vec<(String, Option<&'a Value>)> {
    let mut out = Vec::new();
    walk(Some(root), String::new(), &tokens(pattern), &mut out);
    out
}

fn walk<'a>(
    value: Option<&'a Value>,
    at: String,
    rest: &[String],
    out: &mut Vec<(String, Option<&'a Value>)>,
) {
    let Some((first, rest)) = rest.split_first() else {
        out.push((at, value));
        return;
    };
    if first == "*" {
        if let Some(Value::Array(items)) = value {
            for (i, item) in items.iter().enumerate() {
                walk(Some(item), join(&at, &i.to_string()), rest, out);
            }
        }
        return;
    }
    let next = match value {
        Some(Value::Object(map)) => map.get(first.as_str()),
        Some(Value::Array(items)) => first.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    };
    walk(next, join(&at, first), rest, out);
}

/// The part of a pattern before its first `*` (where an "any" finding points).
pub fn before_wildcard(pattern: &str) -> String {
    match pattern.find("/*") {
        Some(i) => pattern[..i].to_string(),
        None => pattern.to_string(),
    }
}

/// Empty in the sense of "not given": null, blank text, empty array or object, or an object whose
/// values are all empty (a language map of blank texts).
pub fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.iter().all(|v| is_empty(Some(v))),
        Some(Value::Object(o)) => o.values().all(|v| is_empty(Some(v))),
        Some(_) => false,
    }
}

/// Scalars at the pattern, arrays flattened one level, with their pointers.
pub fn scalars<'a>(root: &'a Value, pattern: &str) -> Vec<(String, &'a Value)> {
    let mut out = Vec::new();
    for (at, value) in resolve(root, pattern) {
        match value {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_null() {
                        out.push((join(&at, &i.to_string()), item));
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(v) => out.push((at, v)),
        }
    }
    out
}

/// A description with every field given (arrays with one item, language maps in English): the shape
/// against which profile paths are validated.
pub fn sample() -> &'static Value {
    static SAMPLE: OnceLock<Value> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let en = || LangMap::english("x");
        let date = Date::parse("2030-01-01").expect("date");
        let description = Description {
            id: Some("x".into()),
            version: Some("x".into()),
            review_date: Some(date),
            title: en(),
            description: en(),
            languages: vec!["en".into()],
            countries: vec![Country::parse("IRL").expect("country")],
            regions: vec!["x".into()],
            awarding_bodies: vec![AwardingBody {
                name: en(),
                id: Some("x".into()),
                country: Some(Country::parse("IRL").expect("country")),
            }],
            learning_outcomes: vec![LearningOutcome {
                text: en(),
                kind: Some(OutcomeKind::Skill),
                esco_skills: vec!["x".into()],
            }],
            workload: Workload {
                hours: Some(1.0),
                credits: vec![Credit {
                    system: CreditSystem::Ects,
                    points: 1.0,
                    hours_per_credit: Some(25.0),
                }],
            },
            level: Level {
                eqf: Some(EqfLevel::new(5).expect("level")),
                nqf: Some(NqfLevel {
                    framework: "x".into(),
                    level: "1".into(),
                    uri: Some("x".into()),
                }),
                cycle: Some(QfEheaCycle::First),
            },
            field: Some(IscedField::parse("0613").expect("isced")),
            assessment: Assessment {
                types: vec![AssessmentType::WrittenExam],
                grading_scheme: Some("x".into()),
                supervision: Some(Supervision::SupervisedWithId),
                description: en(),
            },
            participation: Participation {
                modes: vec![Mode::Online],
                setting: Some(LearningSetting::Formal),
                opportunity_type: Some(OpportunityType::Course),
                duration: Some(XsdDuration::parse("P10W").expect("duration")),
            },
            quality_assurance: vec![QualityAssurance {
                qa_type: Some(QaType::ProgrammeQa),
                body: Some("x".into()),
                body_id: Some("x".into()),
                reference: Some("x".into()),
                valid_from: Some(date),
                valid_until: Some(date),
                external: Some(true),
            }],
            relevance: Relevance {
                labour_market_need: en(),
                target_learners: en(),
                occupations: vec!["x".into()],
                employer_involvement: en(),
            },
            prerequisites: en(),
            stackability: Some(Stackability {
                stand_alone: true,
                towards: vec!["x".into()],
            }),
            further_information: Some("x".into()),
        };
        serde_json::to_value(description).expect("a description serializes")
    })
}

fn is_lang_map(value: &Value) -> bool {
    matches!(value, Value::Object(map) if map.len() == 1 && map.get("en") == Some(&Value::String("x".into())))
}

/// Check that a pattern names a place in the description format; the error lists what is allowed there.
pub fn validate_pattern(pattern: &str) -> Result<(), String> {
    if pattern == "/" || pattern.is_empty() {
        return Ok(());
    }
    if !pattern.starts_with('/') {
        return Err(format!(
            "path {pattern:?} must be a JSON pointer starting with '/', e.g. \"/workload/hours\""
        ));
    }
    let mut here = sample();
    let mut at = String::new();
    for token in tokens(pattern) {
        here = match here {
            Value::Array(items) => {
                if token != "*" && token.parse::<usize>().is_err() {
                    return Err(format!(
                        "path {pattern:?}: {at:?} is a list; use '*' or an index, not {token:?}"
                    ));
                }
                &items[0]
            }
            Value::Object(map) if is_lang_map(here) => {
                if !microcred_model::is_language_tag(&token) {
                    return Err(format!(
                        "path {pattern:?}: {at:?} is a text by language; {token:?} is not a language tag"
                    ));
                }
                &map["en"]
            }
            Value::Object(map) => match map.get(token.as_str()) {
                Some(v) => v,
                None => {
                    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                    let suggestion = microcred_model::vocab::nearest(&token, keys.iter().copied())
                        .map(|s| format!(" (did you mean {s:?}?)"))
                        .unwrap_or_default();
                    let place = if at.is_empty() {
                        "the description".to_string()
                    } else {
                        format!("{at:?}")
                    };
                    return Err(format!(
                        "path {pattern:?}: {place} has no field {token:?}{suggestion}; fields there: {}",
                        keys.join(", ")
                    ));
                }
            },
            _ => {
                return Err(format!(
                    "path {pattern:?}: {at:?} is a single value and has no parts"
                ))
            }
        };
        at = join(&at, &token);
    }
    Ok(())
}

/// The controlled vocabulary the values at a path come from, if any.
pub fn vocabulary_of(pattern: &str) -> Option<&'static str> {
    let generic: String = tokens(pattern)
        .iter()
        .map(|t| {
            if t.parse::<usize>().is_ok() {
                "*"
            } else {
                t.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    Some(match generic.as_str() {
        "participation/modes" | "participation/modes/*" => "mode",
        "assessment/types" | "assessment/types/*" => "assessment",
        "participation/setting" => "setting",
        "assessment/supervision" => "supervision",
        "participation/opportunity_type" => "opportunity",
        "quality_assurance/*/type" => "qa",
        "countries" | "countries/*" | "awarding_bodies/*/country" => "country",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_paths_against_the_format() {
        for ok in [
            "/title",
            "/title/en",
            "/workload/credits/*/points",
            "/workload/credits/0/points",
            "/quality_assurance/*/valid_until",
            "/level/nqf/framework",
            "/stackability/stand_alone",
        ] {
            validate_pattern(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        let error = validate_pattern("/workload/credit").unwrap_err();
        assert!(error.contains("did you mean \"credits\""), "{error}");
        assert!(validate_pattern("title").is_err());
        assert!(validate_pattern("/title/english").is_err());
        assert!(validate_pattern("/workload/hours/x").is_err());
    }

    #[test]
    fn resolves_wildcards() {
        let value = serde_json::json!({"a": [{"b": 1}, {}], "c": {}});
        let found = resolve(&value, "/a/*/b");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], ("/a/0/b".to_string(), Some(&serde_json::json!(1))));
        assert_eq!(found[1], ("/a/1/b".to_string(), None));
        assert!(resolve(&value, "/x/*/b").is_empty());
        assert_eq!(resolve(&value, "/c/d"), vec![("/c/d".to_string(), None)]);
    }
}
