//! Ed25519 keys and their Multikey encodings.
//!
//! A public key travels as `publicKeyMultibase` = `z` + base58btc(`0xed 0x01` + 32 bytes) (`z6Mk...`),
//! a secret key as `secretKeyMultibase` = `z` + base58btc(`0x80 0x26` + 32-byte seed) (`z3u2...`).
//! The secret half never leaves [`SigningKeyPair`] except through [`SigningKeyPair::to_multikey_json`],
//! which callers use only to write a plaintext key file the user asked for; `Debug` redacts it.

use ed25519_dalek::{Signer, Verifier};
use serde_json::{json, Value};
use zeroize::Zeroizing;

/// Multicodec prefix of an Ed25519 public key (varint of 0xed).
const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];
/// Multicodec prefix of an Ed25519 private key (varint of 0x1300).
const ED25519_PRIV_PREFIX: [u8; 2] = [0x80, 0x26];

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("{what} is not multibase base58btc: it must start with 'z' followed by base58 characters")]
    NotBase58Btc { what: &'static str },
    #[error("{what} is not an Ed25519 key: expected the multicodec prefix {expected} and 32 key bytes")]
    WrongCodec {
        what: &'static str,
        expected: &'static str,
    },
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPoint,
    #[error(
        "the key file has no '{field}' field; a Multikey needs publicKeyMultibase and secretKeyMultibase"
    )]
    MissingField { field: &'static str },
    #[error("the secret key does not belong to the public key given beside it")]
    Mismatch,
    #[error("the key source could not produce random bytes: {0}")]
    Random(String),
}

/// Decodes `z` + base58btc into bytes.
pub fn decode_base58btc(what: &'static str, multibase: &str) -> Result<Vec<u8>, KeyError> {
    let rest = multibase
        .strip_prefix('z')
        .ok_or(KeyError::NotBase58Btc { what })?;
    bs58::decode(rest)
        .into_vec()
        .map_err(|_| KeyError::NotBase58Btc { what })
}

/// Encodes bytes as `z` + base58btc.
pub fn encode_base58btc(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(1 + bytes.len() * 138 / 100 + 1);
    out.push('z');
    out.push_str(&bs58::encode(bytes).into_string());
    out
}

/// An Ed25519 public key, decoded once so that verifying many proofs does not re-parse it.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map(PublicKey)
            .map_err(|_| KeyError::InvalidPoint)
    }

    /// Parses `z6Mk...`.
    pub fn from_multibase(multibase: &str) -> Result<Self, KeyError> {
        let bytes = decode_base58btc("publicKeyMultibase", multibase)?;
        let wrong = KeyError::WrongCodec {
            what: "publicKeyMultibase",
            expected: "0xed01",
        };
        let key = bytes.strip_prefix(&ED25519_PUB_PREFIX).ok_or(wrong.clone())?;
        let key: &[u8; 32] = key.try_into().map_err(|_| wrong)?;
        Self::from_bytes(key)
    }

    pub fn to_multibase(&self) -> String {
        let mut bytes = Vec::with_capacity(34);
        bytes.extend_from_slice(&ED25519_PUB_PREFIX);
        bytes.extend_from_slice(self.0.as_bytes());
        encode_base58btc(&bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// The `did:key` identifier of this key.
    pub fn did_key(&self) -> String {
        format!("did:key:{}", self.to_multibase())
    }

    /// The verification method id conventionally used with did:key: `did:key:z6Mk...#z6Mk...`.
    pub fn did_key_verification_method(&self) -> String {
        let mb = self.to_multibase();
        format!("did:key:{mb}#{mb}")
    }

    /// Checks a 64-byte Ed25519 signature (RFC 8032 rules, as the JavaScript stacks apply them).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        self.0.verify(message, &sig).is_ok()
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_multibase())
    }
}

/// An Ed25519 signing key with its public key. `Debug` shows only the public half.
#[derive(Clone)]
pub struct SigningKeyPair {
    secret: ed25519_dalek::SigningKey,
    public: PublicKey,
}

