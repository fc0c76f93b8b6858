//! `validity-period`: validFrom/validUntil (VC 2.0) or issuanceDate/expirationDate (VC 1.1).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use super::checks::Check;

const NAME: &str = "validity-period";

/// Parses an XML Schema dateTime; one without a time zone is read as UTC.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

fn field(document: &Value, names: &[&'static str]) -> Result<Option<(&'static str, DateTime<Utc>)>, String> {
    for &name in names {
        if let Some(value) = document.get(name) {
            let text = value.as_str().ok_or_else(|| format!("{name} is not a string"))?;
            let date = parse_datetime(text)
                .ok_or_else(|| format!("{name} '{text}' is not a date-time such as 2025-01-31T12:00:00Z"))?;
            return Ok(Some((name, date)));
        }
    }
    Ok(None)
}

pub(crate) fn check(document: &Value, now: DateTime<Utc>) -> Check {
    let from = match field(document, &["validFrom", "issuanceDate"]) {
        Ok(v) => v,
        Err(why) => return Check::failed(NAME, why),
    };
    let until = match field(document, &["validUntil", "expirationDate"]) {
        Ok(v) => v,
        Err(why) => return Check::failed(NAME, why),
    };
    if let (Some((_, f)), Some((_, u))) = (from, until) {
        if f > u {
            return Check::failed(
                NAME,
                format!("the validity period is empty: it starts {f} after it ends {u}"),
            );
        }
    }
    if let Some((name, f)) = from {
        if now < f {
            return Check::failed(NAME, format!("not yet valid: {name} is {f}"));
        }
    }
    if let Some((name, u)) = until {
        if now > u {
            return Check::failed(NAME, format!("expired: {name} was {u}"));
        }
    }
    let describe = |d: Option<(&str, DateTime<Utc>)>, none: &str| {
        d.map(|(_, d)| d.to_string()).unwrap_or_else(|| none.to_string())
    };
    Check::ok(
        NAME,
        format!(
            "valid now (from {} until {})",
            describe(from, "any time"),
            describe(until, "no end date")
        ),
    )
}
