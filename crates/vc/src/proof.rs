//! Data Integrity proofs with Ed25519: `eddsa-rdfc-2022`, `eddsa-jcs-2022` (create and verify) and the
//! older `Ed25519Signature2020` (verify), following W3C vc-di-eddsa.
//!
//! hashData = SHA-256(canonical proof configuration) || SHA-256(canonical document without `proof`);
//! the signature is Ed25519 over those 64 bytes; `proofValue` = `z` + base58btc(signature).

use std::cell::OnceCell;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::canon::{canonicalize, CanonError, Canonicalization};
use crate::keys::{decode_base58btc, encode_base58btc, PublicKey, SigningKeyPair};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cryptosuite {
    EddsaRdfc2022,
    EddsaJcs2022,
    /// Verify only: the 2020 Ed25519 suite still found in the field.
    Ed25519Signature2020,
}

impl Cryptosuite {
    pub fn name(self) -> &'static str {
        match self {
            Cryptosuite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
            Cryptosuite::Ed25519Signature2020 => "Ed25519Signature2020",
        }
    }

    pub fn canonicalization(self) -> Canonicalization {
        match self {
            Cryptosuite::EddsaJcs2022 => Canonicalization::Jcs,
            _ => Canonicalization::Rdfc,
        }
    }

    /// The suite a proof object declares, from `type` and `cryptosuite`.
    pub fn of_proof(proof: &Value) -> Result<Self, ProofError> {
        match proof.as_object() {
            Some(map) => Self::of_proof_map(map),
            None => Err(ProofError::Malformed {
                field: "proof",
                reason: "not a JSON object".into(),
            }),
        }
    }

    /// [`Cryptosuite::of_proof`] for a proof already known to be an object.
    pub fn of_proof_map(proof: &Map<String, Value>) -> Result<Self, ProofError> {
        let kind = proof.get("type").and_then(Value::as_str).unwrap_or("");
        match (kind, proof.get("cryptosuite").and_then(Value::as_str)) {
            ("DataIntegrityProof", Some("eddsa-rdfc-2022")) => Ok(Cryptosuite::EddsaRdfc2022),
            ("DataIntegrityProof", Some("eddsa-jcs-2022")) => Ok(Cryptosuite::EddsaJcs2022),
            ("Ed25519Signature2020", _) => Ok(Cryptosuite::Ed25519Signature2020),
            (kind, suite) => Err(ProofError::UnsupportedSuite(format!(
                "type '{kind}'{}; this verifier knows DataIntegrityProof with eddsa-rdfc-2022 or eddsa-jcs-2022, and Ed25519Signature2020",
                suite.map(|s| format!(", cryptosuite '{s}'")).unwrap_or_default()
            ))),
        }
    }
}

impl std::str::FromStr for Cryptosuite {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "eddsa-rdfc-2022" => Ok(Cryptosuite::EddsaRdfc2022),
            "eddsa-jcs-2022" => Ok(Cryptosuite::EddsaJcs2022),
            other => Err(format!(
                "unknown cryptosuite '{other}': use eddsa-rdfc-2022 or eddsa-jcs-2022"
            )),
        }
    }
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("unsupported proof: {0}")]
    UnsupportedSuite(String),
    #[error("the proof is malformed at '{field}': {reason}")]
    Malformed { field: &'static str, reason: String },
    #[error("the document could not be canonicalized: {0}")]
    Canonicalization(CanonError),
    #[error("the signature does not match the document: the credential was altered after signing, or signed by another key")]
    BadSignature,
    #[error("the document cannot be signed: {0}")]
    Unsignable(String),
}

/// What a new proof says besides its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofOptions {
    pub cryptosuite: Cryptosuite,
    pub verification_method: String,
    /// `assertionMethod` for credentials, `authentication` for presentations.
    pub proof_purpose: String,
    /// XML Schema dateTime, e.g. `2024-01-01T00:00:00Z`; `None` leaves `created` out.
    pub created: Option<String>,
    pub challenge: Option<String>,
    pub domain: Option<String>,
}

impl ProofOptions {
    /// Defaults for issuing with `key`: eddsa-rdfc-2022, did:key verification method, assertionMethod,
    /// created now (to the second).
    pub fn new(key: &PublicKey) -> Self {
        ProofOptions {
            cryptosuite: Cryptosuite::EddsaRdfc2022,
            verification_method: key.did_key_verification_method(),
            proof_purpose: "assertionMethod".into(),
            created: Some(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            challenge: None,
            domain: None,
        }
    }

    fn to_proof_object(&self) -> Map<String, Value> {
        let mut proof = Map::new();
        proof.insert("type".into(), "DataIntegrityProof".into());
        proof.insert("cryptosuite".into(), self.cryptosuite.name().into());
        if let Some(created) = &self.created {
            proof.insert("created".into(), created.as_str().into());
        }
        proof.insert(
            "verificationMethod".into(),
            self.verification_method.as_str().into(),
        );
        proof.insert("proofPurpose".into(), self.proof_purpose.as_str().into());
        if let Some(challenge) = &self.challenge {
            proof.insert("challenge".into(), challenge.as_str().into());
        }
        if let Some(domain) = &self.domain {
            proof.insert("domain".into(), domain.as_str().into());
        }
        proof
    }
}

/// The intermediate values of a proof, as the test vectors publish them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashData {
    pub canonical_proof_config: String,
    pub canonical_document: String,
    pub proof_hash: [u8; 32],
    pub document_hash: [u8; 32],
}

