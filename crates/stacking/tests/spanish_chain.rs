//! The Spanish chain end to end: three grade A partial accreditations are issued (signed) and verified,
//! evaluated against grade B, decided, and the grade B credential awarded, signed and verified; then
//! the grade B certificates of IFC078_3 are evaluated against grade C and grade C is awarded.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use microcred_model::Date;
use microcred_stacking::{
    award_credential, builtin, digest_sri, evaluate, held_from_ob3, Award, AwardError, Decision,
    HeldCredential, Organisation, Outcome, Qualification, Verification,
};
use microcred_vc::trust::{AccreditedIssuer, IssuerScope, TrustList};
use microcred_vc::{sign, verify, CheckStatus, ProofOptions, SigningKeyPair, VerifyContext};

const LEARNER: &str = "did:example:learner-maria";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

struct World {
    centre: SigningKeyPair,
    administration: SigningKeyPair,
    context: VerifyContext<'static>,
}

impl World {
    fn new() -> Self {
        let centre = SigningKeyPair::from_seed(&[7; 32]);
        let administration = SigningKeyPair::from_seed(&[9; 32]);
        let listed = |key: &SigningKeyPair, name: &str| AccreditedIssuer {
            id: key.public().did_key(),
            name: name.into(),
            scope: IssuerScope::default(),
            valid_from: None,
            valid_until: None,
        };
        let mut context = VerifyContext::new();
        context.now = at("2026-09-02T10:00:00Z");
        context.trust_list = Some(TrustList {
            authority: "did:example:ministerio".into(),
            valid_from: None,
            valid_until: None,
            issuers: vec![
                listed(&centre, "Centro integrado de FP (illustrative)"),
                listed(&administration, "Administración educativa (illustrative)"),
            ],
        });
        World {
            centre,
            administration,
            context,
        }
    }

    fn sign(&self, key: &SigningKeyPair, credential: &Value) -> Value {
        let mut options = ProofOptions::new(key.public());
        options.created = Some("2026-09-01T09:00:00Z".into());
        sign(credential, key, &options).unwrap_or_else(|e| panic!("{e}\n{credential:#}"))
    }

    /// Verifies with the vc crate and summarises for stacking, as any caller would.
    fn receive(&self, signed: &Value) -> HeldCredential {
        let report = verify(signed, &self.context);
        let failed = report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Failed)
            .map(|c| c.message.as_str());
        let verification = Verification::from_outcome(report.verified, failed);
        let mut held = held_from_ob3(signed, verification).unwrap();
        held.issuer_accredited = match report.status_of("issuer-trust") {
            Some(CheckStatus::Ok) => Some(true),
            Some(CheckStatus::Failed) => Some(false),
            _ => None,
        };
        assert!(report.verified, "{:#?}", report.checks);
        held
    }
}

/// An unsigned OB 3.0 credential for one achievement.
fn credential(id: &str, issuer: &str, achievement: &str, name: &str, issued: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": { "id": issuer, "type": ["Profile"], "name": "Issuer" },
        "validFrom": issued,
        "name": name,
        "credentialSubject": {
            "id": LEARNER,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": achievement,
                "type": ["Achievement"],
                "name": name,
                "description": name,
                "criteria": { "narrative": "Assessed against the competence standard." }
            }
        }
    })
}

fn decide(q: &Qualification, evaluation: microcred_stacking::Evaluation, outcome: Outcome) -> Decision {
    Decision {
        qualification: q.id.clone(),
        learner: LEARNER.into(),
        decided_by: "Comisión de evaluación, Administración educativa".into(),
        decided_at: at("2026-09-01T12:00:00Z"),
        outcome,
        reasons: vec!["all components held and verified".into()],
        evaluation,
    }
}

