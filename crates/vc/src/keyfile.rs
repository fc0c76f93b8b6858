//! Signing keys at rest: an encrypted JSON key file, or a plaintext Multikey file when asked.
//!
//! Encrypted file format (`"type": "MicrocredEncryptedKey"`, version 1):
//!
//! ```json
//! {
//!   "type": "MicrocredEncryptedKey",
//!   "version": 1,
//!   "publicKeyMultibase": "z6Mk...",
//!   "kdf": { "name": "argon2id", "memoryKiB": 65536, "iterations": 3, "parallelism": 1, "salt": "<base64url 16 bytes>" },
//!   "cipher": { "name": "xchacha20poly1305", "nonce": "<base64url 24 bytes>" },
//!   "ciphertext": "<base64url: the encrypted 32-byte Ed25519 seed and the 16-byte tag>"
//! }
//! ```
//!
//! The passphrase is stretched with argon2id into a 32-byte key; XChaCha20-Poly1305 encrypts the seed with
//! the public key multibase as associated data, so a file whose public key was swapped fails to open.
//! Random salt and nonce per file. The public key stays readable so `keys public` needs no passphrase.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use serde_json::Value;
pub use zeroize::Zeroizing;

use crate::keys::{KeyError, PublicKey, SigningKeyPair};

pub const ENCRYPTED_KEY_TYPE: &str = "MicrocredEncryptedKey";

/// Cost of the passphrase derivation. The default (64 MiB, 3 passes) takes a fraction of a second.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct KdfParams {
    #[serde(rename = "memoryKiB")]
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct KdfSection {
    name: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct CipherSection {
    name: String,
    nonce: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EncryptedKeyFile {
    #[serde(rename = "type")]
    kind: String,
    version: u32,
    public_key_multibase: String,
    kdf: KdfSection,
    cipher: CipherSection,
    ciphertext: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("the key file is not JSON: {0}")]
    NotJson(String),
    #[error("the key file is neither an encrypted key ({ENCRYPTED_KEY_TYPE}) nor a Multikey with secretKeyMultibase")]
    UnknownFormat,
    #[error("the encrypted key file is malformed at '{field}': {reason}")]
    Malformed { field: &'static str, reason: String },
    #[error("wrong passphrase, or the key file was altered")]
    WrongPassphrase,
    #[error("the key file is encrypted: give its passphrase (MICROCRED_KEY_PASSPHRASE or the prompt)")]
    PassphraseNeeded,
    #[error(transparent)]
    Key(#[from] KeyError),
}

fn derive_key(
    passphrase: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; 32]>, KeyFileError> {
    let argon_params =
        argon2::Params::new(params.memory_kib, params.iterations, params.parallelism, Some(32)).map_err(
            |e| KeyFileError::Malformed {
                field: "kdf",
                reason: e.to_string(),
            },
        )?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, argon_params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, salt, key.as_mut())
        .map_err(|e| KeyFileError::Malformed {
            field: "kdf.salt",
            reason: e.to_string(),
        })?;
    Ok(key)
}

/// Encrypts a key pair into the JSON key file format above.
pub fn encrypt(pair: &SigningKeyPair, passphrase: &str, params: KdfParams) -> Result<String, KeyFileError> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    getrandom::getrandom(&mut salt).map_err(|e| KeyError::Random(e.to_string()))?;
    getrandom::getrandom(&mut nonce).map_err(|e| KeyError::Random(e.to_string()))?;
    let key = derive_key(passphrase.as_bytes(), &salt, params)?;
    let public = pair.public().to_multibase();
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let seed = pair.seed();
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: seed.as_ref(),
                aad: public.as_bytes(),
            },
        )
        .map_err(|_| KeyFileError::Malformed {
            field: "cipher",
            reason: "encryption failed".into(),
        })?;
    let file = EncryptedKeyFile {
        kind: ENCRYPTED_KEY_TYPE.into(),
        version: 1,
        public_key_multibase: public,
        kdf: KdfSection {
            name: "argon2id".into(),
            params,
            salt: B64.encode(salt),
        },
        cipher: CipherSection {
            name: "xchacha20poly1305".into(),
            nonce: B64.encode(nonce),
        },
        ciphertext: B64.encode(ciphertext),
    };
    Ok(serde_json::to_string_pretty(&file).expect("key file serializes"))
}

/// Is this key file encrypted (so a passphrase is needed)?
pub fn is_encrypted(file: &Value) -> bool {
    file.get("type").and_then(Value::as_str) == Some(ENCRYPTED_KEY_TYPE)
}

