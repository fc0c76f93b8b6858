//! The description of a micro-credential: the Annex I standard elements (except the learner, who
//! appears at issuing) and the optional ones, plus what quality assurance, relevance and stacking need.
//!
//! Every element is optional at this level so that a half-written description still loads and the
//! compliance engine (crate `microcred-rules`) can say precisely what is missing. Field names are the
//! keys authors write in TOML and JSON.

use serde::{Deserialize, Serialize};

use crate::{
    AssessmentType, Country, Date, EqfLevel, IscedField, LangMap, LearningSetting, Mode, NqfLevel,
    OpportunityType, OutcomeKind, QaType, QfEheaCycle, Supervision, Workload, XsdDuration,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// A stable identifier, ideally a URI the provider controls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The provider's version label of this description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When the offer is next reviewed for relevance (Annex II, relevance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<Date>,
    /// Element 2: title, in one or more languages.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub title: LangMap,
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub description: LangMap,
    /// Languages of instruction and assessment (BCP 47 tags).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Element 3: countries of the issuer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<Country>,
    /// Element 3: regions of the issuer (NUTS codes or names), where relevant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Element 4: awarding bodies (one or more; co-awarding allowed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awarding_bodies: Vec<AwardingBody>,
    /// Element 6.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learning_outcomes: Vec<LearningOutcome>,
    /// Element 7.
    #[serde(default, skip_serializing_if = "Workload::is_empty")]
    pub workload: Workload,
    /// Element 8.
    #[serde(default, skip_serializing_if = "Level::is_empty")]
    pub level: Level,
    /// ISCED-F 2013 field of education and training.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<IscedField>,
    /// Element 9, with the optional supervision and identity verification.
    #[serde(default, skip_serializing_if = "Assessment::is_empty")]
    pub assessment: Assessment,
    /// Element 10.
    #[serde(default, skip_serializing_if = "Participation::is_empty")]
    pub participation: Participation,
    /// Element 11.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quality_assurance: Vec<QualityAssurance>,
    #[serde(default, skip_serializing_if = "Relevance::is_empty")]
    pub relevance: Relevance,
    /// Prerequisites needed to enrol.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub prerequisites: LangMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stackability: Option<Stackability>,
    /// Where to read more (a URL or a text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub further_information: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardingBody {
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub name: LangMap,
    /// Legal or registry identifier (URI, VAT, Erasmus code, DID...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningOutcome {
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub text: LangMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OutcomeKind>,
    /// ESCO skill URIs (`http://data.europa.eu/esco/skill/<uuid>`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub esco_skills: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eqf: Option<EqfLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nqf: Option<NqfLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<QfEheaCycle>,
}

impl Level {
    pub fn is_empty(&self) -> bool {
        self.eqf.is_none() && self.nqf.is_none() && self.cycle.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<AssessmentType>,
    /// How results are graded, e.g. "pass/fail" or "1-10, pass at 5.5".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading_scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervision: Option<Supervision>,
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub description: LangMap,
}

impl Assessment {
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
            && self.grading_scheme.is_none()
            && self.supervision.is_none()
            && self.description.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modes: Vec<Mode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<LearningSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_type: Option<OpportunityType>,
    /// Calendar duration of the learning activity, e.g. P10W.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<XsdDuration>,
}

impl Participation {
    pub fn is_empty(&self) -> bool {
        self.modes.is_empty()
            && self.setting.is_none()
            && self.opportunity_type.is_none()
            && self.duration.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityAssurance {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub qa_type: Option<QaType>,
    /// The QA body, e.g. "Quality and Qualifications Ireland".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_id: Option<String>,
    /// The decision or accreditation reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// Internal QA (the provider's own) or external (by an agency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relevance {
    /// Which labour-market need the micro-credential answers, and who expressed it.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub labour_market_need: LangMap,
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub target_learners: LangMap,
    /// ESCO occupation URIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub occupations: Vec<String>,
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub employer_involvement: LangMap,
}

impl Relevance {
    pub fn is_empty(&self) -> bool {
        self.labour_market_need.is_empty()
            && self.target_learners.is_empty()
            && self.occupations.is_empty()
            && self.employer_involvement.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stackability {
    /// Can be taken and awarded on its own.
    #[serde(default = "yes")]
    pub stand_alone: bool,
    /// Larger credentials it can count towards (names or identifiers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub towards: Vec<String>,
}

fn yes() -> bool {
    true
}
