//! Evaluation scenarios: what counts, what does not and why, and what would close the gap.

mod common;

use common::*;
use microcred_model::{Description, LangMap, LearningOutcome};
use microcred_stacking::{builtin, evaluate, parse_qualification, MatchedBy, Qualification, UseStatus};

const A1: &str = "https://qualifications.example.eu/es/grado-a/UC0223_3/1";
const A2: &str = "https://qualifications.example.eu/es/grado-a/UC0223_3/2";
const A3: &str = "https://qualifications.example.eu/es/grado-a/UC0223_3/3";

fn spanish_b() -> Qualification {
    builtin::find("es-grado-b-UC0223_3").unwrap().parse().unwrap()
}

fn irish_major() -> Qualification {
    builtin::find("ie-qqi-level5-certificate")
        .unwrap()
        .parse()
        .unwrap()
}

fn minor(code: &str) -> String {
    format!("https://qualifications.example.eu/ie/qqi/{code}")
}

fn status_of<'a>(e: &'a microcred_stacking::Evaluation, id: &str) -> &'a UseStatus {
    &e.credentials.iter().find(|c| c.id == id).unwrap().status
}

#[test]
fn complete_when_every_grade_a_unit_is_held() {
    let creds = [held("c1", A1), held("c2", A2), held("c3", A3)];
    let e = evaluate(&spanish_b(), &creds, &[], day("2026-06-01"));
    assert!(e.complete);
    let r = &e.requirements[0];
    assert!(r.met && r.missing.is_empty() && r.still_needed == 0);
    let counted: Vec<&str> = r.counted.iter().map(|c| c.credential.as_str()).collect();
    assert_eq!(counted, ["c1", "c2", "c3"]);
    assert!(
        matches!(status_of(&e, "c2"), UseStatus::Counted { requirements } if requirements == &["all grade A units of UC0223_3"])
    );
}

#[test]
fn partial_names_what_is_missing() {
    let creds = [
        held("c1", A1),
        held("c3", A3),
        held("other", "https://elsewhere.example/badge"),
    ];
    let e = evaluate(&spanish_b(), &creds, &[], day("2026-06-01"));
    assert!(!e.complete);
    let r = &e.requirements[0];
    assert_eq!(r.still_needed, 1);
    assert_eq!(r.missing.len(), 1);
    assert_eq!(r.missing[0].id, A2);
    assert!(
        matches!(status_of(&e, "other"), UseStatus::NotUsed { reason } if reason.contains("proves no component"))
    );
    assert_eq!(e.unmet(), ["all grade A units of UC0223_3"]);
}

#[test]
fn expired_and_revoked_components_are_excluded_with_the_reason() {
    let mut expired = held("c2", A2);
    expired.valid_until = Some(day("2026-03-01"));
    let revoked = excluded(held("c3", A3), "status: the credential has been revoked");
    let creds = [held("c1", A1), expired, revoked];
    let e = evaluate(&spanish_b(), &creds, &[], day("2026-06-01"));
    assert!(!e.complete);
    assert_eq!(e.requirements[0].missing.len(), 2);
    assert!(
        matches!(status_of(&e, "c2"), UseStatus::Excluded { reason } if reason == "expired on 2026-03-01")
    );
    assert!(matches!(status_of(&e, "c3"), UseStatus::Excluded { reason } if reason.contains("revoked")));
}

#[test]
fn the_same_credential_offered_twice_counts_once() {
    // The same credential twice, and a second copy of an achievement already held.
    let creds = [
        held("c1", A1),
        held("c1", A1),
        held("c1-copy", A1),
        held("c2", A2),
    ];
    let e = evaluate(&spanish_b(), &creds, &[], day("2026-06-01"));
    assert!(!e.complete, "two distinct units are not three");
    assert_eq!(e.requirements[0].counted.len(), 2);
    assert_eq!(e.credentials.len(), 4);
    assert!(matches!(&e.credentials[1].status, UseStatus::Duplicate { of } if of == "c1"));
    assert!(matches!(&e.credentials[2].status, UseStatus::Duplicate { of } if of == "c1"));
}

