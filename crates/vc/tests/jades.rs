//! JAdES seals: the European Commission's sealed samples verify offline, a changed byte breaks the seal,
//! and seals made here (RSA and EC P-256, with certificates made by `openssl`) verify too.

use std::path::{Path, PathBuf};
use std::process::Command;

use microcred_vc::jades::{self, SealError};
use serde_json::{json, Value};

fn shared() -> Option<PathBuf> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if path.is_dir() {
        Some(path.to_path_buf())
    } else {
        println!("skipped: {} is absent", path.display());
        None
    }
}

fn sample(name: &str) -> Option<Value> {
    let path = shared()?.join("fixtures/elm").join(name);
    Some(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
}

#[test]
fn commission_samples_are_intact_and_name_their_certificate() {
    for name in [
        "Sample-MC-Annex1-signed.jsonld",
        "Sample-CertOfPart-signed.jsonld",
    ] {
        let Some(sealed) = sample(name) else { return };
        let report = jades::verify(&sealed);
        assert!(report.intact, "{name}: {}", report.message);
        assert_eq!(report.algorithm.as_deref(), Some("RS256"));
        assert_eq!(report.subject_common_name.as_deref(), Some("TEST SEAL"));
        assert_eq!(report.subject_organization.as_deref(), Some("ORGANIZACION TEST"));
        assert_eq!(report.subject_country.as_deref(), Some("ES"));
        let subject = report.subject.as_deref().unwrap();
        assert!(
            subject.starts_with("CN=TEST SEAL, O=ORGANIZACION TEST"),
            "{subject}"
        );
        let issuer = report.issuer.as_deref().unwrap();
        assert!(
            issuer.contains("CN=ANF AC Qualified Certificates for eSeal"),
            "{issuer}"
        );
        assert_eq!(report.not_before.as_deref(), Some("2023-05-11T14:31:15Z"));
        assert_eq!(report.not_after.as_deref(), Some("2025-05-10T14:31:15Z"));
        assert_eq!(report.certificate_valid_at_signing, Some(true));
        assert_eq!(report.chain_length, 1);
        assert!(report.trust.starts_with("could not check"), "{}", report.trust);
        assert!(
            report.message.contains("adoTst) was not checked"),
            "{}",
            report.message
        );
        let credential = report.credential.expect("the payload is the credential");
        assert_eq!(credential["type"][1], "EuropeanDigitalCredential");
    }
}

#[test]
fn one_changed_payload_byte_breaks_the_commission_seal() {
    let Some(mut sealed) = sample("Sample-MC-Annex1-signed.jsonld") else {
        return;
    };
    let payload = sealed["payload"].as_str().unwrap().to_string();
    let tampered = payload.replacen("2023", "2024", 1);
    assert_ne!(payload, tampered);
    sealed["payload"] = tampered.into();
    let report = jades::verify(&sealed);
    assert!(!report.intact);
    assert!(
        report.message.contains("changed after sealing"),
        "{}",
        report.message
    );
    // The certificate is still reported, so a person sees whose seal was broken.
    assert_eq!(report.subject_common_name.as_deref(), Some("TEST SEAL"));
}

#[test]
fn malformed_seals_are_reported_not_panicked_on() {
    let cases = [
        json!("not an object"),
        json!({}),
        json!({ "payload": "{}", "signatures": "x" }),
        json!({ "payload": "{}", "signatures": [] }),
        json!({ "payload": "{}", "signatures": [{ "protected": "!!!", "signature": "" }] }),
        json!({ "payload": "{}", "protected": "eyJhbGciOiJSUzI1NiJ9", "signature": "" }),
        json!({ "payload": "{}", "signatures": [{ "protected": "eyJhbGciOiJSUzI1NiIsIng1YyI6WyJBQUFBIl19", "signature": "AA" }] }),
    ];
    for case in cases {
        let report = jades::verify(&case);
        assert!(!report.intact, "{case}");
        assert!(
            report.message.starts_with("The seal is broken or unreadable"),
            "{}",
            report.message
        );
    }
}

/// A self-signed certificate and key made by openssl in a fresh directory, or `None` (with the
/// reason printed) where openssl is not installed.
fn openssl_certificate(key_args: &[&str], tag: &str) -> Option<(String, String, PathBuf)> {
    let dir = std::env::temp_dir().join(format!("microcred-jades-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
    let mut args = vec![
        "req",
        "-x509",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/CN=Test Seal/O=Liffey TU/C=IE",
    ];
    args.extend_from_slice(key_args);
    args.extend(["-keyout", key.to_str().unwrap(), "-out", cert.to_str().unwrap()]);
    match Command::new("openssl").args(&args).output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!("openssl failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => {
            println!("skipped: openssl is not available ({e})");
            return None;
        }
    }
    Some((
        std::fs::read_to_string(&cert).unwrap(),
        std::fs::read_to_string(&key).unwrap(),
        dir,
    ))
}

fn credential() -> Value {
    json!({
        "@context": ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"],
        "id": "urn:uuid:0b7e7bd6-2d9c-4c57-9d1d-2f6a1e1d0c11",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialSubject": { "id": "urn:x:person", "type": "Person", "fullName": { "ga": "Aoife Ní Bhriain" } },
    })
}

#[test]
fn rsa_seal_made_here_verifies_and_breaks_when_changed() {
    let Some((cert, key, dir)) = openssl_certificate(&["-newkey", "rsa:2048"], "rsa") else {
        return;
    };
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
        .unwrap()
        .to_utc();
    let sealed = jades::seal_at(&credential(), &cert, &key, at).unwrap();
    let report = jades::verify(&sealed);
    assert!(report.intact, "{}", report.message);
    assert_eq!(report.algorithm.as_deref(), Some("RS256"));
    assert_eq!(report.subject.as_deref(), Some("CN=Test Seal, O=Liffey TU, C=IE"));
    assert_eq!(report.chain_intact, Some(true), "{:?}", report.chain);
    assert_eq!(report.signed_at.as_deref(), Some("2026-11-28T12:00:00Z"));
    assert_eq!(report.credential, Some(credential()));
    let text = serde_json::to_string(&sealed).unwrap();
    assert!(!text.contains("PRIVATE"), "no key material in the seal");

    // Independent check of the signing input with openssl itself.
    let signature = &sealed["signatures"][0];
    let input = format!(
        "{}.{}",
        signature["protected"].as_str().unwrap(),
        sealed["payload"].as_str().unwrap()
    );
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature["signature"].as_str().unwrap())
        .unwrap();
    std::fs::write(dir.join("input"), input).unwrap();
    std::fs::write(dir.join("sig"), raw).unwrap();
    let public = Command::new("openssl")
        .args(["x509", "-in"])
        .arg(dir.join("cert.pem"))
        .args(["-pubkey", "-noout"])
        .output()
        .unwrap();
    std::fs::write(dir.join("pub.pem"), public.stdout).unwrap();
    let check = Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(dir.join("pub.pem"))
        .arg("-signature")
        .arg(dir.join("sig"))
        .arg(dir.join("input"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "openssl rejects our seal: {}",
        String::from_utf8_lossy(&check.stdout)
    );

    let mut changed = sealed.clone();
    changed["payload"] = sealed["payload"]
        .as_str()
        .unwrap()
        .replace("Aoife", "Aoifa")
        .into();
    assert!(!jades::verify(&changed).intact);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn ec_p256_seal_made_here_verifies() {
    let args = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
    let Some((cert, key, dir)) = openssl_certificate(&args, "ec") else {
        return;
    };
    let sealed = jades::seal(&credential(), &cert, &key).unwrap();
    let report = jades::verify(&sealed);
    assert!(report.intact, "{}", report.message);
    assert_eq!(report.algorithm.as_deref(), Some("ES256"));
    assert_eq!(report.certificate_valid_at_signing, Some(true));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_key_that_is_not_the_certificates_is_refused() {
    let Some((cert, _, dir_a)) = openssl_certificate(&["-newkey", "rsa:2048"], "mismatch-a") else {
        return;
    };
    let Some((_, other_key, dir_b)) = openssl_certificate(&["-newkey", "rsa:2048"], "mismatch-b") else {
        return;
    };
    assert_eq!(
        jades::seal(&credential(), &cert, &other_key),
        Err(SealError::KeyMismatch)
    );
    let error = jades::seal(
        &credential(),
        &cert,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    )
    .unwrap_err();
    assert!(matches!(error, SealError::Key(_)), "{error}");
    assert!(jades::seal(&credential(), "not pem", &other_key).is_err());
    std::fs::remove_dir_all(dir_a).ok();
    std::fs::remove_dir_all(dir_b).ok();
}

fn pem_blocks(text: &str) -> Vec<String> {
    let end = "-----END CERTIFICATE-----";
    text.split_inclusive(end)
        .filter(|b| b.contains("BEGIN"))
        .map(|b| format!("{}\n", b.trim()))
        .collect()
}

/// openssl in `dir`: a CA, and a leaf certificate signed by it; returns (leaf + CA chain PEM, leaf key).
fn openssl_chain(dir: &Path, ca_name: &str) -> Option<(String, String)> {
    let run = |args: &[&str]| Command::new("openssl").args(args).current_dir(dir).output();
    let ca_subject = format!("/CN={ca_name}/O=Test CA/C=IE");
    let steps: [Vec<&str>; 3] = [
        vec![
            "req",
            "-x509",
            "-nodes",
            "-days",
            "30",
            "-newkey",
            "rsa:2048",
            "-subj",
            &ca_subject,
            "-keyout",
            "ca-key.pem",
            "-out",
            "ca.pem",
        ],
        vec![
            "req",
            "-new",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-subj",
            "/CN=Leaf Seal/O=Liffey TU/C=IE",
            "-keyout",
            "leaf-key.pem",
            "-out",
            "leaf.csr",
        ],
        vec![
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-days",
            "30",
            "-out",
            "leaf.pem",
        ],
    ];
    for step in steps {
        match run(&step) {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "openssl {step:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => {
                println!("skipped: openssl is not available ({e})");
                return None;
            }
        }
    }
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    Some((read("leaf.pem") + &read("ca.pem"), read("leaf-key.pem")))
}

#[test]
fn the_certificate_chain_is_checked_link_by_link() {
    let dir = std::env::temp_dir().join(format!("microcred-jades-chain-{}", std::process::id()));
    let other = dir.join("other");
    std::fs::create_dir_all(&other).unwrap();
    let Some((chain, key)) = openssl_chain(&dir, "Test Root") else {
        return;
    };
    let sealed = jades::seal(&credential(), &chain, &key).unwrap();
    let report = jades::verify(&sealed);
    assert!(report.intact, "{}", report.message);
    assert_eq!(report.chain_length, 2);
    assert_eq!(report.chain_intact, Some(true), "{:?}", report.chain);
    assert!(report.issuer.as_deref().unwrap().starts_with("CN=Test Root"));

    // The same leaf presented with another CA of the same name: the seal holds, the chain does not.
    let Some((other_chain, _)) = openssl_chain(&other, "Test Root") else {
        return;
    };
    let (leaf, other_ca) = (&pem_blocks(&chain)[0], &pem_blocks(&other_chain)[1]);
    let mixed = jades::seal(&credential(), &format!("{leaf}{other_ca}"), &key).unwrap();
    let report = jades::verify(&mixed);
    assert!(report.intact, "{}", report.message);
    assert_eq!(report.chain_intact, Some(false), "{:?}", report.chain);
    assert!(
        report.message.contains("the chain is broken"),
        "{}",
        report.message
    );
    std::fs::remove_dir_all(dir).ok();
}
