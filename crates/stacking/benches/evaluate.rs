//! One learner holding 200 credentials, evaluated against 1,000 qualifications (target: under 100 ms).
//!
//! Run: `cargo bench -p microcred-stacking --bench evaluate`.

use criterion::{criterion_group, criterion_main, Criterion};

use microcred_model::{Credit, CreditSystem, Date, EqfLevel};
use microcred_stacking::{
    evaluate, Component, Constraints, HeldCredential, Issuers, Learner, Need, Organisation, Qualification,
    Rule, Verification,
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
    // The machine running this may be shared: CPU time (from /proc, Linux) is the fairer figure.
    let passes = 10;
    let (wall, cpu) = (std::time::Instant::now(), cpu_time_ns());
    for _ in 0..passes {
        let met: usize = qualifications
            .iter()
            .map(|q| evaluate(q, &held, &[], today).complete as usize)
            .sum();
        assert_eq!(met, complete);
    }
    let per_pass_wall = wall.elapsed().as_secs_f64() * 1000.0 / passes as f64;
    let per_pass_cpu = cpu
        .zip(cpu_time_ns())
        .map(|(a, b)| (b - a) as f64 / 1e6 / passes as f64);
    println!(
        "200 credentials x 1,000 qualifications ({complete} complete): {per_pass_wall:.1} ms wall, {} per pass",
        per_pass_cpu.map_or("CPU time unknown".to_string(), |ms| format!("{ms:.1} ms CPU"))
    );
    c.bench_function("evaluate 200 credentials against 1,000 qualifications", |b| {
        b.iter(|| {
            let learner = Learner::new(&held, today);
            qualifications
                .iter()
                .map(|q| learner.evaluate(q, &[]).complete as usize)
                .sum::<usize>()
        })
    });
    c.bench_function(
        "the same with evaluate() per qualification (no shared preparation)",
        |b| {
            b.iter(|| {
                qualifications
                    .iter()
                    .map(|q| evaluate(q, &held, &[], today).complete as usize)
                    .sum::<usize>()
            })
        },
    );
}

/// CPU time of this thread so far, from /proc/thread-self/schedstat (Linux), in nanoseconds.
fn cpu_time_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