impl HashData {
    /// proofHash || documentHash: the 64 bytes that are signed.
    pub fn combined(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.proof_hash);
        out[32..].copy_from_slice(&self.document_hash);
        out
    }
}

/// A document without its `proof`, with its canonical forms computed at most once, so that every proof
/// of a proof set reuses them. It borrows the secured document: JCS serializes it minus `proof`
/// without copying, and a copy is made only when RDFC (which needs a `Value`) asks for it.
pub struct UnsecuredDocument<'a> {
    source: Source<'a>,
    owned: OnceCell<Value>,
    rdfc: OnceCell<Result<String, CanonError>>,
    jcs: OnceCell<Result<String, CanonError>>,
}

enum Source<'a> {
    /// A secured document; its `proof` member is skipped.
    Secured(&'a Value),
    Owned(Value),
}

/// Serializes an object without its `proof` member.
struct WithoutProof<'a>(&'a Map<String, Value>);

impl serde::Serialize for WithoutProof<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self.0.iter().filter(|(k, _)| k.as_str() != "proof") {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'a> UnsecuredDocument<'a> {
    /// `document` minus its `proof` member.
    pub fn from_secured(document: &'a Value) -> Self {
        Self::with_source(Source::Secured(document))
    }

    pub fn new(value: Value) -> Self {
        Self::with_source(Source::Owned(value))
    }

    fn with_source(source: Source<'a>) -> Self {
        UnsecuredDocument {
            source,
            owned: OnceCell::new(),
            rdfc: OnceCell::new(),
            jcs: OnceCell::new(),
        }
    }

    /// A member of the unsecured document, without copying it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.source {
            Source::Secured(_) if key == "proof" => None,
            Source::Secured(doc) => doc.get(key),
            Source::Owned(value) => value.get(key),
        }
    }

    /// The unsecured document as a `Value` (copied once, on first use, from a secured document).
    pub fn value(&self) -> &Value {
        match &self.source {
            Source::Owned(value) => value,
            Source::Secured(doc) => self.owned.get_or_init(|| match doc {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .filter(|(k, _)| k.as_str() != "proof")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                other => (*other).clone(),
            }),
        }
    }

    pub fn canonical(&self, how: Canonicalization) -> Result<&str, CanonError> {
        let result = match how {
            Canonicalization::Rdfc => self.rdfc.get_or_init(|| canonicalize(self.value(), how)),
            Canonicalization::Jcs => self.jcs.get_or_init(|| match &self.source {
                Source::Secured(Value::Object(map)) => crate::canon::jcs_of(&WithoutProof(map)),
                _ => canonicalize(self.value(), how),
            }),
        };
        result.as_deref().map_err(Clone::clone)
    }
}

