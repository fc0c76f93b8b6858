//! Byte-exact agreement with the W3C vc-di-eddsa and 1EdTech OB 3.0 test vectors.

mod common;

use common::{hex, read_json, read_text, shared};
use microcred_vc::proof::{create_proof, hash_data, Cryptosuite, ProofOptions, UnsecuredDocument};
use microcred_vc::{verify, CheckStatus, PublicKey, SigningKeyPair, VerifyContext};
use serde_json::Value;

fn options_from(config: &Value) -> ProofOptions {
    let s = |k: &str| config.get(k).and_then(Value::as_str).map(str::to_string);
    ProofOptions {
        cryptosuite: s("cryptosuite").unwrap().parse().unwrap(),
        verification_method: s("verificationMethod").unwrap(),
        proof_purpose: s("proofPurpose").unwrap(),
        created: s("created"),
        challenge: s("challenge"),
        domain: s("domain"),
    }
}

fn at_vector_time() -> VerifyContext<'static> {
    VerifyContext {
        now: "2024-06-01T00:00:00Z".parse().unwrap(),
        ..VerifyContext::default()
    }
}

/// Signs unsigned.json with the vector key and options; every intermediate value must match.
fn check_suite(dir: &str, suffix: &str, unsigned: &str, config: &str) {
    let Some(shared) = shared() else { return };
    let base = shared.join("vectors/vc-di-eddsa");
    let suite_dir = base.join(dir);
    let pair = SigningKeyPair::from_multikey_json(&read_json(&base.join("keyPair.json"))).unwrap();
    let unsigned = read_json(&base.join(unsigned));
    let options = options_from(&read_json(&suite_dir.join(config)));
    let file = |name: &str| read_text(&suite_dir.join(format!("{name}{suffix}.txt")));

    let proof = create_proof(&unsigned, &pair, &options).unwrap();
    let document = UnsecuredDocument::from_secured(&unsigned);
    let data = hash_data(options.cryptosuite, &document, proof.as_object().unwrap()).unwrap();
    assert_eq!(data.canonical_document, file("canonDoc"), "canonical document");
    assert_eq!(
        data.canonical_proof_config,
        file("proofCanon"),
        "canonical proof configuration"
    );
    assert_eq!(hex(&data.document_hash), file("docHash").trim());
    assert_eq!(hex(&data.proof_hash), file("proofHash").trim());
    assert_eq!(hex(&data.combined()), file("combinedHash").trim());
    assert_eq!(proof["proofValue"], file("sigBTC58").trim());
}

#[test]
fn eddsa_rdfc_2022_vector_byte_exact() {
    check_suite(
        "eddsa-rdfc-2022",
        "DataInt",
        "unsigned.json",
        "proofConfigDataInt.json",
    );
}

#[test]
fn eddsa_rdfc_2022_employment_vector_byte_exact() {
    check_suite(
        "eddsa-rdfc-2022/employ",
        "DataInt",
        "employmentAuth.json",
        "proofConfigDataInt.json",
    );
}

/// The employment vector names a P-256 did:key as issuer but is signed by the Ed25519 vector key: the
/// signature is good, yet the proof does not show that the issuer made the credential.
#[test]
fn employment_vector_signer_is_not_its_issuer() {
    let Some(shared) = shared() else { return };
    let signed = read_json(&shared.join("vectors/vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json"));
    let report = verify(&signed, &at_vector_time());
    assert!(!report.verified);
    assert_eq!(report.status_of("format"), Some(CheckStatus::Ok), "{report:#?}");
    let proof = report.named("proof").next().unwrap();
    assert_eq!(proof.status, CheckStatus::Failed);
    assert!(proof.message.contains("is valid, but the signer"), "{proof:?}");
}

#[test]
fn eddsa_jcs_2022_vector_byte_exact() {
    check_suite("eddsa-jcs-2022", "JCS", "unsigned.json", "proofConfigJCS.json");
}

