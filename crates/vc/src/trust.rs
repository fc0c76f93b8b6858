//! Trust lists: which issuers an authority (an accreditation body, a ministry) recognises.
//!
//! A trust list is itself a verifiable credential signed by the authority, so it can be passed around
//! and checked offline like any credential:
//!
//! ```json
//! {
//!   "@context": ["https://www.w3.org/ns/credentials/v2", { "@vocab": "https://w3id.org/microcred/trust#" }],
//!   "type": ["VerifiableCredential", "AccreditedIssuerList"],
//!   "issuer": "did:key:z6Mk...authority",
//!   "validFrom": "2025-01-01T00:00:00Z",
//!   "validUntil": "2027-01-01T00:00:00Z",
//!   "credentialSubject": {
//!     "type": "AccreditedIssuerList",
//!     "accreditedIssuers": [
//!       { "id": "did:web:uni.example", "name": "Example University",
//!         "scope": { "eqfLevels": [5, 6, 7], "iscedFields": ["0613"], "countries": ["NL"] },
//!         "validFrom": "2025-01-01T00:00:00Z", "validUntil": "2026-12-31T23:59:59Z" }
//!     ]
//!   },
//!   "proof": { "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "...": "..." }
//! }
//! ```
//!
//! `scope` lists are informative (empty = unrestricted); dates are optional. The inline `@vocab` gives
//! the list's own terms IRIs, so JSON-LD safe mode (and eddsa-rdfc-2022) accepts them; either suite
//! may sign a list.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub const TRUST_LIST_TYPE: &str = "AccreditedIssuerList";
/// The vocabulary of the list's own terms (an inline `@context` entry `{"@vocab": ...}`).
pub const TRUST_LIST_VOCAB: &str = "https://w3id.org/microcred/trust#";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuerScope {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eqf_levels: Vec<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub isced_fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccreditedIssuer {
    /// The issuer's id as credentials name it: a DID or a URL.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub scope: IssuerScope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
}

/// A parsed trust list. Build it with [`TrustList::from_credential`] after verifying the credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    /// Who signed the list.
    pub authority: String,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub issuers: Vec<AccreditedIssuer>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the trust list is malformed at {pointer}: {reason}")]
pub struct TrustListError {
    pub pointer: String,
    pub reason: String,
}

/// The answer to "is this issuer accredited?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustDecision<'a> {
    Listed(&'a AccreditedIssuer),
    NotListed,
    /// Listed, but `now` is outside the entry's or the whole list's dates.
    OutsideValidity(String),
}

fn parse_date(value: Option<&Value>, pointer: &str) -> Result<Option<DateTime<Utc>>, TrustListError> {
    match value {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| Some(d.with_timezone(&Utc)))
            .ok_or_else(|| TrustListError {
                pointer: pointer.into(),
                reason: "not an RFC 3339 date-time".into(),
            }),
    }
}