impl SigningKeyPair {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::getrandom(seed.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self::from_seed(&seed))
    }

    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let secret = ed25519_dalek::SigningKey::from_bytes(seed);
        let public = PublicKey(secret.verifying_key());
        SigningKeyPair { secret, public }
    }

    /// Parses `z3u2...` (the seed); accepts also a 64-byte seed+public form some tools write.
    pub fn from_secret_multibase(multibase: &str) -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(decode_base58btc("secretKeyMultibase", multibase)?);
        let wrong = KeyError::WrongCodec {
            what: "secretKeyMultibase",
            expected: "0x8026",
        };
        let key = bytes.strip_prefix(&ED25519_PRIV_PREFIX).ok_or(wrong.clone())?;
        let seed: &[u8; 32] = key
            .get(..32)
            .and_then(|s| s.try_into().ok())
            .ok_or(wrong.clone())?;
        if key.len() != 32 && key.len() != 64 {
            return Err(wrong);
        }
        let pair = Self::from_seed(seed);
        if key.len() == 64 && &key[32..] != pair.public.as_bytes() {
            return Err(KeyError::Mismatch);
        }
        Ok(pair)
    }

    /// Reads a Multikey JSON object: `secretKeyMultibase` (or the vectors' `privateKeyMultibase`), and
    /// checks `publicKeyMultibase` against it when present.
    pub fn from_multikey_json(value: &Value) -> Result<Self, KeyError> {
        let secret = value
            .get("secretKeyMultibase")
            .or_else(|| value.get("privateKeyMultibase"))
            .and_then(Value::as_str)
            .ok_or(KeyError::MissingField {
                field: "secretKeyMultibase",
            })?;
        let pair = Self::from_secret_multibase(secret)?;
        if let Some(public) = value.get("publicKeyMultibase").and_then(Value::as_str) {
            if PublicKey::from_multibase(public)? != pair.public {
                return Err(KeyError::Mismatch);
            }
        }
        Ok(pair)
    }

    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The 32-byte seed, wrapped so that it is wiped when dropped.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.secret.to_bytes())
    }

    pub fn secret_multibase(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(34));
        bytes.extend_from_slice(&ED25519_PRIV_PREFIX);
        bytes.extend_from_slice(self.seed().as_ref());
        Zeroizing::new(encode_base58btc(&bytes))
    }

    /// The Multikey JSON of the pair, secret included: only for a plaintext key file the user asked for.
    pub fn to_multikey_json(&self) -> Zeroizing<String> {
        let value = json!({
            "@context": "https://w3id.org/security/multikey/v1",
            "type": "Multikey",
            "id": self.public.did_key_verification_method(),
            "controller": self.public.did_key(),
            "publicKeyMultibase": self.public.to_multibase(),
            "secretKeyMultibase": self.secret_multibase().as_str(),
        });
        Zeroizing::new(serde_json::to_string_pretty(&value).expect("JSON of strings serializes"))
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.secret.sign(message).to_bytes()
    }
}

impl std::fmt::Debug for SigningKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyPair")
            .field("public", &self.public)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// The public Multikey verification method document of a key, for did documents and `keys public`.
pub fn public_multikey_json(public: &PublicKey, id: &str, controller: &str) -> Value {
    json!({
        "id": id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public.to_multibase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const VECTOR_SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

    #[test]
    fn vector_key_round_trips() {
        let pair = SigningKeyPair::from_secret_multibase(VECTOR_SECRET).unwrap();
        assert_eq!(pair.public().to_multibase(), VECTOR_PUBLIC);
        assert_eq!(pair.secret_multibase().as_str(), VECTOR_SECRET);
        let json =
            serde_json::json!({"publicKeyMultibase": VECTOR_PUBLIC, "privateKeyMultibase": VECTOR_SECRET});
        assert_eq!(
            SigningKeyPair::from_multikey_json(&json)
                .unwrap()
                .public()
                .to_multibase(),
            VECTOR_PUBLIC
        );
    }

    #[test]
    fn debug_redacts_secret() {
        let pair = SigningKeyPair::from_secret_multibase(VECTOR_SECRET).unwrap();
        let shown = format!("{pair:?}");
        assert!(!shown.contains(VECTOR_SECRET) && shown.contains("redacted"));
    }

    #[test]
    fn rejects_bad_encodings() {
        assert!(PublicKey::from_multibase("x6Mk").is_err());
        assert!(PublicKey::from_multibase("z0OIl").is_err());
        assert!(PublicKey::from_multibase(VECTOR_SECRET).is_err());
        let other = SigningKeyPair::generate().unwrap();
        let json = serde_json::json!({"publicKeyMultibase": other.public().to_multibase(), "secretKeyMultibase": VECTOR_SECRET});
        assert_eq!(
            SigningKeyPair::from_multikey_json(&json).unwrap_err(),
            KeyError::Mismatch
        );
    }

    #[test]
    fn sign_verify() {
        let pair = SigningKeyPair::generate().unwrap();
        let sig = pair.sign(b"hello");
        assert!(pair.public().verify(b"hello", &sig));
        assert!(!pair.public().verify(b"hellp", &sig));
        assert!(!pair.public().verify(b"hello", &sig[..63]));
    }
}
