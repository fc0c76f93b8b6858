//! Hostile and broken input: every case ends in a failed check or a clear error, never a panic, and in
//! bounded time.

use std::time::{Duration, Instant};

use microcred_vc::proof::{ProofOptions, UnsecuredDocument};
use microcred_vc::sample::ob3_sample_for;
use microcred_vc::{
    sign, verify, CheckStatus, Cryptosuite, SigningKeyPair, VerificationReport, VerifyContext,
};
use serde_json::{json, Value};

fn issuer() -> SigningKeyPair {
    SigningKeyPair::from_seed(&[7; 32])
}

fn signed(suite: Cryptosuite) -> Value {
    let pair = issuer();
    let mut options = ProofOptions::new(pair.public());
    options.cryptosuite = suite;
    sign(&ob3_sample_for(&pair.public().did_key()), &pair, &options).unwrap()
}

fn check(document: &Value) -> VerificationReport {
    let start = Instant::now();
    let report = verify(document, &VerifyContext::default());
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "verification took {:?}",
        start.elapsed()
    );
    report
}

fn both_suites() -> [Cryptosuite; 2] {
    [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022]
}

#[test]
fn genuine_credentials_verify() {
    for suite in both_suites() {
        let report = check(&signed(suite));
        assert!(report.verified, "{report:#?}");
    }
}

#[test]
fn tampered_fields_fail_the_proof() {
    for suite in both_suites() {
        for (pointer, value) in [
            ("/credentialSubject/achievement/name", json!("Brain Surgery")),
            ("/validFrom", json!("2020-01-15T09:00:00Z")),
            ("/issuer/name", json!("Other University")),
        ] {
            let mut doc = signed(suite);
            *doc.pointer_mut(pointer).unwrap() = value;
            let report = check(&doc);
            assert_eq!(
                report.status_of("proof"),
                Some(CheckStatus::Failed),
                "{suite:?} {pointer}: {report:#?}"
            );
            assert!(!report.verified);
        }
        let mut doc = signed(suite);
        doc["credentialSubject"]["extra"] = json!("added");
        assert!(!check(&doc).verified, "{suite:?}: an added field verified");
    }
}

#[test]
fn wrong_key_fails() {
    let other = SigningKeyPair::from_seed(&[8; 32]);
    for suite in both_suites() {
        let mut doc = signed(suite);
        // Claim the other key signed it: the signature no longer matches.
        doc["proof"]["verificationMethod"] = other.public().did_key_verification_method().into();
        let report = check(&doc);
        assert_eq!(
            report.status_of("proof"),
            Some(CheckStatus::Failed),
            "{report:#?}"
        );
        // Signed by another key for this issuer: valid signature, but not the issuer's.
        let mut options = ProofOptions::new(other.public());
        options.cryptosuite = suite;
        let forged = sign(&ob3_sample_for(&issuer().public().did_key()), &other, &options).unwrap();
        let report = check(&forged);
        assert_eq!(
            report.status_of("proof"),
            Some(CheckStatus::Failed),
            "{report:#?}"
        );
        assert!(report.checks[1].message.contains("not the issuer"));
    }
}

#[test]
fn unknown_context_and_undefined_term_are_format_errors_with_pointer() {
    let mut doc = signed(Cryptosuite::EddsaRdfc2022);
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://evil.example/context.jsonld"));
    let report = check(&doc);
    let format = report.named("format").next().unwrap();
    assert_eq!(format.status, CheckStatus::Failed);
    assert!(format.message.contains("/@context/2"), "{format:?}");

    let mut doc = signed(Cryptosuite::EddsaRdfc2022);
    doc["credentialSubject"]["achievement"]["undefinedTermXyz"] = json!("dropped?");
    let report = check(&doc);
    let format = report.named("format").next().unwrap();
    assert_eq!(format.status, CheckStatus::Failed, "{report:#?}");
    assert!(
        format
            .message
            .contains("/credentialSubject/achievement/undefinedTermXyz"),
        "{format:?}"
    );
    assert!(!report.verified);
}