impl TrustList {
    /// Reads the list out of its credential. The caller verifies the credential's proof first.
    pub fn from_credential(credential: &Value) -> Result<Self, TrustListError> {
        let types = credential.get("type").map(|t| t.to_string()).unwrap_or_default();
        if !types.contains(TRUST_LIST_TYPE) {
            return Err(TrustListError {
                pointer: "/type".into(),
                reason: format!("must include {TRUST_LIST_TYPE}"),
            });
        }
        let authority = match credential.get("issuer") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            None => String::new(),
        };
        if authority.is_empty() {
            return Err(TrustListError {
                pointer: "/issuer".into(),
                reason: "the authority's id is missing".into(),
            });
        }
        let entries = credential
            .pointer("/credentialSubject/accreditedIssuers")
            .ok_or_else(|| TrustListError {
                pointer: "/credentialSubject/accreditedIssuers".into(),
                reason: "missing".into(),
            })?;
        let issuers: Vec<AccreditedIssuer> =
            serde_json::from_value(entries.clone()).map_err(|e| TrustListError {
                pointer: "/credentialSubject/accreditedIssuers".into(),
                reason: e.to_string(),
            })?;
        Ok(TrustList {
            authority,
            valid_from: parse_date(credential.get("validFrom"), "/validFrom")?,
            valid_until: parse_date(credential.get("validUntil"), "/validUntil")?,
            issuers,
        })
    }

    /// The unsigned credential form of this list (sign it with [`crate::proof::sign`]).
    pub fn to_unsigned_credential(&self) -> Value {
        let mut credential = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", { "@vocab": TRUST_LIST_VOCAB }],
            "type": ["VerifiableCredential", TRUST_LIST_TYPE],
            "issuer": self.authority,
            "credentialSubject": { "type": TRUST_LIST_TYPE, "accreditedIssuers": self.issuers },
        });
        let fmt = |d: &DateTime<Utc>| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        if let Some(d) = &self.valid_from {
            credential["validFrom"] = fmt(d).into();
        }
        if let Some(d) = &self.valid_until {
            credential["validUntil"] = fmt(d).into();
        }
        credential
    }

    pub fn lookup(&self, issuer_id: &str, now: DateTime<Utc>) -> TrustDecision<'_> {
        let outside = |from: &Option<DateTime<Utc>>, until: &Option<DateTime<Utc>>| {
            from.is_some_and(|f| now < f) || until.is_some_and(|u| now > u)
        };
        if outside(&self.valid_from, &self.valid_until) {
            return TrustDecision::OutsideValidity(format!(
                "the trust list of {} is not valid now",
                self.authority
            ));
        }
        match self.issuers.iter().find(|i| i.id == issuer_id) {
            None => TrustDecision::NotListed,
            Some(entry) if outside(&entry.valid_from, &entry.valid_until) => {
                TrustDecision::OutsideValidity(format!(
                    "{} ({}) is accredited only {}{}",
                    entry.name,
                    entry.id,
                    entry
                        .valid_from
                        .map(|d| format!("from {} ", d.date_naive()))
                        .unwrap_or_default(),
                    entry
                        .valid_until
                        .map(|d| format!("until {}", d.date_naive()))
                        .unwrap_or_default(),
                ))
            }
            Some(entry) => TrustDecision::Listed(entry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TrustList {
        TrustList {
            authority: "did:key:zAuthority".into(),
            valid_from: None,
            valid_until: Some("2030-01-01T00:00:00Z".parse().unwrap()),
            issuers: vec![AccreditedIssuer {
                id: "did:web:uni.example".into(),
                name: "Example University".into(),
                scope: IssuerScope {
                    eqf_levels: vec![6],
                    isced_fields: vec![],
                    countries: vec!["NL".into()],
                },
                valid_from: Some("2024-01-01T00:00:00Z".parse().unwrap()),
                valid_until: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            }],
        }
    }

    #[test]
    fn round_trips_through_credential() {
        let list = sample();
        let back = TrustList::from_credential(&list.to_unsigned_credential()).unwrap();
        assert_eq!(back, list);
    }

    #[test]
    fn lookup_respects_dates() {
        let list = sample();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(matches!(
            list.lookup("did:web:uni.example", at("2025-01-01T00:00:00Z")),
            TrustDecision::Listed(_)
        ));
        assert!(matches!(
            list.lookup("did:web:uni.example", at("2027-01-01T00:00:00Z")),
            TrustDecision::OutsideValidity(_)
        ));
        assert!(matches!(
            list.lookup("did:web:other.example", at("2025-01-01T00:00:00Z")),
            TrustDecision::NotListed
        ));
        assert!(matches!(
            list.lookup("did:web:uni.example", at("2031-01-01T00:00:00Z")),
            TrustDecision::OutsideValidity(_)
        ));
    }

    #[test]
    fn malformed_list_names_pointer() {
        let mut cred = sample().to_unsigned_credential();
        cred["credentialSubject"]["accreditedIssuers"][0]["validUntil"] = "soon".into();
        let err = TrustList::from_credential(&cred).unwrap_err();
        assert_eq!(err.pointer, "/credentialSubject/accreditedIssuers");
    }
}

#[cfg(test)]
mod signed_tests {
    use super::*;
    use crate::proof::{sign, Cryptosuite, ProofOptions};
    use crate::{verify, CheckStatus, SigningKeyPair, VerifyContext};

    /// A list signed with either suite verifies, and then decides `issuer-trust`.
    #[test]
    fn signed_list_drives_issuer_trust() {
        let authority = SigningKeyPair::from_seed(&[1; 32]);
        let issuer = SigningKeyPair::from_seed(&[2; 32]);
        let list = TrustList {
            authority: authority.public().did_key(),
            valid_from: None,
            valid_until: None,
            issuers: vec![AccreditedIssuer {
                id: issuer.public().did_key(),
                name: "Example University".into(),
                scope: IssuerScope::default(),
                valid_from: None,
                valid_until: None,
            }],
        };
        for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
            let mut options = ProofOptions::new(authority.public());
            options.cryptosuite = suite;
            let signed = sign(&list.to_unsigned_credential(), &authority, &options).unwrap();
            let report = crate::verify::verify_without_trust(&signed, &VerifyContext::default());
            assert!(report.verified, "{suite:?}: {report:#?}");
            let parsed = TrustList::from_credential(&signed).unwrap();

            let credential = crate::sample::ob3_sample_for(&issuer.public().did_key());
            let credential = sign(&credential, &issuer, &ProofOptions::new(issuer.public())).unwrap();
            let ctx = VerifyContext {
                trust_list: Some(parsed),
                ..VerifyContext::default()
            };
            let report = verify(&credential, &ctx);
            assert_eq!(
                report.status_of("issuer-trust"),
                Some(CheckStatus::Ok),
                "{report:#?}"
            );
        }
    }
}
