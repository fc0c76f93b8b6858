//! `microcred stack`: the commands as a person runs them, from signed credentials to an awarded one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

use microcred_vc::trust::{AccreditedIssuer, IssuerScope, TrustList};
use microcred_vc::{sign, verify, ProofOptions, SigningKeyPair, VerifyContext};

const A: &str = "https://qualifications.example.eu/es/grado-a/UC0223_3";

fn microcred(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_microcred"))
        .args(args)
        .output()
        .expect("the microcred binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("microcred-stack-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

fn grade_a(issuer: &str, n: u32) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": format!("urn:uuid:00000000-0000-4000-8000-00000000000{n}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": { "id": issuer, "type": ["Profile"], "name": "Centro de FP" },
        "validFrom": "2026-03-01T09:00:00Z",
        "name": format!("Grado A UC0223_3 parte {n}"),
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": format!("{A}/{n}"), "type": ["Achievement"], "name": format!("Grado A parte {n}"),
                "description": "Partial accreditation", "criteria": { "narrative": "Assessed." }
            }
        }
    })
}

fn summary(id: &str, achievement: &str, verification: Value) -> Value {
    json!({ "id": id, "achievement_id": achievement, "title": id, "issuer": "did:web:centre.example",
            "issuer_accredited": true, "issued": "2026-03-01", "verification": verification })
}

#[test]
fn list_shows_the_builtin_qualifications() {
    let output = microcred(&["stack", "list"]);
    assert!(output.status.success(), "{}", text(&output));
    for name in [
        "es-grado-b-UC0223_3",
        "es-grado-c-IFC078_3",
        "ie-qqi-level5-certificate",
        "ee-microcredential-accumulation",
    ] {
        assert!(text(&output).contains(name), "{}", text(&output));
    }
}

#[test]
fn partial_evaluation_explains_what_is_missing_and_exits_1() {
    let dir = scratch("partial");
    let creds = json!([
        summary("c1", &format!("{A}/1"), json!({ "status": "verified" })),
        summary(
            "c2",
            &format!("{A}/2"),
            json!({ "status": "excluded", "reason": "status: revoked on 2026-04-01" })
        ),
        summary("c1", &format!("{A}/1"), json!({ "status": "verified" })),
    ]);
    let file = write(&dir, "held.json", &creds);
    let output = microcred(&[
        "stack",
        "evaluate",
        "--qualification",
        "es-grado-b-UC0223_3",
        "--credentials",
        &file,
        "--today",
        "2026-06-01",
    ]);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("Requirement 'all grade A units of UC0223_3'"),
        "{out}"
    );
    assert!(out.contains("NOT met"), "{out}");
    assert!(out.contains("missing: "), "{out}");
    assert!(out.contains("EXCLUDED: status: revoked on 2026-04-01"), "{out}");
    assert!(out.contains("duplicate of c1"), "{out}");
    assert!(out.contains("decides whether to award"), "{out}");
}

#[test]
fn a_malformed_qualification_file_is_placed_and_exits_2() {
    let dir = scratch("malformed");
    let path = dir.join("q.toml");
    std::fs::write(
        &path,
        "id = \"q\"\ntitle = \"Q\"\nsource = \"s\"\nawarding_body = { id = \"b\", name = \"B\" }\n\
         components = []\n[[requirements]]\nname = \"nothing\"\n",
    )
    .unwrap();
    let creds = write(&dir, "held.json", &json!([]));
    let output = microcred(&[
        "stack",
        "evaluate",
        "--qualification",
        path.to_str().unwrap(),
        "--credentials",
        &creds,
    ]);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert!(
        out.contains("q.toml:6:1: this requirement says nothing to meet"),
        "{out}"
    );
}

#[test]
fn signed_credentials_are_verified_evaluated_decided_and_awarded() {
    let dir = scratch("chain");
    let centre = SigningKeyPair::from_seed(&[3; 32]);
    let authority = SigningKeyPair::from_seed(&[4; 32]);
    let awarding = SigningKeyPair::from_seed(&[5; 32]);
    let centre_did = centre.public().did_key();
    let sign_with =
        |key: &SigningKeyPair, doc: &Value| sign(doc, key, &ProofOptions::new(key.public())).unwrap();

    let trust_list = TrustList {
        authority: authority.public().did_key(),
        valid_from: None,
        valid_until: None,
        issuers: vec![AccreditedIssuer {
            id: centre_did.clone(),
            name: "Centro de FP".into(),
            scope: IssuerScope::default(),
            valid_from: None,
            valid_until: None,
        }],
    };
    let trust_file = write(
        &dir,
        "trust.json",
        &sign_with(&authority, &trust_list.to_unsigned_credential()),
    );
    let mut files: Vec<String> = (1..=3)
        .map(|n| {
            write(
                &dir,
                &format!("a{n}.json"),
                &sign_with(&centre, &grade_a(&centre_did, n)),
            )
        })
        .collect();

    // A tampered copy of a fourth credential is excluded, with the failed check as the reason.
    let mut tampered = sign_with(&centre, &grade_a(&centre_did, 4));
    tampered["name"] = json!("Edited after signing");
    files.push(write(&dir, "tampered.json", &tampered));

    let mut args = vec![
        "stack",
        "evaluate",
        "--qualification",
        "es-grado-b-UC0223_3",
        "--trust-list",
        &trust_file,
    ];
    args.push("--credentials");
    args.extend(files.iter().map(String::as_str));
    let output = microcred(&args);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains("Requirement 'all grade A units of UC0223_3' (all of:"),
        "{out}"
    );
    assert!(out.contains("): met"), "{out}");
    assert!(out.contains("urn:uuid:00000000-0000-4000-8000-000000000004 \"Grado A parte 4\": EXCLUDED: eddsa-rdfc-2022 proof"), "{out}");

    args.extend(["--format", "json"]);
    let output = microcred(&args);
    let evaluation_file = dir.join("evaluation.json");
    std::fs::write(&evaluation_file, &output.stdout).unwrap();

    let output = microcred(&[
        "stack",
        "decide",
        "--evaluation",
        evaluation_file.to_str().unwrap(),
        "--outcome",
        "awarded",
        "--by",
        "Comisión de evaluación",
        "--learner",
        "did:example:learner",
        "--reason",
        "all units held",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let decision_file = dir.join("decision.json");
    std::fs::write(&decision_file, &output.stdout).unwrap();

    let key_file = dir.join("awarding-key.json");
    std::fs::write(&key_file, awarding.to_multikey_json().as_str()).unwrap();
    let output = microcred(&[
        "stack",
        "award",
        "--decision",
        decision_file.to_str().unwrap(),
        "--qualification",
        "es-grado-b-UC0223_3",
        "--key",
        key_file.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let awarded: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(awarded["issuer"]["id"], json!(awarding.public().did_key()));
    assert_eq!(awarded["evidence"].as_array().unwrap().len(), 3);
    let report = verify(&awarded, &VerifyContext::new());
    assert!(report.verified, "{:#?}", report.checks);

    // A refused decision cannot be turned into a credential.
    let output = microcred(&[
        "stack",
        "decide",
        "--evaluation",
        evaluation_file.to_str().unwrap(),
        "--outcome",
        "refused",
        "--by",
        "Comisión",
        "--learner",
        "did:example:learner",
        "--reason",
        "identity not confirmed",
    ]);
    std::fs::write(&decision_file, &output.stdout).unwrap();
    let output = microcred(&[
        "stack",
        "award",
        "--decision",
        decision_file.to_str().unwrap(),
        "--qualification",
        "es-grado-b-UC0223_3",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("not awarded"), "{}", text(&output));
}
