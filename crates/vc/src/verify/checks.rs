//! The report: named checks with a status and a sentence.

use serde::{Deserialize, Serialize};

use super::VerifyContext;
use crate::trust::TrustDecision;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    Ok,
    Failed,
    /// The check needed something that was not available (network, a key, a list): neither good nor bad.
    CouldNotCheck,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// `format`, `proof`, `validity-period`, `status`, `issuer-trust` or `holder-binding`.
    pub check: String,
    pub status: CheckStatus,
    pub message: String,
}

impl Check {
    pub fn new(check: &str, status: CheckStatus, message: impl Into<String>) -> Self {
        Check {
            check: check.into(),
            status,
            message: message.into(),
        }
    }
    pub fn ok(check: &str, message: impl Into<String>) -> Self {
        Self::new(check, CheckStatus::Ok, message)
    }
    pub fn failed(check: &str, message: impl Into<String>) -> Self {
        Self::new(check, CheckStatus::Failed, message)
    }
    pub fn could_not_check(check: &str, message: impl Into<String>) -> Self {
        Self::new(check, CheckStatus::CouldNotCheck, message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationReport {
    pub verified: bool,
    pub checks: Vec<Check>,
}

/// Checks that must be `ok` (not merely "not failed") for a document to count as verified.
const ESSENTIAL: [&str; 2] = ["format", "proof"];

impl VerificationReport {
    pub fn from_checks(checks: Vec<Check>) -> Self {
        let none_failed = checks.iter().all(|c| c.status != CheckStatus::Failed);
        let essentials_ok = ESSENTIAL.iter().all(|name| {
            let mut named = checks.iter().filter(|c| c.check == *name).peekable();
            named.peek().is_some() && named.all(|c| c.status == CheckStatus::Ok)
        });
        VerificationReport {
            verified: none_failed && essentials_ok,
            checks,
        }
    }

    /// The checks with this name.
    pub fn named<'a>(&'a self, check: &'a str) -> impl Iterator<Item = &'a Check> + 'a {
        self.checks.iter().filter(move |c| c.check == check)
    }

    /// The status of the first check with this name.
    pub fn status_of(&self, check: &str) -> Option<CheckStatus> {
        self.named(check).next().map(|c| c.status)
    }
}

pub(crate) fn issuer_trust(issuer: Option<&str>, ctx: &VerifyContext) -> Check {
    const NAME: &str = "issuer-trust";
    let Some(issuer) = issuer else {
        return Check::could_not_check(NAME, "the credential names no issuer id to look up");
    };
    let Some(list) = &ctx.trust_list else {
        return Check::could_not_check(
            NAME,
            format!("no trust list was given, so whether {issuer} is an accredited issuer was not checked"),
        );
    };
    match list.lookup(issuer, ctx.now) {
        TrustDecision::Listed(entry) => Check::ok(
            NAME,
            format!(
                "{} ({issuer}) is accredited in the trust list of {}",
                entry.name, list.authority
            ),
        ),
        TrustDecision::NotListed => Check::failed(
            NAME,
            format!("{issuer} is not in the trust list of {}", list.authority),
        ),
        TrustDecision::OutsideValidity(why) => Check::failed(NAME, why),
    }
}
