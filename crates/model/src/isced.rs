//! ISCED-F 2013 fields of education and training (`http://data.europa.eu/snb/isced-f/<code>`).
//!
//! Broad (2 digits) and narrow (3 digits) fields are listed with their names; a detailed field
//! (4 digits) is accepted when its narrow field exists and its last digit is 1-9, and is named after
//! its narrow field.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::vocab::{nearest, UnknownTerm};

pub const SCHEME: &str = "http://data.europa.eu/snb/isced-f/";

const FIELDS: &[(&str, &str)] = &[
    ("00", "generic programmes and qualifications"),
    ("001", "basic programmes and qualifications"),
    ("002", "literacy and numeracy"),
    ("003", "personal skills and development"),
    ("01", "education"),
    ("011", "education"),
    ("018", "inter-disciplinary programmes involving education"),
    ("02", "arts and humanities"),
    ("021", "arts"),
    ("022", "humanities (except languages)"),
    ("023", "languages"),
    (
        "028",
        "inter-disciplinary programmes involving arts and humanities",
    ),
    ("03", "social sciences, journalism and information"),
    ("031", "social and behavioural sciences"),
    ("032", "journalism and information"),
    (
        "038",
        "inter-disciplinary programmes involving social sciences, journalism and information",
    ),
    ("04", "business, administration and law"),
    ("041", "business and administration"),
    ("042", "law"),
    (
        "048",
        "inter-disciplinary programmes involving business, administration and law",
    ),
    ("05", "natural sciences, mathematics and statistics"),
    ("051", "biological and related sciences"),
    ("052", "environment"),
    ("053", "physical sciences"),
    ("054", "mathematics and statistics"),
    (
        "058",
        "inter-disciplinary programmes involving natural sciences, mathematics and statistics",
    ),
    ("06", "information and communication technologies"),
    ("061", "information and communication technologies"),
    (
        "068",
        "inter-disciplinary programmes involving information and communication technologies",
    ),
    ("07", "engineering, manufacturing and construction"),
    ("071", "engineering and engineering trades"),
    ("072", "manufacturing and processing"),
    ("073", "architecture and construction"),
    (
        "078",
        "inter-disciplinary programmes involving engineering, manufacturing and construction",
    ),
    ("08", "agriculture, forestry, fisheries and veterinary"),
    ("081", "agriculture"),
    ("082", "forestry"),
    ("083", "fisheries"),
    ("084", "veterinary"),
    (
        "088",
        "inter-disciplinary programmes involving agriculture, forestry, fisheries and veterinary",
    ),
    ("09", "health and welfare"),
    ("091", "health"),
    ("092", "welfare"),
    (
        "098",
        "inter-disciplinary programmes involving health and welfare",
    ),
    ("10", "services"),
    ("101", "personal services"),
    ("102", "hygiene and occupational health services"),
    ("103", "security services"),
    ("104", "transport services"),
    ("108", "inter-disciplinary programmes involving services"),
    ("99", "field unknown"),
];

/// A field of education and training.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IscedField(String);

impl IscedField {
    pub fn parse(text: &str) -> Result<Self, UnknownTerm> {
        let code = text.trim().strip_prefix(SCHEME).unwrap_or(text.trim());
        let known = |c: &str| FIELDS.iter().any(|(k, _)| *k == c);
        let valid = match code.len() {
            2 | 3 => known(code),
            4 => known(&code[..3]) && code.as_bytes()[3].is_ascii_digit() && code.as_bytes()[3] != b'0',
            _ => false,
        };
        if valid {
            return Ok(Self(code.to_string()));
        }
        let by_name = FIELDS
            .iter()
            .find(|(_, name)| crate::vocab::normalise(name) == crate::vocab::normalise(text));
        if let Some((code, _)) = by_name {
            return Ok(Self(code.to_string()));
        }
        Err(UnknownTerm {
            vocabulary: "ISCED-F 2013 field",
            value: text.to_string(),
            suggestion: nearest(text, FIELDS.iter().map(|(_, name)| *name)).and_then(|name| {
                FIELDS
                    .iter()
                    .find(|(_, n)| *n == name)
                    .map(|(c, n)| format!("{c} ({n})"))
            }),
            allowed: FIELDS
                .iter()
                .filter(|(c, _)| c.len() == 2)
                .map(|(c, n)| format!("{c} {n}"))
                .collect::<Vec<_>>()
                .into_iter()
                .chain(["or a 3-digit narrow / 4-digit detailed code such as 0613".to_string()])
                .collect(),
        })
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    pub fn uri(&self) -> String {
        format!("{SCHEME}{}", self.0)
    }

    /// The broad field (first two digits).
    pub fn broad(&self) -> &str {
        &self.0[..2]
    }

    pub fn name(&self) -> &'static str {
        let narrow = &self.0[..self.0.len().min(3)];
        FIELDS
            .iter()
            .find(|(c, _)| *c == narrow)
            .map(|(_, n)| *n)
            .unwrap_or("field unknown")
    }
}

impl fmt::Display for IscedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.name())
    }
}

impl Serialize for IscedField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IscedField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        IscedField::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_uris() {
        assert_eq!(IscedField::parse("0613").unwrap().broad(), "06");
        assert_eq!(
            IscedField::parse("http://data.europa.eu/snb/isced-f/061")
                .unwrap()
                .code(),
            "061"
        );
        assert_eq!(IscedField::parse("Law").unwrap().code(), "042");
        assert!(IscedField::parse("0690").is_err());
        assert!(IscedField::parse("12").is_err());
    }
}
