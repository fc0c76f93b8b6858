//! Third-party credentials (Digital Credentials Consortium test fixtures) and the reference copies
//! of the contexts.

mod common;

use common::{read_json, shared_dir};
use microcred_jsonld::{canonicalize, contexts};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every signed credential canonicalizes, both without its proof(s) and as each proof's
/// configuration (the two inputs of a Data Integrity / Ed25519Signature2020 verification).
#[test]
fn dcc_credentials_canonicalize() {
    let Some(shared) = shared_dir() else { return };
    let mut files = Vec::new();
    json_files(&shared.join("fixtures/dcc/verifiableCredentials"), &mut files);
    files.sort();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        if text.trim().is_empty() {
            eprintln!("skipping empty fixture {}", file.display());
            continue;
        }
        let document: Value = serde_json::from_str(&text).unwrap();
        let mut unsigned = document.as_object().unwrap().clone();
        let proofs = match unsigned.remove("proof") {
            Some(Value::Array(items)) => items,
            Some(p) => vec![p],
            None => Vec::new(),
        };
        let unsigned = Value::Object(unsigned);
        let canonical = canonicalize(&unsigned).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(canonical.ends_with(" .\n"), "{}", file.display());
        for proof in proofs {
            let mut config = proof.as_object().unwrap().clone();
            config.remove("proofValue");
            config.remove("jws");
            config.insert("@context".into(), document["@context"].clone());
            canonicalize(&Value::Object(config))
                .unwrap_or_else(|e| panic!("{} (proof): {e}", file.display()));
        }
        // The whole signed credential too (its proof is a named graph).
        canonicalize(&document).unwrap_or_else(|e| panic!("{} (signed): {e}", file.display()));
        checked += 1;
    }
    assert!(checked > 50, "only {checked} fixtures found");
}

/// The status list credentials (signed, so canonicalized by verifiers) and the legacy DID document
/// canonicalize. The "oidf" DID document uses terms its contexts do not define (`Profile`, `name`):
/// safe mode must refuse it, naming the first one.
#[test]
fn dcc_status_lists_and_dids() {
    let Some(shared) = shared_dir() else { return };
    let lists = shared.join("fixtures/dcc/statusLists/didkey-ed25519Signature2020");
    let mut count = 0;
    for entry in std::fs::read_dir(&lists).unwrap().flatten() {
        let document = read_json(&entry.path());
        canonicalize(&document).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        count += 1;
    }
    assert!(count >= 5);
    canonicalize(&read_json(&shared.join("fixtures/dcc/dids/legacy/did.json"))).unwrap();
    let err = canonicalize(&read_json(&shared.join("fixtures/dcc/dids/oidf/did.json"))).unwrap_err();
    assert!(
        matches!(&err, microcred_jsonld::JsonLdError::InvalidType { value, .. } if value == "Profile"),
        "{err}"
    );
    assert_eq!(err.pointer(), Some("/type"));
}

/// Each built-in context whose URL has a reference copy in shared/contexts is JSON-equal to it.
#[test]
fn builtin_contexts_equal_reference_copies() {
    let Some(shared) = shared_dir() else { return };
    let copies = [
        ("https://www.w3.org/ns/credentials/v2", "credentials-v2.jsonld"),
        (
            "https://www.w3.org/ns/credentials/examples/v2",
            "credentials-examples-v2.jsonld",
        ),
        (
            "https://w3id.org/security/data-integrity/v2",
            "w3id-data-integrity-v2.jsonld",
        ),
        ("https://w3id.org/security/multikey/v1", "w3id-multikey-v1.jsonld"),
        ("https://www.w3.org/ns/did/v1", "w3c-did-v1.jsonld"),
        (
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
            "ob-v3p0-context-3.0.1.json",
        ),
        (
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
            "ob-v3p0-context-3.0.2.json",
        ),
        (
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "ob-v3p0-context-3.0.3.json",
        ),
    ];
    for (url, file) in copies {
        let reference = read_json(&shared.join("contexts").join(file));
        assert_eq!(
            contexts::get(url),
            Some(&reference),
            "{url} differs from shared/contexts/{file}"
        );
    }
}
