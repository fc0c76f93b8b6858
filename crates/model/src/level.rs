//! Qualification levels: the European Qualifications Framework and national frameworks.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const EQF_SCHEME: &str = "http://data.europa.eu/snb/eqf/";

/// EQF level 1 to 8. Written as a number (`6`), a string (`"6"`, `"EQF 6"`) or the URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EqfLevel(u8);

impl EqfLevel {
    pub fn new(level: u8) -> Result<Self, String> {
        if (1..=8).contains(&level) {
            Ok(Self(level))
        } else {
            Err(format!(
                "EQF level {level} does not exist; use a level from 1 to 8"
            ))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn uri(self) -> String {
        format!("{EQF_SCHEME}{}", self.0)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let digits = trimmed
            .strip_prefix(EQF_SCHEME)
            .or_else(|| trimmed.strip_prefix("EQF").map(str::trim))
            .or_else(|| trimmed.strip_prefix("eqf").map(str::trim))
            .unwrap_or(trimmed);
        digits
            .parse::<u8>()
            .map_err(|_| format!("{text:?} is not an EQF level; use a number from 1 to 8"))
            .and_then(Self::new)
    }

    /// What the level means, in a sentence an employer understands (EQF descriptors, abridged).
    pub fn plain_meaning(self) -> &'static str {
        match self.0 {
            1 => "basic general knowledge and skills, under direct supervision",
            2 => "basic factual knowledge of a field; work under supervision with some autonomy",
            3 => "knowledge of facts, principles and processes; completing tasks and adapting to circumstances",
            4 => "factual and theoretical knowledge in broad contexts; self-management within guidelines",
            5 => "comprehensive, specialised knowledge; managing and supervising in unpredictable contexts (short-cycle higher education)",
            6 => "advanced knowledge with critical understanding; managing complex projects (bachelor level)",
            7 => "highly specialised knowledge, original thinking; managing complex, unpredictable contexts (master level)",
            _ => "knowledge at the most advanced frontier of a field (doctoral level)",
        }
    }
}

impl fmt::Display for EqfLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EQF {}", self.0)
    }
}

impl Serialize for EqfLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for EqfLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = EqfLevel;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an EQF level from 1 to 8")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<EqfLevel, E> {
                u8::try_from(v)
                    .map_err(|_| E::custom(format!("EQF level {v} does not exist; use a level from 1 to 8")))
                    .and_then(|l| EqfLevel::new(l).map_err(E::custom))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<EqfLevel, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<EqfLevel, E> {
                Err(E::custom(format!(
                    "EQF level {v} is not a whole number; use a level from 1 to 8"
                )))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<EqfLevel, E> {
                EqfLevel::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A level in a national qualifications framework, e.g. Ireland's NFQ level 7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NqfLevel {
    /// The framework, e.g. "IE-NFQ", "ES-MECU", "HR-CROQF", "EE-EstQF", "NL-NLQF", "MT-MQF".
    pub framework: String,
    /// The level within the framework, as the framework writes it ("7", "2", "6").
    pub level: String,
    /// The EU URI of the level in the `snb/qdr` scheme, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// Ireland's NFQ levels 1 to 10 in the EU `snb/qdr` scheme (domain.md section 4).
pub const IE_NFQ_URIS: [&str; 10] = [
    "c_53e465cb",
    "c_060f2f91",
    "c_4c88e501",
    "c_57c9e957",
    "c_4053e803",
    "c_670e54c7",
    "c_38f52397",
    "c_218a7e54",
    "c_c6ada0f4",
    "c_ac9adabb",
];

/// Cycle of the Qualifications Framework of the European Higher Education Area, where it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QfEheaCycle {
    ShortCycle,
    First,
    Second,
    Third,
}
