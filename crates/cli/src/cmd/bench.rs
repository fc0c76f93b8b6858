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

struct Timing {
    mean_us: f64,
    /// The fastest batch of 50: on a machine shared with other work this is the better estimate of
    /// what one free core does.
    best_batch_us: f64,
}

fn time(iterations: u32, mut work: impl FnMut()) -> Timing {
    const BATCH: u32 = 50;
    let start = Instant::now();
    let mut best = f64::MAX;
    let mut done = 0;
    while done < iterations {
        let n = BATCH.min(iterations - done);
        let batch = Instant::now();
        for _ in 0..n {
            work();
        }
        best = best.min(batch.elapsed().as_secs_f64() * 1e6 / f64::from(n));
        done += n;
    }
    Timing {
        mean_us: start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations),
        best_batch_us: best,
    }
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

        let mut last = signed;
        let issue = time(iterations, || {
            last = microcred_vc::sign(&credential, &pair, &options).expect("signing the sample works");
        });
        let mut verified = 0u32;
        let check = time(iterations, || {
            verified += u32::from(microcred_vc::verify(&last, &ctx).verified)
        });
        anyhow::ensure!(verified == iterations, "some verifications failed");
        println!(
            "{:<16} issue {:>7.1} us/credential (best batch {:>6.1})   verify {:>7.1} us/credential (best batch {:>6.1})",
            suite.name(),
            issue.mean_us,
            issue.best_batch_us,
            check.mean_us,
            check.best_batch_us
        );
    }
    Ok(ExitCode::SUCCESS)
}
