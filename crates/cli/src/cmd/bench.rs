//! `microcred bench`: time issuing and verifying an Open Badges 3.0 credential with both suites.

use std::process::ExitCode;
use std::time::Instant;

use microcred_vc::sample::ob3_sample_for;
use microcred_vc::{Cryptosuite, ProofOptions, SigningKeyPair, VerifyContext};

#[derive(clap::Args)]
pub struct Args {
    /// Credentials to issue and verify per suite.
    #[arg(long, default_value_t = 2000)]
    iterations: u32,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let iterations = args.iterations.max(1);
    let pair = SigningKeyPair::generate()?;
    let credential = ob3_sample_for(&pair.public().did_key());
    let ctx = VerifyContext::default();
    println!("Open Badges 3.0 credential, {iterations} iterations, one thread");
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let mut options = ProofOptions::new(pair.public());
        options.cryptosuite = suite;
        // One warm-up round so lazily built context caches are not counted.
        let signed = microcred_vc::sign(&credential, &pair, &options)?;
        let report = microcred_vc::verify(&signed, &ctx);
        anyhow::ensure!(
            report.verified,
            "the benchmark credential did not verify: {report:?}"
        );

        let start = Instant::now();
        let mut last = signed;
        for _ in 0..iterations {
            last = microcred_vc::sign(&credential, &pair, &options)?;
        }
        let issue_us = start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);

        let start = Instant::now();
        let mut verified = 0u32;
        for _ in 0..iterations {
            verified += u32::from(microcred_vc::verify(&last, &ctx).verified);
        }
        let verify_us = start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
        anyhow::ensure!(verified == iterations, "some verifications failed");
        println!(
            "{:<16} issue {issue_us:>8.1} us/credential   verify {verify_us:>8.1} us/credential",
            suite.name()
        );
    }
    Ok(ExitCode::SUCCESS)
}