/// The public key of a key file of either kind, without the passphrase.
pub fn public_key(file_text: &str) -> Result<PublicKey, KeyFileError> {
    let value: Value = serde_json::from_str(file_text).map_err(|e| KeyFileError::NotJson(e.to_string()))?;
    if let Some(public) = value.get("publicKeyMultibase").and_then(Value::as_str) {
        return Ok(PublicKey::from_multibase(public)?);
    }
    if value.get("secretKeyMultibase").is_some() || value.get("privateKeyMultibase").is_some() {
        return Ok(SigningKeyPair::from_multikey_json(&value)?.public().clone());
    }
    Err(KeyFileError::UnknownFormat)
}

/// Opens a key file of either kind; `passphrase` is asked for only when the file is encrypted.
pub fn open(
    file_text: &str,
    passphrase: impl FnOnce() -> Option<Zeroizing<String>>,
) -> Result<SigningKeyPair, KeyFileError> {
    let value: Value = serde_json::from_str(file_text).map_err(|e| KeyFileError::NotJson(e.to_string()))?;
    if !is_encrypted(&value) {
        if value.get("secretKeyMultibase").is_none() && value.get("privateKeyMultibase").is_none() {
            return Err(KeyFileError::UnknownFormat);
        }
        return Ok(SigningKeyPair::from_multikey_json(&value)?);
    }
    let file: EncryptedKeyFile = serde_json::from_value(value).map_err(|e| KeyFileError::Malformed {
        field: "(file)",
        reason: e.to_string(),
    })?;
    if file.version != 1 || file.kdf.name != "argon2id" || file.cipher.name != "xchacha20poly1305" {
        return Err(KeyFileError::Malformed {
            field: "version",
            reason: "only version 1 with argon2id and xchacha20poly1305 is known".into(),
        });
    }
    let decode = |field: &'static str, text: &str| {
        B64.decode(text).map_err(|e| KeyFileError::Malformed {
            field,
            reason: e.to_string(),
        })
    };
    let salt = decode("kdf.salt", &file.kdf.salt)?;
    let nonce = decode("cipher.nonce", &file.cipher.nonce)?;
    let ciphertext = decode("ciphertext", &file.ciphertext)?;
    if nonce.len() != 24 {
        return Err(KeyFileError::Malformed {
            field: "cipher.nonce",
            reason: "must be 24 bytes".into(),
        });
    }
    let passphrase = passphrase().ok_or(KeyFileError::PassphraseNeeded)?;
    let key = derive_key(passphrase.as_bytes(), &salt, file.kdf.params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let seed = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: file.public_key_multibase.as_bytes(),
                },
            )
            .map_err(|_| KeyFileError::WrongPassphrase)?,
    );
    let seed: &[u8; 32] = seed
        .as_slice()
        .try_into()
        .map_err(|_| KeyFileError::WrongPassphrase)?;
    let pair = SigningKeyPair::from_seed(seed);
    if pair.public().to_multibase() != file.public_key_multibase {
        return Err(KeyError::Mismatch.into());
    }
    Ok(pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    fn pass(p: &str) -> impl FnOnce() -> Option<Zeroizing<String>> + '_ {
        move || Some(Zeroizing::new(p.to_string()))
    }

    #[test]
    fn encrypted_round_trip() {
        let pair = SigningKeyPair::generate().unwrap();
        let text = encrypt(&pair, "correct horse", CHEAP).unwrap();
        assert!(!text.contains(pair.secret_multibase().as_str()));
        assert_eq!(public_key(&text).unwrap(), *pair.public());
        let opened = open(&text, pass("correct horse")).unwrap();
        assert_eq!(opened.public(), pair.public());
        assert!(matches!(
            open(&text, pass("wrong")),
            Err(KeyFileError::WrongPassphrase)
        ));
        assert!(matches!(
            open(&text, || None),
            Err(KeyFileError::PassphraseNeeded)
        ));
    }

    #[test]
    fn swapped_public_key_fails() {
        let pair = SigningKeyPair::generate().unwrap();
        let other = SigningKeyPair::generate().unwrap();
        let text = encrypt(&pair, "pw", CHEAP).unwrap();
        let text = text.replace(&pair.public().to_multibase(), &other.public().to_multibase());
        assert!(matches!(
            open(&text, pass("pw")),
            Err(KeyFileError::WrongPassphrase)
        ));
    }

    #[test]
    fn plaintext_multikey_opens_without_passphrase() {
        let pair = SigningKeyPair::generate().unwrap();
        let text = pair.to_multikey_json();
        let opened = open(&text, || panic!("no passphrase needed")).unwrap();
        assert_eq!(opened.public(), pair.public());
    }
}