fn sha256(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// The proof configuration that is hashed: the proof without `proofValue`, with the `@context` each suite
/// requires.
fn proof_config(
    suite: Cryptosuite,
    proof: &Map<String, Value>,
    document: &UnsecuredDocument,
) -> Map<String, Value> {
    let mut config: Map<String, Value> = proof
        .iter()
        .filter(|(k, _)| k.as_str() != "proofValue")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match suite {
        // RDFC suites interpret the proof in the document's contexts.
        Cryptosuite::EddsaRdfc2022 | Cryptosuite::Ed25519Signature2020 => {
            if let Some(context) = document.get("@context") {
                config.insert("@context".into(), context.clone());
            }
        }
        // JCS keeps the proof's own @context (copied from the document when the proof was made).
        Cryptosuite::EddsaJcs2022 => {}
    }
    config
}

/// Computes hashData for `proof` (its `proofValue`, if any, is ignored) over `unsecured`.
pub fn hash_data(
    suite: Cryptosuite,
    unsecured: &UnsecuredDocument,
    proof: &Map<String, Value>,
) -> Result<HashData, ProofError> {
    let config = Value::Object(proof_config(suite, proof, unsecured));
    let how = suite.canonicalization();
    let canonical_proof_config = canonicalize(&config, how).map_err(ProofError::Canonicalization)?;
    let canonical_document = unsecured
        .canonical(how)
        .map_err(ProofError::Canonicalization)?
        .to_string();
    Ok(HashData {
        proof_hash: sha256(&canonical_proof_config),
        document_hash: sha256(&canonical_document),
        canonical_proof_config,
        canonical_document,
    })
}

/// Makes a proof object (with `proofValue`) for `document` (whose own `proof`, if any, is left out of
/// the signed data, as proof sets require).
pub fn create_proof(
    document: &Value,
    key: &SigningKeyPair,
    options: &ProofOptions,
) -> Result<Value, ProofError> {
    if !document.is_object() {
        return Err(ProofError::Unsignable("only a JSON object can be signed".into()));
    }
    if let Some(pointer) = crate::depth::too_deep(document, crate::depth::MAX_DEPTH) {
        return Err(ProofError::Unsignable(format!(
            "the document is nested deeper than {} levels (at {pointer})",
            crate::depth::MAX_DEPTH
        )));
    }
    if options.cryptosuite == Cryptosuite::Ed25519Signature2020 {
        return Err(ProofError::Unsignable(
            "Ed25519Signature2020 is accepted for verification only; sign with eddsa-rdfc-2022".into(),
        ));
    }
    let unsecured = UnsecuredDocument::from_secured(document);
    let mut proof = options.to_proof_object();
    if options.cryptosuite == Cryptosuite::EddsaJcs2022 {
        if let Some(context) = document.get("@context") {
            proof.insert("@context".into(), context.clone());
        }
    }
    let data = hash_data(options.cryptosuite, &unsecured, &proof)?;
    let signature = key.sign(&data.combined());
    proof.insert("proofValue".into(), encode_base58btc(&signature).into());
    Ok(Value::Object(proof))
}

/// Signs `document`: adds a proof, turning an existing `proof` into a proof set.
pub fn sign(document: &Value, key: &SigningKeyPair, options: &ProofOptions) -> Result<Value, ProofError> {
    let proof = create_proof(document, key, options)?;
    let mut signed = document.clone();
    let map = signed.as_object_mut().expect("checked in create_proof");
    match map.remove("proof") {
        None => {
            map.insert("proof".into(), proof);
        }
        Some(Value::Array(mut proofs)) => {
            proofs.push(proof);
            map.insert("proof".into(), Value::Array(proofs));
        }
        Some(existing) => {
            map.insert("proof".into(), Value::Array(vec![existing, proof]));
        }
    }
    Ok(signed)
}

/// Decodes `proofValue` into the 64 signature bytes.
pub fn decode_proof_value(proof: &Map<String, Value>) -> Result<[u8; 64], ProofError> {
    let text = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .ok_or(ProofError::Malformed {
            field: "proofValue",
            reason: "missing or not a string".into(),
        })?;
    let bytes = decode_base58btc("proofValue", text).map_err(|e| ProofError::Malformed {
        field: "proofValue",
        reason: e.to_string(),
    })?;
    bytes.try_into().map_err(|b: Vec<u8>| ProofError::Malformed {
        field: "proofValue",
        reason: format!("an Ed25519 signature has 64 bytes, this one has {}", b.len()),
    })
}

/// Checks the signature of one proof over `unsecured` with `key`. Proof purpose, dates, and whether
/// `key` belongs to the verification method are the caller's checks.
pub fn verify_proof_signature(
    unsecured: &UnsecuredDocument,
    proof: &Map<String, Value>,
    key: &PublicKey,
) -> Result<(), ProofError> {
    let suite = Cryptosuite::of_proof_map(proof)?;
    let signature = decode_proof_value(proof)?;
    if suite == Cryptosuite::EddsaJcs2022 {
        check_jcs_context(unsecured.get("@context"), proof)?;
    }
    let data = hash_data(suite, unsecured, proof)?;
    if key.verify(&data.combined(), &signature) {
        Ok(())
    } else {
        Err(ProofError::BadSignature)
    }
}

/// eddsa-jcs-2022: the document's `@context` must start with the proof's.
fn check_jcs_context(document_context: Option<&Value>, proof: &Map<String, Value>) -> Result<(), ProofError> {
    let Some(proof_context) = proof.get("@context") else {
        return Ok(());
    };
    let as_list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let doc_context = document_context.map(as_list).unwrap_or_default();
    let proof_context = as_list(proof_context);
    if doc_context.len() < proof_context.len() || doc_context[..proof_context.len()] != proof_context[..] {
        return Err(ProofError::Malformed {
            field: "@context",
            reason: "the proof's @context is not the start of the document's @context".into(),
        });
    }
    Ok(())
}

/// The proofs of a document: `proof` as one object or a proof set (array).
pub fn proofs_of(document: &Value) -> Vec<&Value> {
    match document.get("proof") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => vec![],
    }
}
