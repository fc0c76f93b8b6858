//! A qualification (or any larger credential) and the pathway into it, as data.
//!
//! The receiving organisation writes one file per qualification: its components (the micro-credentials
//! or units of learning outcomes it is made of), equivalences it accepts, and the requirements a learner's
//! credentials must meet. The file only describes what the organisation *would* accept: evaluating it
//! recommends, and a person of the awarding body decides (domain.md section 1: stacking creates no
//! automatic right).

use serde::{Deserialize, Serialize};

use microcred_model::{Credit, EqfLevel, NqfLevel};

pub use crate::rule::{Constraints, Issuers, Need, Rule};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualification {
    /// A stable identifier, ideally a URI of the awarding body; it becomes the achievement id when awarded.
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The law, regulation or award specification the pathway comes from.
    pub source: String,
    /// The receiving organisation, which decides whether to award.
    pub awarding_body: Organisation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eqf: Option<EqfLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nqf: Option<NqfLevel>,
    /// The size of the whole qualification (what the awarded credential states).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<Credit>,
    /// Constraints that every requirement inherits unless it states its own.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub accept: Constraints,
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equivalences: Vec<Equivalence>,
    /// All of these must be met.
    pub requirements: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// A URI or DID: compared with the issuer of held credentials for `issuers = "same-provider"`.
    pub id: String,
    pub name: String,
}

/// A part of the qualification: a unit of learning outcomes, a competence unit, a minor award.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Referenced by requirements. A held credential whose achievement id equals it proves it.
    pub id: String,
    pub title: String,
    /// Further identifiers of micro-credentials (achievement or description ids) that prove this component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<String>,
    /// Credits the component is worth, used when a proving credential states none in the system asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<Credit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eqf: Option<EqfLevel>,
    /// ESCO skill URIs, to find published micro-credentials that would close a gap.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub esco_skills: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learning_outcomes: Vec<String>,
}

impl Component {
    /// True when a credential for `achievement` proves this component directly.
    pub fn is_proved_by(&self, achievement: &str) -> bool {
        self.id == achievement || self.credentials.iter().any(|c| c == achievement)
    }
}

/// The receiving organisation accepts `credential` in place of `counts_for`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equivalence {
    /// The achievement id (or credential id) of the accepted micro-credential.
    pub credential: String,
    /// The component id it counts for.
    pub counts_for: String,
    /// Why: the recognition decision or agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

impl Qualification {
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }
}
