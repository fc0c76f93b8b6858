//! What the learner brings: a summary of each credential and the outcome of verifying it.
//!
//! Verifying is not this crate's job (crate `microcred-vc` does it); the caller verifies first and passes
//! the outcome, so that a credential that failed any check is excluded with the reason, never counted.

use serde::{Deserialize, Serialize};

use microcred_model::{Credit, CreditSystem, Date, EqfLevel};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldCredential {
    /// The credential's own id (each issued copy has one).
    pub id: String,
    /// What was achieved: the OB 3.0 achievement id or the description id (the same for every learner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_id: Option<String>,
    pub title: String,
    pub issuer: String,
    /// Whether the verifier found the issuer on a trust list; unknown when not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_accredited: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    /// When the credential stops being valid, if it says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<Credit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eqf: Option<EqfLevel>,
    /// ESCO skill URIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// Subresource-integrity digest of the credential document (`sha256-<base64>`), quoted as evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_sri: Option<String>,
    /// Assumptions made while reading the credential, e.g. an unnamed credit system.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub verification: Verification,
}

/// The outcome of verification, as far as stacking cares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Verification {
    Verified,
    /// Invalid, revoked, suspended, expired or otherwise not usable: the reason says which.
    Excluded {
        reason: String,
    },
}

impl Verification {
    /// From a verifier's overall answer and the messages of the checks that failed.
    pub fn from_outcome<'a>(verified: bool, failed_messages: impl IntoIterator<Item = &'a str>) -> Self {
        if verified {
            return Verification::Verified;
        }
        let reasons: Vec<&str> = failed_messages.into_iter().collect();
        let reason = if reasons.is_empty() {
            "verification did not succeed".to_string()
        } else {
            reasons.join("; ")
        };
        Verification::Excluded { reason }
    }
}

impl HeldCredential {
    pub fn credits_in(&self, system: &CreditSystem) -> Option<f64> {
        self.credits
            .iter()
            .find(|c| &c.system == system)
            .map(|c| c.points)
    }

    /// The key duplicates share: the same achievement counts once however many copies are offered.
    pub(crate) fn achievement_key(&self) -> &str {
        self.achievement_id.as_deref().unwrap_or(&self.id)
    }
}

/// `sha256-<base64>` of some bytes, the form VC 2.0's `digestSRI` uses.
pub fn digest_sri(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let hash = sha2::Sha256::digest(bytes);
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}
