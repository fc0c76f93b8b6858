//! The `keys`, `sign` and `verify` subcommands, run as a user would: exit codes and JSON shapes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_microcred");

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("MICROCRED_KEY_PASSPHRASE", "correct horse battery")
        .output()
        .expect("the microcred binary runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("microcred-vc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_json(dir: &Path, name: &str, value: &Value) {
    std::fs::write(dir.join(name), serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// A plaintext key, its did:key, and an unsigned credential issued by it.
fn setup(dir: &Path) -> String {
    let out = run(&["keys", "new", "--plaintext", "--out", "issuer.json"], dir);
    assert_eq!(code(&out), 0, "{out:?}");
    let public = run(&["keys", "public", "issuer.json"], dir);
    assert_eq!(code(&public), 0);
    let did = stdout(&public).lines().next().unwrap().to_string();
    assert!(did.starts_with("did:key:z6Mk"), "{did}");
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2f1b3c4d-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Data Stewardship",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://uni.example/achievements/1",
                "type": ["Achievement"],
                "name": "Data Stewardship",
                "description": "FAIR data.",
                "criteria": {"narrative": "Pass the assessment."}
            }
        }
    });
    write_json(dir, "credential.json", &credential);
    did
}

#[test]
fn sign_then_verify_both_suites() {
    let dir = workdir("sign");
    setup(&dir);
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let signed = run(
            &[
                "sign",
                "--key",
                "issuer.json",
                "--cryptosuite",
                suite,
                "credential.json",
            ],
            &dir,
        );
        assert_eq!(code(&signed), 0, "{signed:?}");
        let signed_json: Value = serde_json::from_slice(&signed.stdout).unwrap();
        assert_eq!(signed_json["proof"]["cryptosuite"], suite);
        std::fs::write(dir.join("signed.json"), &signed.stdout).unwrap();

        let verified = run(&["verify", "--format", "json", "signed.json"], &dir);
        assert_eq!(code(&verified), 0, "{}", stdout(&verified));
        let report: Value = serde_json::from_slice(&verified.stdout).unwrap();
        assert_eq!(report["verified"], true);
        for check in report["checks"].as_array().unwrap() {
            let keys: Vec<&String> = check.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["check", "status", "message"]);
            assert!(["ok", "failed", "could-not-check"].contains(&check["status"].as_str().unwrap()));
        }
        let names: Vec<&str> = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["check"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["format", "proof", "validity-period", "status", "issuer-trust"]
        );

        let mut tampered = signed_json.clone();
        tampered["name"] = "Brain Surgery".into();
        write_json(&dir, "tampered.json", &tampered);
        let out = run(&["verify", "tampered.json"], &dir);
        assert_eq!(code(&out), 1, "{}", stdout(&out));
        assert!(stdout(&out).starts_with("NOT VERIFIED"));
    }
}

#[test]
fn proof_sets_grow_when_signing_again() {
    let dir = workdir("set");
    setup(&dir);
    let first = run(&["sign", "--key", "issuer.json", "credential.json"], &dir);
    std::fs::write(dir.join("once.json"), &first.stdout).unwrap();
    assert_eq!(
        code(&run(
            &["keys", "new", "--plaintext", "--out", "second.json"],
            &dir
        )),
        0
    );
    let second = run(
        &[
            "sign",
            "--key",
            "second.json",
            "--cryptosuite",
            "eddsa-jcs-2022",
            "once.json",
        ],
        &dir,
    );
    assert_eq!(code(&second), 0);
    let twice: Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(twice["proof"].as_array().unwrap().len(), 2);
    std::fs::write(dir.join("twice.json"), &second.stdout).unwrap();
    let out = run(&["verify", "--format", "json", "twice.json"], &dir);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn encrypted_keys_need_the_passphrase() {
    let dir = workdir("enc");
    let out = run(&["keys", "new", "--out", "enc.json"], &dir);
    assert_eq!(code(&out), 0, "{out:?}");
    let text = std::fs::read_to_string(dir.join("enc.json")).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["type"], "MicrocredEncryptedKey");
    assert!(!text.contains("secretKeyMultibase"));
    // The public part needs no passphrase.
    assert_eq!(code(&run(&["keys", "public", "enc.json"], &dir)), 0);
    let did_web = run(&["keys", "did-web", "--domain", "uni.example", "enc.json"], &dir);
    let doc: Value = serde_json::from_slice(&did_web.stdout).unwrap();
    assert_eq!(doc["id"], "did:web:uni.example");
    // Refuses to overwrite.
    assert_eq!(code(&run(&["keys", "new", "--out", "enc.json"], &dir)), 2);
    // Plaintext needs --out: secrets never go to the terminal.
    assert_eq!(code(&run(&["keys", "new", "--plaintext"], &dir)), 2);

    setup(&dir);
    let signed = run(&["sign", "--key", "enc.json", "credential.json"], &dir);
    assert_eq!(code(&signed), 0, "{signed:?}");
    let wrong = Command::new(BIN)
        .args(["sign", "--key", "enc.json", "credential.json"])
        .current_dir(&dir)
        .env("MICROCRED_KEY_PASSPHRASE", "wrong")
        .output()
        .unwrap();
    assert_eq!(code(&wrong), 2);
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong passphrase"));
}

