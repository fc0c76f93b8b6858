//! Reading the stacking summary out of OB 3.0 credentials: the 1EdTech vector, third-party fixtures,
//! and what microcred's own renderer writes (EQF, ESCO and credit alignments).

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

use microcred_model::{
    Credit, CreditSystem, Date, Description, EqfLevel, LangMap, LearningOutcome, Level, Workload,
};
use microcred_stacking::{held_from_ob3, Verification};

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: {} is absent (the shared reference material)",
            dir.display()
        );
        None
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn the_ob3_vector() {
    let Some(shared) = shared() else { return };
    let text = std::fs::read_to_string(shared.join("vectors/ob3/signed.json")).unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    let held = held_from_ob3(&document, Verification::Verified).unwrap();
    assert_eq!(held.id, "http://example.com/credentials/3527");
    assert_eq!(
        held.achievement_id.as_deref(),
        Some("https://example.com/achievements/21st-century-skills/teamwork")
    );
    assert_eq!(held.issuer, "https://example.edu/issuers/565049");
    assert_eq!(held.title, "Teamwork");
    assert_eq!(held.issued, Some(Date::parse("2010-01-01").unwrap()));
    assert!(held.credits.is_empty() && held.eqf.is_none());
    assert!(held
        .digest_sri
        .as_deref()
        .is_some_and(|d| d.starts_with("sha256-")));
}

#[test]
fn third_party_fixtures_read_without_panicking_and_keep_their_dates() {
    let Some(shared) = shared() else { return };
    let mut files = Vec::new();
    json_files(&shared.join("fixtures/dcc/verifiableCredentials"), &mut files);
    assert!(!files.is_empty());
    let mut expired = 0;
    for file in files {
        // Some fixture files are empty placeholders: not credentials, nothing to read.
        let Ok(document) = serde_json::from_str::<Value>(&std::fs::read_to_string(&file).unwrap()) else {
            continue;
        };
        match held_from_ob3(&document, Verification::Verified) {
            Ok(held) => {
                let name = file.file_name().unwrap().to_string_lossy();
                if name.contains("expired") && !name.contains("noExpiry") {
                    let until = held
                        .valid_until
                        .unwrap_or_else(|| panic!("{} has no end date", file.display()));
                    assert!(until < Date::parse("2026-01-01").unwrap(), "{}", file.display());
                    expired += 1;
                }
            }
            Err(error) => assert!(!error.pointer.is_empty() || !error.message.is_empty()),
        }
    }
    assert!(expired > 0, "the fixtures include expired credentials");
}

#[test]
fn what_microcred_renders_carries_level_skills_and_credits() {
    let skill = "http://data.europa.eu/esco/skill/0000-test";
    let description = Description {
        id: Some("https://provider.example/mc/data-viz".into()),
        title: LangMap::english("Data visualisation"),
        learning_outcomes: vec![LearningOutcome {
            text: LangMap::english("Design charts"),
            esco_skills: vec![skill.into()],
            ..Default::default()
        }],
        level: Level {
            eqf: Some(EqfLevel::new(6).unwrap()),
            ..Default::default()
        },
        workload: Workload {
            hours: Some(150.0),
            credits: vec![
                Credit {
                    system: CreditSystem::Ects,
                    points: 6.0,
                    hours_per_credit: None,
                },
                Credit {
                    system: CreditSystem::National("QQI FET".into()),
                    points: 15.0,
                    hours_per_credit: None,
                },
            ],
        },
        ..Default::default()
    };
    let learner = microcred_vc::render::Learner {
        name: "Maria".into(),
        given_name: None,
        family_name: None,
        email: None,
        id: Some("did:example:maria".into()),
        national_id: None,
        date_of_birth: None,
    };
    let issuer = microcred_vc::render::IssuerProfile {
        id: "did:web:provider.example".into(),
        name: "Provider".into(),
        country: None,
        url: None,
        email: None,
    };
    let issued = Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap();
    let options = microcred_vc::render::RenderOptions::new("urn:uuid:1", issued, "salt");
    let credential = microcred_vc::render::open_badge(&description, &learner, &issuer, &options);
    let held = held_from_ob3(&credential, Verification::Verified).unwrap();
    assert_eq!(
        held.achievement_id.as_deref(),
        Some("https://provider.example/mc/data-viz")
    );
    assert_eq!(held.eqf, Some(EqfLevel::new(6).unwrap()));
    assert_eq!(held.skills, [skill]);
    assert_eq!(held.credits_in(&CreditSystem::Ects), Some(6.0));
    assert_eq!(
        held.credits_in(&CreditSystem::National("QQI FET".into())),
        Some(15.0)
    );
    assert!(held.notes.is_empty(), "{:?}", held.notes);
}

#[test]
fn bad_credentials_are_errors_with_a_pointer() {
    let cases = [
        (json!([1, 2]), ""),
        (json!({ "credentialSubject": {} }), "/issuer"),
        (
            json!({ "issuer": { "name": "no id" }, "credentialSubject": {} }),
            "/issuer/id",
        ),
        (
            json!({ "issuer": "did:web:x", "credentialSubject": [] }),
            "/credentialSubject",
        ),
        (
            json!({ "issuer": "did:web:x", "validFrom": 5, "credentialSubject": {} }),
            "/validFrom",
        ),
        (
            json!({ "issuer": "did:web:x", "credentialSubject": { "achievement": { "creditsAvailable": "six" } } }),
            "/credentialSubject/achievement/creditsAvailable",
        ),
        (
            json!({ "issuer": "did:web:x", "credentialSubject": { "achievement": {
                "alignment": [{ "targetUrl": "http://data.europa.eu/snb/eqf/9" }] } } }),
            "/credentialSubject/achievement/alignment/0/targetUrl",
        ),
    ];
    for (document, pointer) in cases {
        let error = held_from_ob3(&document, Verification::Verified).unwrap_err();
        assert_eq!(error.pointer, pointer, "{document}: {error}");
    }
}

#[test]
fn unnamed_credit_systems_are_assumed_ects_and_said_so() {
    let document = json!({ "id": "urn:x", "issuer": "did:web:x", "credentialSubject": { "achievement": {
        "id": "a", "creditsAvailable": 5 } } });
    let held = held_from_ob3(&document, Verification::Verified).unwrap();
    assert_eq!(held.credits_in(&CreditSystem::Ects), Some(5.0));
    assert_eq!(held.notes, ["the credit system is not named; ECTS is assumed"]);
}