#[test]
fn broken_proof_values_fail() {
    for suite in both_suites() {
        for bad in [
            json!("z3"),
            json!("not-multibase"),
            json!("z0OIl0OIl"),
            json!(42),
            json!(""),
        ] {
            let mut doc = signed(suite);
            doc["proof"]["proofValue"] = bad.clone();
            let report = check(&doc);
            assert_eq!(
                report.status_of("proof"),
                Some(CheckStatus::Failed),
                "{bad}: {report:#?}"
            );
        }
        let mut doc = signed(suite);
        let value = doc["proof"]["proofValue"].as_str().unwrap().to_string();
        doc["proof"]["proofValue"] = value[..value.len() - 5].into();
        assert_eq!(check(&doc).status_of("proof"), Some(CheckStatus::Failed));
        let mut doc = signed(suite);
        doc.as_object_mut().unwrap().remove("proof");
        assert_eq!(check(&doc).status_of("proof"), Some(CheckStatus::Failed));
    }
}

#[test]
fn structural_garbage_is_reported() {
    for doc in [
        json!(null),
        json!([1, 2]),
        json!("text"),
        json!({}),
        json!({"proof": "x"}),
        json!({"@context": 5, "proof": []}),
    ] {
        let report = check(&doc);
        assert!(!report.verified);
        assert_eq!(
            report.status_of("format"),
            Some(CheckStatus::Failed),
            "{doc}: {report:#?}"
        );
    }
}

#[test]
fn ten_megabyte_document() {
    let mut doc = signed(Cryptosuite::EddsaRdfc2022);
    doc["credentialSubject"]["achievement"]["description"] = "x".repeat(10 * 1024 * 1024).into();
    let report = check(&doc);
    assert_eq!(
        report.status_of("proof"),
        Some(CheckStatus::Failed),
        "{:?}",
        report.named("proof").next()
    );
    let mut doc = signed(Cryptosuite::EddsaJcs2022);
    let many: Vec<Value> = (0..200_000)
        .map(|i| json!({"type": ["Result"], "value": format!("{i}")}))
        .collect();
    doc["credentialSubject"]["result"] = Value::Array(many);
    assert!(!check(&doc).verified);
}

#[test]
fn ten_thousand_deep_nesting() {
    // Built by moving values (json! would serialize, i.e. recurse into, `inner`).
    let mut inner = json!({"name": "bottom"});
    for _ in 0..10_000 {
        let mut map = serde_json::Map::new();
        map.insert("achievement".into(), inner);
        inner = Value::Object(map);
    }
    let mut doc = signed(Cryptosuite::EddsaRdfc2022);
    doc["credentialSubject"]["achievement"] = inner;
    let report = check(&doc);
    assert!(!report.verified);
    assert!(
        report.checks[0].message.contains("nested deeper"),
        "{:?}",
        report.checks[0]
    );
    let pair = issuer();
    assert!(sign(&doc, &pair, &ProofOptions::new(pair.public())).is_err());
    // Dropping a 10,000-deep serde_json::Value recurses too (the test's own problem, not the verifier's).
    std::mem::forget(doc);
}

#[test]
fn blank_node_heavy_document() {
    let mut doc = signed(Cryptosuite::EddsaRdfc2022);
    // Many indistinguishable blank nodes: the classic RDFC poisoning shape.
    let nodes: Vec<Value> = (0..3000)
        .map(|_| json!({"type": ["Achievement"], "name": "same"}))
        .collect();
    doc["credentialSubject"]["achievement"]["related"] = Value::Array(nodes);
    let report = check(&doc);
    assert!(!report.verified);
    let _ = UnsecuredDocument::from_secured(&doc);
}

#[test]
fn wrong_proof_purpose_and_future_creation_fail() {
    let mut doc = signed(Cryptosuite::EddsaJcs2022);
    doc["proof"]["proofPurpose"] = "authentication".into();
    assert_eq!(check(&doc).status_of("proof"), Some(CheckStatus::Failed));
    let pair = issuer();
    let mut options = ProofOptions::new(pair.public());
    options.created = Some("2999-01-01T00:00:00Z".into());
    let doc = sign(&ob3_sample_for(&pair.public().did_key()), &pair, &options).unwrap();
    assert_eq!(check(&doc).status_of("proof"), Some(CheckStatus::Failed));
}