#[test]
fn unreadable_input_exits_2() {
    let dir = workdir("bad");
    assert_eq!(code(&run(&["verify", "missing.json"], &dir)), 2);
    std::fs::write(dir.join("garbage.json"), "{not json").unwrap();
    assert_eq!(code(&run(&["verify", "garbage.json"], &dir)), 2);
    // JSON but not a credential: a negative answer, not unreadable.
    std::fs::write(dir.join("empty.json"), "{}").unwrap();
    assert_eq!(code(&run(&["verify", "empty.json"], &dir)), 1);
}

#[test]
fn presentations_check_challenge_and_domain() {
    let dir = workdir("vp");
    let holder_did = setup(&dir);
    let credential = run(&["sign", "--key", "issuer.json", "credential.json"], &dir);
    let credential: Value = serde_json::from_slice(&credential.stdout).unwrap();
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder_did,
        "verifiableCredential": [credential]
    });
    write_json(&dir, "vp.json", &vp);
    let signed = run(
        &[
            "sign",
            "--key",
            "issuer.json",
            "--challenge",
            "n-0S6",
            "--domain",
            "verifier.example",
            "vp.json",
        ],
        &dir,
    );
    assert_eq!(code(&signed), 0, "{signed:?}");
    std::fs::write(dir.join("vp-signed.json"), &signed.stdout).unwrap();
    let ok = run(
        &[
            "verify",
            "--challenge",
            "n-0S6",
            "--domain",
            "verifier.example",
            "vp-signed.json",
        ],
        &dir,
    );
    assert_eq!(code(&ok), 0, "{}", stdout(&ok));
    assert!(stdout(&ok).contains("holder-binding"));
    let replay = run(&["verify", "--challenge", "other", "vp-signed.json"], &dir);
    assert_eq!(code(&replay), 1, "{}", stdout(&replay));
}

#[test]
fn trust_list_decides_issuer_trust() {
    let dir = workdir("trust");
    let issuer_did = setup(&dir);
    assert_eq!(
        code(&run(
            &["keys", "new", "--plaintext", "--out", "authority.json"],
            &dir
        )),
        0
    );
    let authority = stdout(&run(&["keys", "public", "authority.json"], &dir))
        .lines()
        .next()
        .unwrap()
        .to_string();
    let list = |issuers: Value| {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://w3id.org/microcred/trust#"}],
            "type": ["VerifiableCredential", "AccreditedIssuerList"],
            "issuer": authority,
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"type": "AccreditedIssuerList", "accreditedIssuers": issuers}
        })
    };
    let listed = list(
        json!([{"id": issuer_did, "name": "Example University", "scope": {"eqfLevels": [6], "countries": ["NL"]}}]),
    );
    write_json(&dir, "list.json", &listed);
    let signed_list = run(
        &[
            "sign",
            "--key",
            "authority.json",
            "--cryptosuite",
            "eddsa-jcs-2022",
            "list.json",
        ],
        &dir,
    );
    assert_eq!(code(&signed_list), 0, "{signed_list:?}");
    std::fs::write(dir.join("list-signed.json"), &signed_list.stdout).unwrap();
    let credential = run(&["sign", "--key", "issuer.json", "credential.json"], &dir);
    std::fs::write(dir.join("signed.json"), &credential.stdout).unwrap();

    let out = run(
        &[
            "verify",
            "--format",
            "json",
            "--trust-list",
            "list-signed.json",
            "signed.json",
        ],
        &dir,
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let trust = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "issuer-trust")
        .unwrap();
    assert_eq!(trust["status"], "ok");

    write_json(&dir, "other-list.json", &list(json!([])));
    let other = run(&["sign", "--key", "authority.json", "other-list.json"], &dir);
    std::fs::write(dir.join("other-signed.json"), &other.stdout).unwrap();
    let out = run(
        &["verify", "--trust-list", "other-signed.json", "signed.json"],
        &dir,
    );
    assert_eq!(code(&out), 1, "{}", stdout(&out));

    // An unsigned list is refused outright.
    assert_eq!(
        code(&run(
            &["verify", "--trust-list", "list.json", "signed.json"],
            &dir
        )),
        2
    );
}

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("vectors").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

#[test]
fn reference_credentials_from_shared() {
    let Some(shared) = shared() else { return };
    let dir = workdir("shared");
    let ob3 = shared.join("vectors/ob3/signed.json");
    let ob3 = ob3.to_str().unwrap();
    // Offline without the key: could not check, so not verified.
    assert_eq!(code(&run(&["verify", ob3], &dir)), 1);
    let vm = "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";
    let key = format!("{vm}=z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi");
    let out = run(&["verify", "--key", &key, ob3], &dir);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    let dcc = shared.join("fixtures/dcc");
    let revoked =
        dcc.join("verifiableCredentials/v2/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json");
    let list = dcc.join("statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj");
    let url = "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj";
    let spec = format!("{url}={}", list.display());
    let out = run(
        &[
            "verify",
            "--format",
            "json",
            "--status-list",
            &spec,
            revoked.to_str().unwrap(),
        ],
        &dir,
    );
    assert_eq!(code(&out), 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "status")
        .unwrap();
    assert_eq!(status["status"], "failed");
    assert!(status["message"].as_str().unwrap().starts_with("revoked"));
}