#[test]
fn signed_vectors_verify() {
    let Some(shared) = shared() else { return };
    let base = shared.join("vectors/vc-di-eddsa");
    for file in [
        "eddsa-rdfc-2022/signedDataInt.json",
        "eddsa-jcs-2022/signedJCS.json",
        "proof-set-chain/signedProofSet1.json",
        "proof-set-chain/signedProofSet2.json",
        "proof-set-chain/signedProofChain1.json",
        "proof-set-chain/signedProofChain2.json",
    ] {
        let report = verify(&read_json(&base.join(file)), &at_vector_time());
        let proofs: Vec<_> = report.named("proof").collect();
        assert!(!proofs.is_empty(), "{file}");
        assert!(
            proofs.iter().all(|c| c.status == CheckStatus::Ok),
            "{file}: {report:#?}"
        );
        assert_eq!(
            report.status_of("format"),
            Some(CheckStatus::Ok),
            "{file}: {report:#?}"
        );
        assert!(report.verified, "{file}: {report:#?}");
    }
}

#[test]
fn ed25519_signature_2020_vector_verifies() {
    let Some(shared) = shared() else { return };
    let signed = read_json(&shared.join("vectors/vc-di-eddsa/Ed25519Signature2020/signedEdSig.json"));
    let report = verify(&signed, &at_vector_time());
    assert_eq!(report.status_of("proof"), Some(CheckStatus::Ok), "{report:#?}");
}

#[test]
fn ob3_vector_verifies_with_given_key() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("vectors/ob3");
    let signed = read_json(&dir.join("signed.json"));
    let expected = read_json(&dir.join("expected.json"));
    let vm = signed["proof"]["verificationMethod"]
        .as_str()
        .unwrap()
        .to_string();

    // Offline and without the key: honest "could not check", not "forged".
    let report = verify(&signed, &at_vector_time());
    assert_eq!(
        report.status_of("proof"),
        Some(CheckStatus::CouldNotCheck),
        "{report:#?}"
    );
    assert!(!report.verified);

    let mut ctx = at_vector_time();
    let key = PublicKey::from_multibase(expected["publicKeyMultibase"].as_str().unwrap()).unwrap();
    ctx.keys.insert(vm, key);
    let report = verify(&signed, &ctx);
    assert!(report.verified, "{report:#?}");

    let unsecured = UnsecuredDocument::from_secured(&signed);
    let data = hash_data(
        Cryptosuite::EddsaRdfc2022,
        &unsecured,
        signed["proof"].as_object().unwrap(),
    )
    .unwrap();
    assert_eq!(
        data.canonical_document,
        read_text(&dir.join("document-canon.txt"))
    );
    assert_eq!(
        data.canonical_proof_config,
        read_text(&dir.join("proof-canon.txt"))
    );
    assert_eq!(hex(&data.document_hash), expected["documentHashHex"]);
    assert_eq!(hex(&data.proof_hash), expected["proofHashHex"]);
}

/// Flipping any character of the signed content (outside the proof value) must break the proof.
#[test]
fn flipping_signed_bytes_fails_the_proof() {
    let Some(shared) = shared() else { return };
    let base = shared.join("vectors/vc-di-eddsa");
    for file in [
        "eddsa-rdfc-2022/signedDataInt.json",
        "eddsa-jcs-2022/signedJCS.json",
    ] {
        let signed = read_json(&base.join(file));
        let mut strings = Vec::new();
        collect_string_pointers(&signed, String::new(), &mut strings);
        for pointer in strings.iter().filter(|p| !p.ends_with("/proofValue")) {
            let mut tampered = signed.clone();
            let target = tampered.pointer_mut(pointer).unwrap();
            let text = target.as_str().unwrap().to_string();
            let flipped = flip_last_char(&text);
            *target = Value::String(flipped);
            let report = verify(&tampered, &at_vector_time());
            assert!(!report.verified, "{file}: changing {pointer} still verified");
        }
        // And the signature itself.
        let mut tampered = signed.clone();
        let value = tampered["proof"]["proofValue"].as_str().unwrap().to_string();
        tampered["proof"]["proofValue"] = flip_last_char(&value).into();
        assert!(
            !verify(&tampered, &at_vector_time()).verified,
            "{file}: altered proofValue verified"
        );
    }
}

fn flip_last_char(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let last = chars.last_mut().expect("non-empty");
    *last = if *last == 'a' { 'b' } else { 'a' };
    chars.into_iter().collect()
}

fn collect_string_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(at),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_string_pointers(v, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_string_pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}
