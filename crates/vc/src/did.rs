//! DIDs: did:key (derived and resolved offline) and did:web (documents generated here; resolving one
//! needs the network or a document the user gives, see [`crate::verify::Resolver`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use serde_json::{json, Value};

use crate::keys::{public_multikey_json, PublicKey};

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DidError {
    #[error("'{0}' is not a did:key with an Ed25519 key (did:key:z6Mk...)")]
    BadDidKey(String),
    #[error("'{0}' is not a did:web identifier (did:web:example.org or did:web:example.org:path)")]
    BadDidWeb(String),
    #[error("the DID document of '{did}' has no verification method '{id}'")]
    MethodNotFound { did: String, id: String },
    #[error("verification method '{id}' is not listed under '{purpose}' in its DID document, so it may not make such proofs")]
    NotAuthorized { id: String, purpose: String },
    #[error("verification method '{id}' has no Ed25519 key this verifier reads (Multikey, Ed25519VerificationKey2020/2018, OKP JWK)")]
    UnsupportedKey { id: String },
}

/// The DID of a DID URL: everything before `#` or `?`.
pub fn did_of(did_url: &str) -> &str {
    did_url.split(['#', '?']).next().unwrap_or(did_url)
}

/// Resolves a `did:key` DID or DID URL to its key, offline. Decoded keys are remembered per thread
/// (decompressing an Ed25519 point costs about as much as hashing a credential).
pub fn resolve_did_key(did_url: &str) -> Result<PublicKey, DidError> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CACHE: RefCell<HashMap<String, PublicKey>> = RefCell::new(HashMap::new());
    }
    const CACHE_LIMIT: usize = 1024;
    if let Some(key) = CACHE.with(|c| c.borrow().get(did_url).cloned()) {
        return Ok(key);
    }
    let key = decode_did_key(did_url)?;
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(did_url.to_string(), key.clone());
    });
    Ok(key)
}

fn decode_did_key(did_url: &str) -> Result<PublicKey, DidError> {
    let did = did_of(did_url);
    let multibase = did
        .strip_prefix("did:key:")
        .ok_or_else(|| DidError::BadDidKey(did.into()))?;
    let key = PublicKey::from_multibase(multibase).map_err(|_| DidError::BadDidKey(did.into()))?;
    // A fragment, when given, must name the same key.
    if let Some((_, fragment)) = did_url.split_once('#') {
        if fragment != multibase {
            return Err(DidError::BadDidKey(did_url.into()));
        }
    }
    Ok(key)
}

/// The DID document of a did:key (the form did:key resolvers return).
pub fn did_key_document(key: &PublicKey) -> Value {
    let did = key.did_key();
    let vm = key.did_key_verification_method();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [public_multikey_json(key, &vm, &did)],
        "authentication": [vm],
        "assertionMethod": [vm],
        "capabilityDelegation": [vm],
        "capabilityInvocation": [vm],
    })
}

/// `did:web:` + domain, with a port's colon percent-encoded as the method requires.
pub fn did_web_for_domain(domain: &str) -> Result<String, DidError> {
    let domain = domain.trim().trim_end_matches('/');
    let domain = domain.strip_prefix("https://").unwrap_or(domain);
    if domain.is_empty() || domain.contains(['/', ' ', '#', '?']) {
        return Err(DidError::BadDidWeb(domain.into()));
    }
    Ok(format!("did:web:{}", domain.replace(':', "%3A")))
}

/// The HTTPS address a did:web document is published at.
pub fn did_web_url(did: &str) -> Result<String, DidError> {
    let rest = did_of(did)
        .strip_prefix("did:web:")
        .ok_or_else(|| DidError::BadDidWeb(did.into()))?;
    let mut parts = rest.split(':');
    let host = parts
        .next()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| DidError::BadDidWeb(did.into()))?;
    let host = host.replace("%3A", ":").replace("%3a", ":");
    let path: Vec<&str> = parts.collect();
    if path.iter().any(|p| p.is_empty() || *p == ".." || p.contains('/')) {
        return Err(DidError::BadDidWeb(did.into()));
    }
    Ok(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

/// A did:web DID document for an issuer domain with one Ed25519 key (fragment = the key's multibase),
/// ready to publish at [`did_web_url`].
pub fn did_web_document(domain: &str, key: &PublicKey) -> Result<Value, DidError> {
    let did = did_web_for_domain(domain)?;
    let vm = format!("{did}#{}", key.to_multibase());
    Ok(json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [public_multikey_json(key, &vm, &did)],
        "authentication": [vm],
        "assertionMethod": [vm],
    }))
}

