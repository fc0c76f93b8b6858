//! Two server processes (two stores and job workers) on one PostgreSQL database issue two rosters of
//! the same provider at once: each row once, every status slot distinct (random slots drawn by two
//! processes collide only in the database's UNIQUE constraint, and the loser draws again).

mod common;
mod issuing_support;

use common::{start, TestDb};
use issuing_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_issue_rosters_of_one_provider_at_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    environment();
    let (a, b) = (start(&db.url()).await, start(&db.url()).await);
    let issuer = issuer(&a.base).await;
    let on_b = common::Api::with_token(&b.base, issuer.machine_token());
    let roster = |prefix: &str| {
        let rows: Vec<(String, String)> = (0..1000)
            .map(|i| (format!("{prefix}{i}@example.org"), format!("Learner {i}")))
            .collect();
        let pairs: Vec<(&str, &str)> = rows.iter().map(|(e, n)| (e.as_str(), n.as_str())).collect();
        csv(&pairs)
    };
    let first = upload(&issuer.machine, &issuer.description_id, roster("a"))
        .await
        .expect(202)
        .body;
    let second = upload(&on_b, &issuer.description_id, roster("b"))
        .await
        .expect(202)
        .body;
    let (first, second) = tokio::join!(
        wait_job(&issuer.machine, first["id"].as_str().unwrap(), 120),
        wait_job(&on_b, second["id"].as_str().unwrap(), 120)
    );
    for job in [&first, &second] {
        assert_eq!(
            (job["done"].as_i64(), job["failed"].as_i64()),
            (Some(1000), Some(0)),
            "{job}"
        );
    }
    assert_eq!(a.store.count_credentials(None).await.unwrap(), 2000);
    assert_eq!(a.store.status_slot_duplicates().await.unwrap(), 0);
    a.store.close().await;
    b.store.close().await;
    db.remove().await;
}
