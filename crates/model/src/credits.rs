//! Notional workload (Annex I element 7): hours of learning and credits in a credit system.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const CREDIT_SCHEME: &str = "http://data.europa.eu/snb/education-credit/";

/// A credit system. ECTS and ECVET have EU URIs; a national system (QQI FET credits, Croatia's CSVET,
/// Spain's hours...) is named and should state its hours per credit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CreditSystem {
    Ects,
    Ecvet,
    National(String),
}

impl CreditSystem {
    pub fn parse(text: &str) -> Self {
        let trimmed = text.trim();
        match trimmed.to_ascii_uppercase().as_str() {
            "ECTS" | "EC" => Self::Ects,
            "ECVET" => Self::Ecvet,
            _ if trimmed == format!("{CREDIT_SCHEME}6fcec5c5af") => Self::Ects,
            _ if trimmed == format!("{CREDIT_SCHEME}60b314e826") => Self::Ecvet,
            _ => Self::National(trimmed.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Self::Ects => "ECTS",
            Self::Ecvet => "ECVET",
            Self::National(name) => name,
        }
    }

    pub fn uri(&self) -> Option<String> {
        match self {
            Self::Ects => Some(format!("{CREDIT_SCHEME}6fcec5c5af")),
            Self::Ecvet => Some(format!("{CREDIT_SCHEME}60b314e826")),
            Self::National(_) => None,
        }
    }
}

impl fmt::Display for CreditSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for CreditSystem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CreditSystem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim().is_empty() {
            return Err(serde::de::Error::custom(
                "the credit system is empty; write ECTS, ECVET or the name of a national system",
            ));
        }
        Ok(CreditSystem::parse(&text))
    }
}

/// Credits in one system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    pub system: CreditSystem,
    pub points: f64,
    /// Hours of notional learning per credit, when the system defines it (1 ECTS = 25-30 h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_credit: Option<f64>,
}

/// Annex I element 7.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Notional learning hours needed to achieve the learning outcomes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<Credit>,
}

impl Workload {
    pub fn is_empty(&self) -> bool {
        self.hours.is_none() && self.credits.is_empty()
    }

    pub fn credits_in(&self, system: &CreditSystem) -> Option<f64> {
        self.credits
            .iter()
            .find(|c| &c.system == system)
            .map(|c| c.points)
    }

    pub fn ects(&self) -> Option<f64> {
        self.credits_in(&CreditSystem::Ects)
    }
}