fn key_of_method(method: &Value, id: &str) -> Result<PublicKey, DidError> {
    let unsupported = || DidError::UnsupportedKey { id: id.into() };
    if let Some(mb) = method.get("publicKeyMultibase").and_then(Value::as_str) {
        return PublicKey::from_multibase(mb).map_err(|_| unsupported());
    }
    if let Some(b58) = method.get("publicKeyBase58").and_then(Value::as_str) {
        let bytes = bs58::decode(b58).into_vec().map_err(|_| unsupported())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| unsupported())?;
        return PublicKey::from_bytes(&bytes).map_err(|_| unsupported());
    }
    if let Some(jwk) = method.get("publicKeyJwk") {
        if jwk.get("kty").and_then(Value::as_str) == Some("OKP")
            && jwk.get("crv").and_then(Value::as_str) == Some("Ed25519")
        {
            let x = jwk.get("x").and_then(Value::as_str).ok_or_else(unsupported)?;
            let bytes: [u8; 32] = B64
                .decode(x)
                .map_err(|_| unsupported())?
                .try_into()
                .map_err(|_| unsupported())?;
            return PublicKey::from_bytes(&bytes).map_err(|_| unsupported());
        }
    }
    Err(unsupported())
}

fn absolute_id(document_id: &str, id: &str) -> String {
    if id.starts_with('#') {
        format!("{document_id}{id}")
    } else {
        id.to_string()
    }
}

/// Finds the key of verification method `vm_id` in a DID document and checks that the document lists it
/// under `purpose` (`assertionMethod`, `authentication`, ...) when the document has that relationship.
pub fn key_from_did_document(document: &Value, vm_id: &str, purpose: &str) -> Result<PublicKey, DidError> {
    let doc_id = document
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_else(|| did_of(vm_id));
    let matches = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .map(|id| absolute_id(doc_id, id))
            .as_deref()
            == Some(vm_id)
    };
    let as_list = |field: &str| -> Vec<&Value> {
        match document.get(field) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => vec![other],
            None => vec![],
        }
    };
    let mut found = None;
    for field in [
        "verificationMethod",
        "assertionMethod",
        "authentication",
        "publicKey",
    ] {
        if let Some(method) = as_list(field).into_iter().find(|v| v.is_object() && matches(v)) {
            found = Some(method);
            break;
        }
    }
    let method = found.ok_or_else(|| DidError::MethodNotFound {
        did: doc_id.into(),
        id: vm_id.into(),
    })?;
    let relationship = as_list(purpose);
    if document.get(purpose).is_some() {
        let listed = relationship.iter().any(|v| match v {
            Value::String(s) => absolute_id(doc_id, s) == vm_id,
            other => matches(other),
        });
        if !listed {
            return Err(DidError::NotAuthorized {
                id: vm_id.into(),
                purpose: purpose.into(),
            });
        }
    }
    key_of_method(method, vm_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::SigningKeyPair;

    #[test]
    fn did_key_resolves() {
        let vm = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        let key = resolve_did_key(vm).unwrap();
        assert_eq!(key.did_key_verification_method(), vm);
        assert!(resolve_did_key("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#other").is_err());
        assert!(resolve_did_key("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme").is_err());
    }

    #[test]
    fn did_web_document_round_trips() {
        let pair = SigningKeyPair::generate().unwrap();
        let doc = did_web_document("issuer.example.org", pair.public()).unwrap();
        let vm = format!("did:web:issuer.example.org#{}", pair.public().to_multibase());
        assert_eq!(
            key_from_did_document(&doc, &vm, "assertionMethod").unwrap(),
            *pair.public()
        );
        // Not listed at all: there is no relationship to check.
        assert!(key_from_did_document(&doc, &vm, "capabilityInvocation").is_ok());
        assert_eq!(
            did_web_url("did:web:issuer.example.org").unwrap(),
            "https://issuer.example.org/.well-known/did.json"
        );
        assert_eq!(
            did_web_url("did:web:example.com%3A8443:u:alice").unwrap(),
            "https://example.com:8443/u/alice/did.json"
        );
        assert_eq!(
            did_web_for_domain("localhost:8443").unwrap(),
            "did:web:localhost%3A8443"
        );
    }

    #[test]
    fn relationship_is_enforced() {
        let pair = SigningKeyPair::generate().unwrap();
        let mut doc = did_web_document("a.example", pair.public()).unwrap();
        doc["assertionMethod"] = json!([]);
        let vm = format!("did:web:a.example#{}", pair.public().to_multibase());
        assert!(matches!(
            key_from_did_document(&doc, &vm, "assertionMethod"),
            Err(DidError::NotAuthorized { .. })
        ));
    }
}
