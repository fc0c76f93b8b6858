//! Reading the summary stacking needs out of an Open Badges 3.0 credential (VC 2.0 or 1.1 shape).
//!
//! OB 3.0 has no slot for the EQF level, ESCO skills or the credit system: they travel as `alignment`
//! entries whose `targetUrl` is the EU URI (`http://data.europa.eu/snb/eqf/4`,
//! `http://data.europa.eu/esco/skill/<uuid>`, `http://data.europa.eu/snb/education-credit/<code>`).

use serde_json::Value;

use microcred_model::level::EQF_SCHEME;
use microcred_model::{Credit, CreditSystem, Date, EqfLevel, CREDIT_SCHEME};

use crate::held::{digest_sri, HeldCredential, Verification};

pub const ESCO_SKILL_SCHEME: &str = "http://data.europa.eu/esco/skill/";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct Ob3Error {
    /// JSON pointer to the problem, e.g. `/issuer`.
    pub pointer: String,
    pub message: String,
}

fn error(pointer: &str, message: impl Into<String>) -> Ob3Error {
    Ob3Error {
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// The stacking summary of an OB 3.0 credential, with the caller's verification outcome attached.
pub fn held_from_ob3(document: &Value, verification: Verification) -> Result<HeldCredential, Ob3Error> {
    if !document.is_object() {
        return Err(error("", "the credential is not a JSON object"));
    }
    let digest = digest_sri(&serde_json::to_vec(document).unwrap_or_default());
    let mut notes = Vec::new();
    let id = match document.get("id").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => {
            notes.push("the credential has no id; it is identified by its digest".to_string());
            format!("urn:digest:{digest}")
        }
    };
    let issuer = match document.get("issuer") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Object(map)) => map
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| error("/issuer/id", "the issuer has no id; it must be a URL or DID"))?
            .to_string(),
        _ => {
            return Err(error(
                "/issuer",
                "issuer is missing; it must be a URL, a DID or an object with an id",
            ))
        }
    };
    let (subject_pointer, subject) = subject_with_achievement(document)?;
    let achievement = subject.get("achievement").unwrap_or(&Value::Null);
    let title = achievement
        .get("name")
        .or_else(|| document.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("(untitled)")
        .to_string();
    let issued = date_at(document, &["validFrom", "issuanceDate", "awardedDate"])?;
    let valid_until = date_at(document, &["validUntil", "expirationDate"])?;

    let mut eqf = None;
    let mut skills = Vec::new();
    let mut credit_system = None;
    let alignments = match achievement.get("alignment") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(single @ Value::Object(_)) => std::slice::from_ref(single),
        _ => &[],
    };
    for (index, alignment) in alignments.iter().enumerate() {
        let Some(url) = alignment.get("targetUrl").and_then(Value::as_str) else {
            continue;
        };
        let pointer = format!("{subject_pointer}/achievement/alignment/{index}/targetUrl");
        if url.starts_with(EQF_SCHEME) {
            eqf = Some(EqfLevel::parse(url).map_err(|m| error(&pointer, m))?);
        } else if url.starts_with(ESCO_SKILL_SCHEME) {
            skills.push(url.to_string());
        } else if url.starts_with(CREDIT_SCHEME) {
            credit_system = Some(CreditSystem::parse(url));
        }
    }
    let credits = match workload_credits(achievement) {
        Some(credits) => credits,
        None => {
            let pointer = format!("{subject_pointer}/achievement/creditsAvailable");
            match subject
                .get("creditsEarned")
                .or_else(|| achievement.get("creditsAvailable"))
            {
                None => vec![],
                Some(value) => {
                    let points = value
                        .as_f64()
                        .filter(|p| p.is_finite() && *p >= 0.0)
                        .ok_or_else(|| error(&pointer, "credits must be a number of 0 or more"))?;
                    let system = credit_system.unwrap_or_else(|| {
                        // The Council Recommendation asks for ECTS wherever possible; say it was assumed.
                        notes.push("the credit system is not named; ECTS is assumed".into());
                        CreditSystem::Ects
                    });
                    vec![Credit {
                        system,
                        points,
                        hours_per_credit: None,
                    }]
                }
            }
        }
    };
    Ok(HeldCredential {
        id,
        achievement_id: achievement.get("id").and_then(Value::as_str).map(str::to_string),
        title,
        issuer,
        issuer_accredited: None,
        issued,
        valid_until,
        credits,
        eqf,
        skills,
        digest_sri: Some(digest),
        notes,
        verification,
    })
}

/// Credits in every system the credential names, from the `workload.credit` extension microcred's
/// renderer writes (`creditSystem` URI or `creditSystemName`, and `creditPoints`).
fn workload_credits(achievement: &Value) -> Option<Vec<Credit>> {
    let entries = achievement.get("workload")?.get("credit")?.as_array()?;
    let credits: Vec<Credit> = entries
        .iter()
        .filter_map(|entry| {
            let system = entry
                .get("creditSystem")
                .or_else(|| entry.get("creditSystemName"))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())?;
            let points = entry
                .get("creditPoints")?
                .as_f64()
                .filter(|p| p.is_finite() && *p >= 0.0)?;
            Some(Credit {
                system: CreditSystem::parse(system),
                points,
                hours_per_credit: None,
            })
        })
        .collect();
    (!credits.is_empty()).then_some(credits)
}

/// The credential subject that carries an achievement (the first, when there are several).
fn subject_with_achievement(document: &Value) -> Result<(String, &Value), Ob3Error> {
    match document.get("credentialSubject") {
        Some(subject @ Value::Object(_)) => Ok(("/credentialSubject".into(), subject)),
        Some(Value::Array(subjects)) => subjects
            .iter()
            .enumerate()
            .find(|(_, s)| s.get("achievement").is_some())
            .map(|(i, s)| (format!("/credentialSubject/{i}"), s))
            .ok_or_else(|| error("/credentialSubject", "no credential subject has an achievement")),
        _ => Err(error(
            "/credentialSubject",
            "credentialSubject is missing or not an object",
        )),
    }
}

fn date_at(document: &Value, keys: &[&str]) -> Result<Option<Date>, Ob3Error> {
    for key in keys {
        if let Some(value) = document.get(*key) {
            let text = value.as_str().ok_or_else(|| {
                error(
                    &format!("/{key}"),
                    "must be a date-time string such as 2026-01-31T00:00:00Z",
                )
            })?;
            return Date::parse(text)
                .map(Some)
                .map_err(|m| error(&format!("/{key}"), m));
        }
    }
    Ok(None)
}