#[test]
fn grade_a_to_b_to_c_with_signed_and_verified_credentials() {
    let world = World::new();
    let today = Date::parse("2026-09-01").unwrap();
    let grade_b = builtin::find("es-grado-b-UC0223_3").unwrap().parse().unwrap();
    let grade_c = builtin::find("es-grado-c-IFC078_3").unwrap().parse().unwrap();
    let centre = world.centre.public().did_key();
    let administration = Organisation {
        id: world.administration.public().did_key(),
        name: "Administración educativa (illustrative)".into(),
    };

    // Three grade A partial accreditations, issued by a training centre and verified on receipt.
    let grade_a: Vec<Value> = (1..=3)
        .map(|n| {
            let unsigned = credential(
                &format!("urn:uuid:00000000-0000-4000-8000-00000000000{n}"),
                &centre,
                &format!("https://qualifications.example.eu/es/grado-a/UC0223_3/{n}"),
                &format!("Grado A UC0223_3 parte {n}"),
                &format!("2026-03-0{n}T09:00:00Z"),
            );
            world.sign(&world.centre, &unsigned)
        })
        .collect();
    let held_a: Vec<HeldCredential> = grade_a.iter().map(|c| world.receive(c)).collect();
    assert!(held_a.iter().all(|h| h.issuer_accredited == Some(true)));

    // Evaluate grade B: complete, but nothing is awarded until someone decides.
    let evaluation = evaluate(&grade_b, &held_a, &[], today);
    assert!(evaluation.complete, "{evaluation:#?}");
    let refused = decide(&grade_b, evaluation.clone(), Outcome::Deferred);
    let award = Award {
        credential_id: "urn:uuid:10000000-0000-4000-8000-000000000001".into(),
        issuer: Some(administration.clone()),
        issued_at: at("2026-09-01T12:30:00Z"),
    };
    assert_eq!(
        award_credential(&refused, &grade_b, &award),
        Err(AwardError::NotAwarded(Outcome::Deferred))
    );

    let decision = decide(&grade_b, evaluation, Outcome::Awarded);
    // A decision travels as JSON (it is what `microcred stack award --decision FILE` reads).
    let decision: Decision = serde_json::from_str(&serde_json::to_string(&decision).unwrap()).unwrap();
    let unsigned_b = award_credential(&decision, &grade_b, &award).unwrap();
    let evidence = unsigned_b["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 3);
    for (entry, signed_a) in evidence.iter().zip(&grade_a) {
        assert_eq!(entry["id"], signed_a["id"]);
        assert_eq!(
            entry["digestSRI"],
            json!(digest_sri(&serde_json::to_vec(signed_a).unwrap()))
        );
    }
    let signed_b = world.sign(&world.administration, &unsigned_b);
    let held_b = world.receive(&signed_b);
    assert_eq!(held_b.achievement_id.as_deref(), Some(grade_b.id.as_str()));

    // Evaluate grade C with only one grade B: two missing.
    let partial = evaluate(&grade_c, std::slice::from_ref(&held_b), &[], today);
    assert!(!partial.complete);
    assert_eq!(partial.requirements[0].missing.len(), 2);
    let early = decide(&grade_c, partial, Outcome::Awarded);
    assert!(matches!(
        award_credential(&early, &grade_c, &award),
        Err(AwardError::Incomplete(_))
    ));

    // The other two grade B certificates of IFC078_3, issued by the administration.
    let mut held_all_b = vec![held_b];
    for (n, unit) in ["UC0224_3", "UC0225_3"].iter().enumerate() {
        let unsigned = credential(
            &format!("urn:uuid:20000000-0000-4000-8000-00000000000{n}"),
            &administration.id,
            &format!("https://qualifications.example.eu/es/grado-b/{unit}"),
            &format!("Certificado de competencia {unit}"),
            "2026-06-01T09:00:00Z",
        );
        held_all_b.push(world.receive(&world.sign(&world.administration, &unsigned)));
    }
    let evaluation = evaluate(&grade_c, &held_all_b, &[], today);
    assert!(evaluation.complete, "{evaluation:#?}");
    let decision = decide(&grade_c, evaluation, Outcome::Awarded);
    let award_c = Award {
        credential_id: "urn:uuid:30000000-0000-4000-8000-000000000001".into(),
        ..award
    };
    let signed_c = world.sign(
        &world.administration,
        &award_credential(&decision, &grade_c, &award_c).unwrap(),
    );
    let held_c = world.receive(&signed_c);
    assert_eq!(held_c.achievement_id.as_deref(), Some(grade_c.id.as_str()));
    let evidence_ids: Vec<&str> = signed_c["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(evidence_ids.len(), 3);
    assert_eq!(evidence_ids[0], signed_b["id"].as_str().unwrap());
}

#[test]
fn a_tampered_credential_is_excluded_not_counted() {
    let world = World::new();
    let centre = world.centre.public().did_key();
    let unsigned = credential(
        "urn:uuid:40000000-0000-4000-8000-000000000001",
        &centre,
        "https://qualifications.example.eu/es/grado-a/UC0223_3/1",
        "Grado A",
        "2026-03-01T09:00:00Z",
    );
    let mut signed = world.sign(&world.centre, &unsigned);
    signed["credentialSubject"]["achievement"]["id"] =
        json!("https://qualifications.example.eu/es/grado-a/UC0223_3/2");
    let report = verify(&signed, &world.context);
    assert!(!report.verified);
    let failed = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .map(|c| c.message.as_str());
    let held = held_from_ob3(&signed, Verification::from_outcome(report.verified, failed)).unwrap();
    let grade_b = builtin::find("es-grado-b-UC0223_3").unwrap().parse().unwrap();
    let evaluation = evaluate(&grade_b, &[held], &[], Date::parse("2026-09-01").unwrap());
    assert!(matches!(
        &evaluation.credentials[0].status,
        microcred_stacking::UseStatus::Excluded { .. }
    ));
    assert_eq!(evaluation.requirements[0].missing.len(), 3);
}
