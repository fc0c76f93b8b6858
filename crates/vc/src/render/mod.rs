//! Renderings of a micro-credential [`Description`] for one learner: an Open Badges 3.0
//! `OpenBadgeCredential` (W3C VC 2.0, to be signed with Data Integrity) and a European Learning Model v3
//! `EuropeanDigitalCredential` (VC 1.1-shaped, to be sealed with JAdES).
//!
//! Both are pure functions of their inputs: identifiers, the issuing time and the salt for hashed
//! identities come in through [`RenderOptions`], so the same inputs always give the same credential and
//! tests need no clock or randomness. [`new_credential_id`] and [`new_salt`] make fresh values for callers.
//!
//! Where OB 3.0 has no slot for an Annex I element, the OB rendering uses the microcred extension context
//! ([`EXTENSION_CONTEXT_URL`], file `contexts-ext/microcred-v1.jsonld`, documented in `README.md` here).

mod concepts;
mod elm;
mod ob3;

use chrono::{DateTime, Utc};
use microcred_model::{Country, Date};

pub use elm::elm;
pub use ob3::open_badge;

/// The microcred JSON-LD extension context: terms for the Annex I elements that OB 3.0 lacks.
pub const EXTENSION_CONTEXT_URL: &str = "https://w3id.org/microcred/v1";
/// The extension context document, built into the binary (never fetched).
pub const EXTENSION_CONTEXT: &str = include_str!("../../contexts-ext/microcred-v1.jsonld");

pub const CREDENTIALS_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
pub const CREDENTIALS_V1_CONTEXT: &str = "https://www.w3.org/2018/credentials/v1";
pub const ELM_CONTEXT: &str = "http://data.europa.eu/snb/model/context/edc-ap";

/// Annex I element 1: who the credential is about. Only what is given is rendered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Learner {
    /// Full name as it should appear on the credential.
    pub name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// Rendered hashed (with the salt of [`RenderOptions`]) in OB 3.0, as a mailbox in ELM.
    pub email: Option<String>,
    /// A DID or another absolute URI (`urn:...`) identifying the learner.
    pub id: Option<String>,
    pub national_id: Option<NationalId>,
    pub date_of_birth: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NationalId {
    pub value: String,
    /// The country that issued the identifier.
    pub country: Option<Country>,
}

/// The organisation that signs the credential.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssuerProfile {
    /// A DID or URL.
    pub id: String,
    pub name: String,
    /// The issuer's country; when absent, the description's first country is used.
    pub country: Option<Country>,
    pub url: Option<String>,
    pub email: Option<String>,
}

/// What varies from one issued credential to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// An absolute URI, e.g. `urn:uuid:...` (see [`new_credential_id`]).
    pub credential_id: String,
    /// Annex I element 5, the date of issuing.
    pub issued: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    /// The language texts are taken in first (BCP 47, e.g. `en`); other languages stay as variants.
    pub language: String,
    /// Salt for the hashed identities of OB 3.0 (email, national identifier); see [`new_salt`].
    pub identity_salt: String,
    /// The grade or result the learner achieved, if the provider records one.
    pub grade: Option<String>,
    /// Put the extension context into the OB 3.0 credential as an object instead of its URL, for
    /// verifiers that would otherwise have to fetch the URL (the signed bytes differ, the meaning not).
    pub inline_extension_context: bool,
}

impl RenderOptions {
    pub fn new(
        credential_id: impl Into<String>,
        issued: DateTime<Utc>,
        identity_salt: impl Into<String>,
    ) -> Self {
        RenderOptions {
            credential_id: credential_id.into(),
            issued,
            valid_until: None,
            language: "en".into(),
            identity_salt: identity_salt.into(),
            grade: None,
            inline_extension_context: false,
        }
    }
}

/// The extension context's term definitions, for an inline `@context` entry.
pub fn extension_context_object() -> serde_json::Value {
    let document: serde_json::Value = serde_json::from_str(EXTENSION_CONTEXT)
        .expect("the built-in extension context is valid JSON (tested)");
    document["@context"].clone()
}

/// A fresh `urn:uuid:` (version 4) for a credential.
pub fn new_credential_id() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// A fresh random salt (128 bits, hex) for hashed identities: without a salt, a hashed email can be
/// reversed by hashing candidate addresses.
pub fn new_salt() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// `xsd:dateTime` to the second, in UTC, as VC 2.0 and ELM write it.
fn date_time(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// JSON-LD drops (and safe mode rejects) identifiers that are not absolute IRIs, so only those become
/// `id`s; anything else is carried as a plain identifier value.
fn is_absolute_iri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || "<>\"{}|\\^`".contains(c))
}

/// Hours as an `xsd:duration`, e.g. `PT250H`.
fn hours_duration(hours: f64) -> String {
    if hours.fract() == 0.0 {
        format!("PT{}H", hours as u64)
    } else {
        format!("PT{}M", (hours * 60.0).round() as u64)
    }
}

/// A whole number stays an integer in JSON (`10`, not `10.0`), so that canonical forms and readers
/// see the number the author wrote.
fn number(value: f64) -> serde_json::Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        serde_json::Value::from(value as i64)
    } else {
        serde_json::Value::from(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_iris() {
        assert!(is_absolute_iri("did:key:z6Mk"));
        assert!(is_absolute_iri("https://example.org/x"));
        assert!(is_absolute_iri("urn:uuid:1234"));
        assert!(!is_absolute_iri("IE 1234"));
        assert!(!is_absolute_iri("VAT:IE 1234"));
        assert!(!is_absolute_iri("1234"));
        assert!(!is_absolute_iri(":x"));
    }

    #[test]
    fn fresh_ids_and_salts() {
        let id = new_credential_id().unwrap();
        assert!(id.starts_with("urn:uuid:") && id.len() == 45, "{id}");
        assert_ne!(new_salt().unwrap(), new_salt().unwrap());
    }

    #[test]
    fn durations_and_numbers() {
        assert_eq!(hours_duration(250.0), "PT250H");
        assert_eq!(hours_duration(1.5), "PT90M");
        assert_eq!(number(10.0).to_string(), "10");
        assert_eq!(number(2.5).to_string(), "2.5");
    }
}
