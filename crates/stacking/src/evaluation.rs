//! The result of evaluating credentials against a qualification: a recommendation with its reasons.
//! Field order and list order are deterministic, so the JSON is stable and can be diffed or signed.

use serde::{Deserialize, Serialize};

use microcred_model::{CreditSystem, Date};

use crate::qualification::Organisation;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub qualification: QualificationRef,
    pub evaluated_on: Date,
    /// Every requirement is met. A recommendation only: the awarding body decides.
    pub complete: bool,
    pub requirements: Vec<RequirementResult>,
    /// What happened to each credential offered, in the order offered.
    pub credentials: Vec<CredentialUse>,
    /// Published micro-credentials that would close the gaps.
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualificationRef {
    pub id: String,
    pub title: String,
    pub awarding_body: Organisation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementResult {
    /// The name the file gives, else the rule in words.
    pub name: String,
    /// The rule in words.
    pub rule: String,
    pub met: bool,
    /// Credentials that count towards this requirement (each at most once).
    pub counted: Vec<Counted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<CreditTally>,
    /// Components not yet proved (for n_of: the ones still available to choose from).
    pub missing: Vec<MissingComponent>,
    /// How many more components or nested requirements are needed; 0 when met.
    pub still_needed: u32,
    /// Credentials that would have counted but for a constraint (age, issuer, level).
    pub not_counted: Vec<NotCounted>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<RequirementResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counted {
    pub credential: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement: Option<String>,
    /// The component it proves; none when counted as `any_credential` credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Set when it counts through an equivalence: the basis the file gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_sri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditTally {
    pub system: CreditSystem,
    pub required: f64,
    pub held: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingComponent {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotCounted {
    pub credential: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialUse {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub status: UseStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum UseStatus {
    /// Counts towards these requirements (by name).
    Counted { requirements: Vec<String> },
    /// Verified but counts for nothing here; the reason says why.
    NotUsed { reason: String },
    /// Failed verification or expired.
    Excluded { reason: String },
    /// The same credential, or another copy of the same achievement, was offered before.
    Duplicate { of: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The missing component it would prove.
    pub component: String,
    /// The catalogue entry (description id).
    pub micro_credential: String,
    pub title: String,
    pub matched_by: MatchedBy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum MatchedBy {
    /// The component names this micro-credential.
    Identifier,
    /// They share ESCO skills (and the level fits).
    Skills { shared: Vec<String> },
    /// Their learning outcomes read alike (share of words in common, 0 to 1).
    LearningOutcomes { similarity: f64 },
}

impl Evaluation {
    /// Names of requirements (at any depth) that are not met.
    pub fn unmet(&self) -> Vec<&str> {
        fn walk<'a>(results: &'a [RequirementResult], out: &mut Vec<&'a str>) {
            for r in results {
                if !r.met {
                    out.push(&r.name);
                }
                walk(&r.requirements, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.requirements, &mut out);
        out
    }
}
