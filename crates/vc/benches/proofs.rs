//! Issue and verify an Open Badges 3.0 credential with each suite (one core).
//! Run: `cargo bench -p microcred-vc --bench proofs`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use microcred_vc::proof::{verify_proof_signature, UnsecuredDocument};
use microcred_vc::sample::ob3_sample_for;
use microcred_vc::{sign, verify, Cryptosuite, ProofOptions, SigningKeyPair, VerifyContext};

fn bench(c: &mut Criterion) {
    let pair = SigningKeyPair::from_seed(&[42; 32]);
    let credential = ob3_sample_for(&pair.public().did_key());
    let ctx = VerifyContext::default();
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let mut options = ProofOptions::new(pair.public());
        options.cryptosuite = suite;
        let signed = sign(&credential, &pair, &options).unwrap();
        assert!(verify(&signed, &ctx).verified);

        c.bench_function(&format!("{}/issue", suite.name()), |b| {
            b.iter(|| sign(black_box(&credential), &pair, &options).unwrap())
        });
        c.bench_function(&format!("{}/verify (all checks)", suite.name()), |b| {
            b.iter(|| assert!(verify(black_box(&signed), &ctx).verified))
        });
        let proof = signed["proof"].as_object().unwrap();
        c.bench_function(&format!("{}/verify (proof only)", suite.name()), |b| {
            b.iter(|| {
                let unsecured = UnsecuredDocument::from_secured(black_box(&signed));
                verify_proof_signature(&unsecured, proof, pair.public()).unwrap()
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
