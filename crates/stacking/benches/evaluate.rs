//! One learner holding 200 credentials, evaluated against 1,000 qualifications (target: under 100 ms).
//!
//! Run: `cargo bench -p microcred-stacking --bench evaluate`.

use criterion::{criterion_group, criterion_main, Criterion};

use microcred_model::{Credit, CreditSystem, Date, EqfLevel};
use microcred_stacking::{
    evaluate, Component, Constraints, HeldCredential, Issuers, Need, Organisation, Qualification, Rule,
    Verification,
};

const ACHIEVEMENTS: usize = 600;

fn achievement(n: usize) -> String {
    format!("https://provider.example/achievements/{}", n % ACHIEVEMENTS)
}

fn credentials() -> Vec<HeldCredential> {
    (0..200)
        .map(|i| HeldCredential {
            id: format!("urn:uuid:credential-{i}"),
            achievement_id: Some(achievement(i * 3)),
            title: format!("Micro-credential {i}"),
            issuer: format!("did:web:provider{}.example", i % 7),
            issuer_accredited: Some(i % 11 != 0),
            issued: Some(Date::parse(&format!("20{:02}-03-01", 18 + i % 9)).unwrap()),
            valid_until: None,
            credits: vec![Credit {
                system: CreditSystem::Ects,
                points: 5.0,
                hours_per_credit: None,
            }],
            eqf: Some(EqfLevel::new(4 + (i % 4) as u8).unwrap()),
            skills: vec![],
            digest_sri: None,
            notes: vec![],
            verification: if i % 17 == 0 {
                Verification::Excluded {
                    reason: "revoked".into(),
                }
            } else {
                Verification::Verified
            },
        })
        .collect()
}

fn qualification(q: usize) -> Qualification {
    let components: Vec<Component> = (0..12)
        .map(|c| Component {
            id: achievement(q * 5 + c * 7),
            title: format!("Unit {c}"),
            credentials: vec![],
            credits: Some(Credit {
                system: CreditSystem::Ects,
                points: 5.0,
                hours_per_credit: None,
            }),
            eqf: None,
            esco_skills: vec![],
            learning_outcomes: vec![],
        })
        .collect();
    let ids: Vec<String> = components.iter().map(|c| c.id.clone()).collect();
    let rule = |need| Rule {
        name: None,
        need,
        constraints: Constraints::default(),
    };
    Qualification {
        id: format!("https://body.example/qualifications/{q}"),
        title: format!("Qualification {q}"),
        description: None,
        source: "benchmark".into(),
        awarding_body: Organisation {
            id: "did:web:body.example".into(),
            name: "Body".into(),
        },
        eqf: None,
        nqf: None,
        credits: None,
        accept: Constraints {
            min_eqf_level: Some(EqfLevel::new(4).unwrap()),
            max_age: Some(microcred_model::XsdDuration::parse("P5Y").unwrap()),
            issuers: Some(Issuers::Accredited),
        },
        components,
        equivalences: vec![],
        requirements: vec![
            rule(Need::AllOf(ids[..3].to_vec())),
            rule(Need::NOf {
                n: 3,
                of: ids[3..8].to_vec(),
            }),
            rule(Need::MinCredits {
                points: 60.0,
                system: CreditSystem::Ects,
                from: vec![],
                any_credential: false,
            }),
            rule(Need::Rules {
                n: 1,
                rules: vec![
                    rule(Need::AllOf(ids[8..10].to_vec())),
                    rule(Need::MinCredits {
                        points: 20.0,
                        system: CreditSystem::Ects,
                        from: vec![],
                        any_credential: true,
                    }),
                ],
            }),
        ],
    }
}

fn bench(c: &mut Criterion) {
    let held = credentials();
    let qualifications: Vec<Qualification> = (0..1000).map(qualification).collect();
    let today = Date::parse("2026-06-01").unwrap();
    let complete = qualifications
        .iter()
        .filter(|q| evaluate(q, &held, &[], today).complete)
        .count();
    println!("200 credentials x 1,000 qualifications: {complete} complete");
    c.bench_function("evaluate 200 credentials against 1,000 qualifications", |b| {
        b.iter(|| {
            qualifications
                .iter()
                .map(|q| evaluate(q, &held, &[], today).complete as usize)
                .sum::<usize>()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
