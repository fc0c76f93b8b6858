//! Canonicalization cost of an Open Badges 3.0 credential (the 1EdTech vector when `../shared` is
//! present, otherwise an equivalent built-in credential): the document without its proof, and the
//! eddsa-rdfc-2022 proof configuration. Contexts are cached after the first call, as in a
//! long-running verifier.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

fn ob3_credential() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors/ob3/signed.json"
    );
    if let Ok(text) = std::fs::read_to_string(path) {
        return serde_json::from_str(&text).expect("valid vector");
    }
    eprintln!("{path} not found: benchmarking a built-in OB 3.0 credential instead");
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:2f1b7c9e-5d43-4a8e-9b0c-1d2e3f4a5b6c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://university.example/issuers/1", "type": ["Profile"], "name": "Example University"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Data Analysis Micro-credential",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://university.example/achievements/data-analysis",
                "type": ["Achievement"],
                "criteria": {"narrative": "Passed the final assessment."},
                "description": "Statistics and data analysis with Python.",
                "name": "Data Analysis"
            }
        },
        "proof": {
            "type": "DataIntegrityProof",
            "created": "2025-01-01T00:00:00Z",
            "verificationMethod": "https://university.example/issuers/1#key-1",
            "cryptosuite": "eddsa-rdfc-2022",
            "proofPurpose": "assertionMethod",
            "proofValue": "z1111"
        }
    })
}

fn inputs() -> (Value, Value) {
    let signed = ob3_credential();
    let mut document = signed.as_object().unwrap().clone();
    let proof = document.remove("proof").unwrap();
    let mut config = proof.as_object().unwrap().clone();
    config.remove("proofValue");
    config.insert("@context".into(), signed["@context"].clone());
    (Value::Object(document), Value::Object(config))
}

fn bench(c: &mut Criterion) {
    let (document, config) = inputs();
    c.bench_function("ob3 document", |b| {
        b.iter(|| microcred_jsonld::canonicalize(black_box(&document)).unwrap())
    });
    c.bench_function("ob3 proof config", |b| {
        b.iter(|| microcred_jsonld::canonicalize(black_box(&config)).unwrap())
    });
    c.bench_function("ob3 document + proof config", |b| {
        b.iter(|| {
            let d = microcred_jsonld::canonicalize(black_box(&document)).unwrap();
            let p = microcred_jsonld::canonicalize(black_box(&config)).unwrap();
            (d, p)
        })
    });
    // A thread's first call processes the pinned contexts (credentials v2, OB 3.0.3 and the
    // scoped contexts it meets) into its cache; each iteration runs on a fresh thread.
    c.bench_function("ob3 document, cold context cache (fresh thread)", |b| {
        b.iter(|| {
            let document = document.clone();
            std::thread::spawn(move || microcred_jsonld::canonicalize(&document).unwrap())
                .join()
                .unwrap()
        })
    });
    c.bench_function("fresh thread alone (baseline for the line above)", |b| {
        b.iter(|| std::thread::spawn(|| black_box(1)).join().unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
