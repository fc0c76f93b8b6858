//! What a seal's X.509 certificate says (subject, issuer, validity) and the key it certifies.

use rsa::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256};
use x509_cert::der::{Decode, Encode};
use x509_cert::name::Name;
use x509_cert::Certificate;

/// The public key of a certificate, in the two algorithms seals use.
#[derive(Debug, Clone, PartialEq)]
pub enum CertifiedKey {
    Rsa(rsa::RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
}

/// A parsed certificate with the parts a person and the seal check need.
#[derive(Debug, Clone)]
pub struct CertificateInfo {
    /// Readable distinguished name, most telling attributes first: `CN=..., O=..., C=...`.
    pub subject: String,
    /// The subject's common name, organisation and country, for display.
    pub subject_common_name: Option<String>,
    pub subject_organization: Option<String>,
    pub subject_country: Option<String>,
    pub issuer: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    pub not_after: String,
    pub key: CertifiedKey,
    /// SHA-256 of the DER encoding (the JWS `x5t#S256` thumbprint).
    pub sha256: [u8; 32],
}

impl CertificateInfo {
    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        let cert = Certificate::from_der(der).map_err(|e| format!("not an X.509 certificate: {e}"))?;
        let tbs = &cert.tbs_certificate;
        let spki = tbs
            .subject_public_key_info
            .to_der()
            .map_err(|e| format!("the certificate's public key cannot be read: {e}"))?;
        let key = if let Ok(key) = rsa::RsaPublicKey::from_public_key_der(&spki) {
            CertifiedKey::Rsa(key)
        } else if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(&spki) {
            CertifiedKey::P256(key)
        } else {
            return Err(
                "the certificate's key is neither RSA nor EC P-256; seals here use RS256 or ES256".into(),
            );
        };
        let subject = attributes(&tbs.subject);
        let find = |key: &str| {
            subject.iter().find_map(|a| {
                a.strip_prefix(key)
                    .and_then(|v| v.strip_prefix('='))
                    .map(str::to_string)
            })
        };
        Ok(CertificateInfo {
            subject_common_name: find("CN"),
            subject_organization: find("O"),
            subject_country: find("C"),
            subject: subject.join(", "),
            issuer: attributes(&tbs.issuer).join(", "),
            not_before: tbs.validity.not_before.to_date_time().to_string(),
            not_after: tbs.validity.not_after.to_date_time().to_string(),
            key,
            sha256: Sha256::digest(der).into(),
        })
    }

    /// Whether `at` (RFC 3339) falls within the validity period; `None` if `at` is not a timestamp.
    pub fn valid_at(&self, at: &str) -> Option<bool> {
        let at = chrono::DateTime::parse_from_rfc3339(at).ok()?;
        let from = chrono::DateTime::parse_from_rfc3339(&self.not_before).ok()?;
        let until = chrono::DateTime::parse_from_rfc3339(&self.not_after).ok()?;
        Some(from <= at && at <= until)
    }
}

/// `CN=...`, `O=...`, `OU=...`, `C=...` then the other attributes in certificate order: people look for
/// the name, the organisation and the country first.
fn attributes(name: &Name) -> Vec<String> {
    let mut parts: Vec<(usize, String)> = name
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .map(|atv| atv.to_string())
        .filter(|text| !text.is_empty())
        .map(|text| (rank(&text), text))
        .collect();
    parts.sort_by_key(|(rank, _)| *rank);
    parts.into_iter().map(|(_, text)| text).collect()
}

fn rank(attribute: &str) -> usize {
    const ORDER: [&str; 4] = ["CN=", "O=", "OU=", "C="];
    ORDER
        .iter()
        .position(|prefix| attribute.starts_with(prefix))
        .unwrap_or(ORDER.len())
}

/// Whether the certificate `child_der` carries a valid signature by `issuer_key`: `Ok(true/false)`,
/// or `Err` when its signature algorithm is not one this code checks (RSA PKCS#1 v1.5 with SHA-2,
/// ECDSA P-256 with SHA-256).
pub fn signed_by(child_der: &[u8], issuer_key: &CertifiedKey) -> Result<bool, String> {
    use rsa::signature::Verifier;
    let cert = Certificate::from_der(child_der).map_err(|e| format!("not an X.509 certificate: {e}"))?;
    let tbs = cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
    let signature = cert
        .signature
        .as_bytes()
        .ok_or("the certificate's signature is not whole bytes")?;
    let algorithm = cert.signature_algorithm.oid.to_string();
    fn rsa_ok<D>(key: &rsa::RsaPublicKey, tbs: &[u8], signature: &[u8]) -> bool
    where
        D: sha2::Digest + x509_cert::der::oid::AssociatedOid,
    {
        rsa::pkcs1v15::Signature::try_from(signature).is_ok_and(|s| {
            rsa::pkcs1v15::VerifyingKey::<D>::new(key.clone())
                .verify(tbs, &s)
                .is_ok()
        })
    }
    match (algorithm.as_str(), issuer_key) {
        ("1.2.840.113549.1.1.11", CertifiedKey::Rsa(key)) => Ok(rsa_ok::<sha2::Sha256>(key, &tbs, signature)),
        ("1.2.840.113549.1.1.12", CertifiedKey::Rsa(key)) => Ok(rsa_ok::<sha2::Sha384>(key, &tbs, signature)),
        ("1.2.840.113549.1.1.13", CertifiedKey::Rsa(key)) => Ok(rsa_ok::<sha2::Sha512>(key, &tbs, signature)),
        ("1.2.840.10045.4.3.2", CertifiedKey::P256(key)) => {
            Ok(p256::ecdsa::Signature::from_der(signature).is_ok_and(|s| key.verify(&tbs, &s).is_ok()))
        }
        (other, _) => Err(format!(
            "its signature algorithm ({other}) with this issuer key is not checked here"
        )),
    }
}
