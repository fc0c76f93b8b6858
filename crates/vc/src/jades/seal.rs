//! Making a JAdES seal (baseline B: signing certificate, thumbprint and signing time in the protected
//! header) the way the European Digital Credentials service shapes its sealed files.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use x509_cert::der::Encode;
use x509_cert::Certificate;

use super::certificate::{CertificateInfo, CertifiedKey};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the certificate chain cannot be used: {0}")]
    Certificate(String),
    /// Never carries key material, only what is wrong with it.
    #[error("the private key cannot be used: {0}")]
    Key(String),
    #[error("the private key does not belong to the first certificate of the chain")]
    KeyMismatch,
    #[error("the credential cannot be sealed: {0}")]
    Credential(String),
}

enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
}

/// Seals `credential` with `key_pem` (RSA: RS256, EC P-256: ES256), naming the certificates of
/// `cert_chain_pem` (leaf first), at the current time.
pub fn seal(credential: &Value, cert_chain_pem: &str, key_pem: &str) -> Result<Value, SealError> {
    seal_at(credential, cert_chain_pem, key_pem, Utc::now())
}

/// [`seal`] with the signing time given, for reproducible output.
pub fn seal_at(
    credential: &Value,
    cert_chain_pem: &str,
    key_pem: &str,
    signed_at: DateTime<Utc>,
) -> Result<Value, SealError> {
    if !credential.is_object() {
        return Err(SealError::Credential("only a JSON object can be sealed".into()));
    }
    let chain = Certificate::load_pem_chain(cert_chain_pem.as_bytes())
        .map_err(|e| SealError::Certificate(format!("not PEM certificates: {e}")))?;
    let ders: Vec<Vec<u8>> = chain
        .iter()
        .map(|c| c.to_der().map_err(|e| SealError::Certificate(e.to_string())))
        .collect::<Result<_, _>>()?;
    let Some(leaf_der) = ders.first() else {
        return Err(SealError::Certificate(
            "no certificate found in the PEM text".into(),
        ));
    };
    let leaf = CertificateInfo::from_der(leaf_der).map_err(SealError::Certificate)?;
    let key = private_key(key_pem)?;
    let alg = match (&key, &leaf.key) {
        (PrivateKey::Rsa(private), CertifiedKey::Rsa(public))
            if &rsa::RsaPublicKey::from(private.as_ref()) == public =>
        {
            "RS256"
        }
        (PrivateKey::P256(private), CertifiedKey::P256(public)) if private.verifying_key() == public => {
            "ES256"
        }
        _ => return Err(SealError::KeyMismatch),
    };
    let header = json!({
        "alg": alg,
        "cty": "octet-stream",
        "x5t#S256": URL_SAFE_NO_PAD.encode(leaf.sha256),
        "x5c": ders.iter().map(|der| STANDARD.encode(der)).collect::<Vec<_>>(),
        "typ": "jose+json",
        "b64": false,
        "sigT": signed_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "crit": ["b64", "sigT"],
    });
    let protected = URL_SAFE_NO_PAD.encode(header.to_string());
    let payload = serde_json::to_string(credential)
        .map_err(|e| SealError::Credential(format!("not serialisable: {e}")))?;
    let signing_input = format!("{protected}.{payload}");
    let signature = sign(&key, signing_input.as_bytes())?;
    Ok(json!({
        "payload": payload,
        "signatures": [{ "protected": protected, "signature": URL_SAFE_NO_PAD.encode(signature) }],
    }))
}

fn sign(key: &PrivateKey, message: &[u8]) -> Result<Vec<u8>, SealError> {
    use rsa::signature::{SignatureEncoding, Signer};
    match key {
        PrivateKey::Rsa(private) => {
            let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(private.as_ref().clone());
            let signature = signer
                .try_sign(message)
                .map_err(|e| SealError::Key(format!("RSA signing failed: {e}")))?;
            Ok(signature.to_vec())
        }
        PrivateKey::P256(private) => {
            let signature: p256::ecdsa::Signature = private
                .try_sign(message)
                .map_err(|e| SealError::Key(format!("ECDSA signing failed: {e}")))?;
            Ok(signature.to_bytes().to_vec())
        }
    }
}

/// PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`), unencrypted.
fn private_key(pem: &str) -> Result<PrivateKey, SealError> {
    use p256::pkcs8::DecodePrivateKey;
    use rsa::pkcs1::DecodeRsaPrivateKey;
    let text = pem.trim();
    if text.contains("BEGIN ENCRYPTED PRIVATE KEY") {
        return Err(SealError::Key(
            "it is encrypted; give an unencrypted PEM key (e.g. `openssl pkey -in key.pem -out plain.pem`) kept with restricted permissions".into(),
        ));
    }
    if text.contains("BEGIN RSA PRIVATE KEY") {
        return rsa::RsaPrivateKey::from_pkcs1_pem(text)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|_| SealError::Key("not a readable PKCS#1 RSA key".into()));
    }
    if text.contains("BEGIN EC PRIVATE KEY") {
        return p256::SecretKey::from_sec1_pem(text)
            .map(|k| PrivateKey::P256(k.into()))
            .map_err(|_| SealError::Key("not a readable EC P-256 key (SEC1)".into()));
    }
    if text.contains("BEGIN PRIVATE KEY") {
        if let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_pem(text) {
            return Ok(PrivateKey::Rsa(Box::new(key)));
        }
        if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_pem(text) {
            return Ok(PrivateKey::P256(key));
        }
        return Err(SealError::Key(
            "a PKCS#8 key that is neither RSA nor EC P-256".into(),
        ));
    }
    Err(SealError::Key(
        "no PEM private key found (expected BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)".into(),
    ))
}