#[test]
fn the_newest_copy_of_an_achievement_is_kept() {
    let mut newer = held("renewed", A1);
    newer.issued = Some(day("2026-05-01"));
    let creds = [held("old", A1), newer];
    let e = evaluate(&spanish_b(), &creds, &[], day("2026-06-01"));
    assert!(
        matches!(status_of(&e, "old"), UseStatus::Duplicate { of } if of == "renewed"),
        "{:?}",
        e.credentials
    );
    assert_eq!(e.requirements[0].counted[0].credential, "renewed");
}

#[test]
fn an_issuer_outside_the_accepted_set_does_not_count() {
    let mut unknown = held("c3", A3);
    unknown.issuer_accredited = Some(false);
    unknown.issuer = "did:web:diploma-mill.example".into();
    let mut unchecked = held("c2", A2);
    unchecked.issuer_accredited = None;
    let e = evaluate(
        &spanish_b(),
        &[held("c1", A1), unchecked, unknown],
        &[],
        day("2026-06-01"),
    );
    let r = &e.requirements[0];
    assert!(!r.met);
    assert_eq!(r.missing.len(), 2);
    let reasons: Vec<&str> = r.not_counted.iter().map(|n| n.reason.as_str()).collect();
    assert!(reasons[0].contains("was not checked"), "{reasons:?}");
    assert!(
        reasons[1].contains("diploma-mill.example is not accredited"),
        "{reasons:?}"
    );
    assert!(
        matches!(status_of(&e, "c3"), UseStatus::NotUsed { reason } if reason.contains("not accredited"))
    );
}

#[test]
fn an_explicit_issuer_list_and_same_provider() {
    let text = |issuers: &str| {
        format!(
            "id = \"q\"\ntitle = \"Q\"\nsource = \"test\"\nawarding_body = {{ id = \"did:web:college.example\", name = \"College\" }}\n\
             accept = {{ issuers = {issuers} }}\n[[components]]\nid = \"u\"\ntitle = \"U\"\n[[requirements]]\nall_of = [\"u\"]\n"
        )
    };
    let mut own = held("own", "u");
    own.issuer = "did:web:college.example".into();
    let other = held("other", "u");
    let today = day("2026-06-01");

    let same = parse_qualification("q.toml", &text("\"same-provider\"")).unwrap();
    let e = evaluate(&same, std::slice::from_ref(&other), &[], today);
    assert!(!e.complete);
    assert!(e.requirements[0].not_counted[0]
        .reason
        .contains("only credentials of College"));
    assert!(evaluate(&same, &[other.clone(), own.clone()], &[], today).complete);

    let listed = parse_qualification("q.toml", &text("[\"did:web:partner.example\"]")).unwrap();
    let e = evaluate(&listed, std::slice::from_ref(&other), &[], today);
    assert!(e.requirements[0].not_counted[0]
        .reason
        .contains("not an accepted issuer (did:web:partner.example)"));
}

