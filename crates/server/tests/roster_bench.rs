//! Benchmark (ignored by default): a roster of N learners (default 100,000; `MICROCRED_BENCH_ROWS`)
//! is uploaded, issued, signed (eddsa-rdfc-2022), stored and delivered to the outbox; prints the time
//! from upload to the job's end and checks exactly N credentials with distinct status slots.
//! Run in release mode:
//!   cargo test --release -p microcred-server --test roster_bench -- --ignored --nocapture
//! PostgreSQL: MICROCRED_BENCH_DB=postgres (uses MICROCRED_TEST_POSTGRES).

mod common;
mod issuing_support;

use std::time::Instant;

use common::{run, TestDb, TestServer};
use issuing_support::*;

fn rows() -> usize {
    std::env::var("MICROCRED_BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

async fn bench(server: TestServer) {
    let issuer = issuer(&server.base).await;
    let n = rows();
    let mut roster = String::from("email,name,grade\n");
    for i in 0..n {
        roster.push_str(&format!("learner{i}@example.org,Learner Number {i},Pass\n"));
    }
    let started = Instant::now();
    let job = upload(&issuer.machine, &issuer.description_id, roster.into_bytes())
        .await
        .expect(202)
        .body;
    let uploaded = started.elapsed();
    let done = wait_job(&issuer.machine, job["id"].as_str().unwrap(), 600).await;
    let elapsed = started.elapsed();
    assert_eq!(done["done"].as_u64(), Some(n as u64), "{done}");
    assert_eq!(done["failed"].as_u64(), Some(0), "{done}");
    assert_eq!(server.store.count_credentials(None).await.unwrap(), n as i64);
    println!(
        "roster of {n} on {:?}: upload and store rows {:.2} s, total {:.2} s, {:.0} credentials/s",
        server.store.backend(),
        uploaded.as_secs_f64(),
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run in release mode with --ignored"]
async fn roster_benchmark() {
    let db = if std::env::var("MICROCRED_BENCH_DB").as_deref() == Ok("postgres") {
        TestDb::postgres().await.expect("PostgreSQL for the benchmark")
    } else {
        TestDb::sqlite()
    };
    run(db, bench).await;
}
