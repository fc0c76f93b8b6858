//! JAdES seals on European Learning Model credentials (ETSI TS 119 182-1, as the European Digital
//! Credentials service produces them): JWS JSON serialisation `{payload, signatures: [{protected,
//! header, signature}]}` with an unencoded payload (`b64: false`, RFC 7797), the signing certificate
//! chain in `x5c`, and the signing time in `sigT`.
//!
//! Signing input = ASCII(BASE64URL(UTF8(protected header))) || '.' || the payload bytes as they are.
//!
//! [`verify`] says whether a seal is intact and who the certificate names, offline. Whether the
//! certificate is a qualified one on the EU trusted lists needs the network: the report says it could
//! not be checked, never that it is trusted. [`seal`] makes a seal with an RSA (RS256) or EC P-256
//! (ES256) key and its certificate chain. Both are pure: no files, no network.

mod certificate;
mod seal;
mod verify;

pub use certificate::{CertificateInfo, CertifiedKey};
pub use seal::{seal, seal_at, SealError};
pub use verify::verify;

/// What [`verify`] found. `intact` is only about the signature over the payload with the leaf
/// certificate's key; certificate details are filled in whenever the certificate could be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SealReport {
    /// The signature is valid over the payload with the key of the first `x5c` certificate.
    pub intact: bool,
    /// The sealing certificate's subject, e.g. `CN=TEST SEAL, O=ORGANIZACION TEST, ..., C=ES`.
    pub subject: Option<String>,
    pub subject_common_name: Option<String>,
    pub subject_organization: Option<String>,
    pub subject_country: Option<String>,
    /// The certificate's issuer (the certification authority).
    pub issuer: Option<String>,
    /// Certificate validity, RFC 3339 UTC.
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    /// `sigT`: when the seal says it was made.
    pub signed_at: Option<String>,
    /// Whether `signed_at` falls within the certificate's validity, when both are known.
    pub certificate_valid_at_signing: Option<bool>,
    /// `RS256` or `ES256`.
    pub algorithm: Option<String>,
    /// Number of certificates in `x5c`.
    pub chain_length: usize,
    /// Whether each `x5c` certificate is signed by the next one (and a self-signed last one by
    /// itself); `None` when there was nothing to check or it could not be checked. Which authority
    /// is trusted is not decided here.
    pub chain_intact: Option<bool>,
    /// What the chain check found, for a person.
    pub chain: Option<String>,
    /// One sentence for a person: what holds and what could not be checked.
    pub message: String,
    /// Why the EU trusted-list check was not done (always set: it needs the network).
    pub trust: String,
    /// The sealed credential (the payload parsed as JSON), when it is JSON.
    pub credential: Option<serde_json::Value>,
}

/// The trusted-list sentence every report carries.
pub const TRUST_NOT_CHECKED: &str =
    "could not check: whether the certificate is a qualified seal certificate on the EU trusted lists needs the network";
