//! Byte-exact checks against the W3C vc-di-eddsa and 1EdTech Open Badges 3.0 test vectors.

mod common;

use common::{read_json, read_text, shared_dir};
use microcred_jsonld::canonicalize;
use serde_json::Value;

/// The proof configuration as eddsa-rdfc-2022 canonicalizes it: the proof without `proofValue`,
/// with the document's `@context`.
fn proof_config(proof: &Value, document: &Value) -> Value {
    let mut config = proof.as_object().unwrap().clone();
    config.remove("proofValue");
    config.insert("@context".into(), document["@context"].clone());
    Value::Object(config)
}

fn without_proof(document: &Value) -> Value {
    let mut d = document.as_object().unwrap().clone();
    d.remove("proof");
    Value::Object(d)
}

#[test]
fn eddsa_rdfc_2022_document_and_proof_config() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("vectors/vc-di-eddsa");
    let unsigned = read_json(&dir.join("unsigned.json"));
    assert_eq!(
        canonicalize(&unsigned).unwrap(),
        read_text(&dir.join("eddsa-rdfc-2022/canonDocDataInt.txt"))
    );
    let config = read_json(&dir.join("eddsa-rdfc-2022/proofConfigDataInt.json"));
    assert_eq!(
        canonicalize(&proof_config(&config, &unsigned)).unwrap(),
        read_text(&dir.join("eddsa-rdfc-2022/proofCanonDataInt.txt"))
    );
    // The signed credential gives the same two inputs back.
    let signed = read_json(&dir.join("eddsa-rdfc-2022/signedDataInt.json"));
    assert_eq!(
        canonicalize(&without_proof(&signed)).unwrap(),
        read_text(&dir.join("eddsa-rdfc-2022/canonDocDataInt.txt"))
    );
    assert_eq!(
        canonicalize(&proof_config(&signed["proof"], &signed)).unwrap(),
        read_text(&dir.join("eddsa-rdfc-2022/proofCanonDataInt.txt"))
    );
}

#[test]
fn eddsa_rdfc_2022_employment_credential() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("vectors/vc-di-eddsa");
    let document = read_json(&dir.join("employmentAuth.json"));
    let employ = dir.join("eddsa-rdfc-2022/employ");
    assert_eq!(
        canonicalize(&document).unwrap(),
        read_text(&employ.join("canonDocDataInt.txt"))
    );
    let config = read_json(&employ.join("proofConfigDataInt.json"));
    assert_eq!(
        canonicalize(&proof_config(&config, &document)).unwrap(),
        read_text(&employ.join("proofCanonDataInt.txt"))
    );
    let signed = read_json(&employ.join("signedDataInt.json"));
    assert_eq!(
        canonicalize(&without_proof(&signed)).unwrap(),
        read_text(&employ.join("canonDocDataInt.txt"))
    );
}

#[test]
fn open_badges_3_vector() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("vectors/ob3");
    let signed = read_json(&dir.join("signed.json"));
    assert_eq!(
        canonicalize(&without_proof(&signed)).unwrap(),
        read_text(&dir.join("document-canon.txt"))
    );
    assert_eq!(
        canonicalize(&proof_config(&signed["proof"], &signed)).unwrap(),
        read_text(&dir.join("proof-canon.txt"))
    );
}

#[test]
fn ed25519_signature_2020_vector() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("vectors/vc-di-eddsa");
    let sig = dir.join("Ed25519Signature2020");
    let signed = read_json(&sig.join("signedEdSig.json"));
    assert_eq!(
        canonicalize(&without_proof(&signed)).unwrap(),
        read_text(&sig.join("canonDocEdSig.txt"))
    );
    let config = read_json(&sig.join("proofConfigEdSig.json"));
    assert_eq!(
        canonicalize(&config).unwrap(),
        read_text(&sig.join("proofCanonEdSig.txt"))
    );
}