#[test]
fn credits_under_and_over() {
    let q = irish_major();
    let today = day("2026-06-01");
    // Mandatory minors plus five electives: 7 x 15 = 105 credits, from the components' declared credits.
    let codes = [
        "5N0690", "5N1356", "5N0001", "5N0002", "5N0003", "5N0004", "5N0005",
    ];
    let mut creds: Vec<_> = codes.iter().map(|c| with_eqf(held(c, &minor(c)), 4)).collect();
    let e = evaluate(&q, &creds, &[], today);
    assert!(e.requirements[0].met, "mandatory minors held");
    let credits = &e.requirements[1];
    assert!(!credits.met);
    let tally = credits.credits.as_ref().unwrap();
    assert_eq!((tally.required, tally.held), (120.0, 105.0));
    assert_eq!(credits.still_needed, 15);
    assert!(
        !credits.missing.is_empty(),
        "the electives not yet held are listed"
    );

    // Two more minors: 135 credits, over the 120 required.
    creds.push(with_eqf(held("5N0006", &minor("5N0006")), 4));
    creds.push(with_eqf(held("6N0008", &minor("6N0008")), 5));
    let e = evaluate(&q, &creds, &[], today);
    assert!(e.complete);
    let tally = e.requirements[1].credits.as_ref().unwrap();
    assert_eq!(tally.held, 135.0);
    assert!(e.requirements[1].missing.is_empty());
    // A mandatory minor counts for both requirements.
    assert!(
        matches!(status_of(&e, "5N0690"), UseStatus::Counted { requirements } if requirements.len() == 2)
    );
}

#[test]
fn credits_stated_by_the_credential_win_and_levels_are_enforced() {
    let q = irish_major();
    let mut creds: Vec<_> = ["5N0690", "5N1356"]
        .iter()
        .map(|c| with_credits(with_eqf(held(c, &minor(c)), 4), "QQI FET", 30.0))
        .collect();
    // EQF 3 is below the qualification's minimum of 4.
    creds.push(with_eqf(held("low", &minor("5N0001")), 3));
    let e = evaluate(&q, &creds, &[], day("2026-06-01"));
    assert_eq!(e.requirements[1].credits.as_ref().unwrap().held, 60.0);
    let refused = &e.requirements[1].not_counted;
    assert!(
        refused
            .iter()
            .any(|n| n.credential == "low" && n.reason.contains("EQF 3; EQF 4 or higher")),
        "{refused:?}"
    );
}

#[test]
fn an_equivalence_counts_and_says_why() {
    let text = format!(
        "{}\n[[equivalences]]\ncredential = \"https://other.example/badges/sysadmin-basics\"\ncounts_for = \"{A1}\"\nbasis = \"Recognition decision 2026/14\"\n",
        builtin::find("es-grado-b-UC0223_3").unwrap().text
    );
    let q = parse_qualification("with-equivalence.toml", &text).unwrap();
    let creds = [
        held("foreign", "https://other.example/badges/sysadmin-basics"),
        held("c2", A2),
        held("c3", A3),
    ];
    let e = evaluate(&q, &creds, &[], day("2026-06-01"));
    assert!(e.complete);
    let counted = &e.requirements[0].counted[0];
    assert_eq!(counted.credential, "foreign");
    assert_eq!(counted.component.as_deref(), Some(A1));
    assert_eq!(
        counted.equivalence.as_deref(),
        Some("Recognition decision 2026/14")
    );
}

#[test]
fn max_age_and_any_credential_accumulation() {
    let q = builtin::find("ee-microcredential-accumulation")
        .unwrap()
        .parse()
        .unwrap();
    let today = day("2026-06-01");
    let stats = "https://university.example.ee/micro/statistics-for-data-analysis";
    let viz = "https://university.example.ee/micro/data-visualisation";
    let mut old = with_eqf(held("old-stats", stats), 6);
    old.issued = Some(day("2020-09-01"));
    let creds = vec![
        old,
        with_eqf(held("viz", viz), 6),
        with_credits(
            with_eqf(held("ml", "https://elsewhere.example/ml"), 6),
            "ECTS",
            10.0,
        ),
        with_credits(
            with_eqf(held("sql", "https://elsewhere.example/sql"), 5),
            "ECTS",
            5.0,
        ),
    ];
    let e = evaluate(&q, &creds, &[], today);
    let core = &e.requirements[0];
    assert!(!core.met);
    assert_eq!(core.missing[0].id, stats);
    assert!(core.not_counted[0]
        .reason
        .contains("issued on 2020-09-01, longer than P5Y before 2026-06-01"));
    let credits = &e.requirements[1];
    assert_eq!(
        credits.credits.as_ref().unwrap().held,
        16.0,
        "viz 6 (component credits) + ml 10; sql is EQF 5"
    );
    assert!(credits
        .not_counted
        .iter()
        .any(|n| n.credential == "sql" && n.reason.contains("EQF 5")));
}

#[test]
fn the_catalogue_suggests_what_would_close_the_gap() {
    let by_id = Description {
        id: Some(A2.into()),
        title: LangMap::english("Grado A parte 2"),
        ..Default::default()
    };
    let unrelated = Description {
        id: Some("https://x.example/cooking".into()),
        title: LangMap::english("Cooking"),
        ..Default::default()
    };
    let q_text = format!(
        "{}\n",
        builtin::find("ee-microcredential-accumulation").unwrap().text
    );
    let q = parse_qualification("ee.toml", &q_text).unwrap();
    let alike = Description {
        id: Some("https://mooc.example/stats".into()),
        title: LangMap::english("Statistics with real data"),
        learning_outcomes: vec![LearningOutcome {
            text: LangMap::english("Apply descriptive and inferential statistics to real data sets."),
            ..Default::default()
        }],
        ..Default::default()
    };
    let e = evaluate(
        &spanish_b(),
        &[held("c1", A1), held("c3", A3)],
        &[unrelated.clone(), by_id],
        day("2026-06-01"),
    );
    assert_eq!(e.suggestions.len(), 1);
    assert_eq!(e.suggestions[0].micro_credential, A2);
    assert_eq!(e.suggestions[0].matched_by, MatchedBy::Identifier);

    let e = evaluate(&q, &[], &[unrelated, alike], day("2026-06-01"));
    let stats: Vec<_> = e
        .suggestions
        .iter()
        .filter(|s| s.micro_credential == "https://mooc.example/stats")
        .collect();
    assert_eq!(stats.len(), 1);
    assert!(matches!(stats[0].matched_by, MatchedBy::LearningOutcomes { similarity } if similarity >= 0.6));
}

#[test]
fn skills_match_respects_level() {
    let text = "id = \"q\"\ntitle = \"Q\"\nsource = \"test\"\nawarding_body = { id = \"b\", name = \"B\" }\n\
        [[components]]\nid = \"u\"\ntitle = \"U\"\neqf = 5\nesco_skills = [\"http://data.europa.eu/esco/skill/test-skill\"]\n\
        [[requirements]]\nall_of = [\"u\"]\n";
    let q = parse_qualification("q.toml", text).unwrap();
    let offer = |id: &str, level: u8| Description {
        id: Some(id.into()),
        learning_outcomes: vec![LearningOutcome {
            esco_skills: vec!["http://data.europa.eu/esco/skill/test-skill".into()],
            ..Default::default()
        }],
        level: microcred_model::Level {
            eqf: Some(microcred_model::EqfLevel::new(level).unwrap()),
            ..Default::default()
        },
        ..Default::default()
    };
    let e = evaluate(
        &q,
        &[],
        &[offer("too-low", 4), offer("fits", 5)],
        day("2026-06-01"),
    );
    let ids: Vec<&str> = e
        .suggestions
        .iter()
        .map(|s| s.micro_credential.as_str())
        .collect();
    assert_eq!(ids, ["fits"]);
}

#[test]
fn evaluation_json_is_stable() {
    let creds = [held("c1", A1), held("c3", A3)];
    let today = day("2026-06-01");
    let first = serde_json::to_string(&evaluate(&spanish_b(), &creds, &[], today)).unwrap();
    let second = serde_json::to_string(&evaluate(&spanish_b(), &creds, &[], today)).unwrap();
    assert_eq!(first, second);
    let back: microcred_stacking::Evaluation = serde_json::from_str(&first).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), first);
    assert!(first.contains("\"status\":\"counted\""), "{first}");
}
