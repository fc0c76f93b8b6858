//! A roster job survives SIGKILL: the server is killed in the middle of a 2,000-row job and started
//! again on the same SQLite file; the job resumes where it stopped (its lease runs out) and ends with
//! exactly 2,000 credentials, no status slot twice. Then `microcred roster upload` reports a bad row.

mod serve_support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use serve_support::{call, description, login, setup, spawn, ADMIN};

const ROWS: usize = 2_000;

fn job(base: &str, token: &str, id: &str) -> Value {
    let (status, job) = call(
        "GET",
        &format!("{base}/api/jobs/{id}"),
        None,
        None,
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(status, 200, "{job}");
    job
}

/// ATU's published description, accredited by QQI, and an issuing token.
fn issuer(base: &str) -> (String, String) {
    setup(base);
    let (atu, qqi) = (
        login(base, "staff@atu.example"),
        login(base, "reviewer@qqi.example"),
    );
    let (status, made) = atu.post(
        base,
        "/api/descriptions",
        json!({ "description": description("Data Pipelines", 5.0) }),
    );
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_str().unwrap().to_string();
    assert_eq!(
        atu.post(base, &format!("/api/descriptions/{id}/submit"), json!({}))
            .0,
        200
    );
    assert_eq!(
        qqi.post(base, &format!("/api/descriptions/{id}/start-review"), json!({}))
            .0,
        200
    );
    assert_eq!(
        qqi.post(
            base,
            &format!("/api/descriptions/{id}/approve"),
            json!({ "note": "ok" })
        )
        .0,
        200
    );
    assert_eq!(
        atu.post(base, &format!("/api/descriptions/{id}/publish"), json!({}))
            .0,
        200
    );
    let accreditation =
        json!({ "provider_id": "atu", "kind": "institutional", "eqf_levels": [6], "countries": ["IE"] });
    assert_eq!(qqi.post(base, "/api/accreditations", accreditation).0, 201);
    let (status, token) = atu.post(
        base,
        "/api/tokens",
        json!({ "name": "roster", "scopes": ["credentials:issue"] }),
    );
    assert_eq!(status, 201, "{token}");
    let _ = ADMIN;
    (id, token["token"].as_str().unwrap().to_string())
}

#[test]
fn sigkill_during_a_roster_job_issues_each_row_once() {
    let dir = std::env::temp_dir().join(microcred_server::store::new_id("mc_roster_crash"));
    std::fs::create_dir_all(&dir).unwrap();
    let db_file = dir.join("roster.db");
    let database = format!("sqlite://{}", db_file.display());
    // Short leases so the restarted server takes the job over quickly; small batches so the kill
    // lands between batches and inside one.
    std::env::set_var("MICROCRED_JOB_LEASE_SECS", "2");
    std::env::set_var("MICROCRED_JOB_BATCH", "100");
    let mut server = spawn(&database);
    let (description_id, token) = issuer(&server.base);

    let mut roster = String::from("email,name\n");
    for i in 0..ROWS {
        roster.push_str(&format!("learner{i}@example.org,Learner {i}\n"));
    }
    let response = ureq::post(&format!(
        "{}/api/descriptions/{description_id}/rosters",
        server.base
    ))
    .set("Authorization", &format!("Bearer {token}"))
    .set("Content-Type", "text/csv")
    .send_bytes(roster.as_bytes())
    .expect("the roster is accepted");
    assert_eq!(response.status(), 202);
    let job_id = serde_json::from_str::<Value>(&response.into_string().unwrap()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Kill it hard once part of the job is done.
    let started = Instant::now();
    let done_at_kill = loop {
        let done = job(&server.base, &token, &job_id)["done"].as_u64().unwrap();
        if done >= 300 {
            server.kill_hard();
            break done;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the job does not progress"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(
        done_at_kill < ROWS as u64,
        "killed in the middle ({done_at_kill} done)"
    );

    // Start again on the same file: the job resumes and finishes.
    let server = spawn(&database);
    let started = Instant::now();
    let finished = loop {
        let job = job(&server.base, &token, &job_id);
        if job["state"] == "done" {
            break job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the job did not resume: {job}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        (finished["done"].as_u64(), finished["failed"].as_u64()),
        (Some(ROWS as u64), Some(0)),
        "{finished}"
    );

    // The command-line client: one good and one bad row; the bad row is reported, exit status 1.
    let small = dir.join("small.csv");
    std::fs::write(
        &small,
        "email,name\nnew@example.org,New Learner\nbroken-address,Someone\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_microcred"))
        .args([
            "roster",
            "upload",
            "--server",
            &server.base,
            "--description",
            &description_id,
        ])
        .arg(&small)
        .env("MICROCRED_TOKEN", &token)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 issued, 1 not issued"), "{stdout}");
    assert!(stdout.contains("row 3, column email"), "{stdout}");
    drop(server);

    // Exactly one credential per row, and no status slot twice.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = microcred_server::Store::open(&database).await.unwrap();
        assert_eq!(store.count_credentials(Some(&job_id)).await.unwrap(), ROWS as i64);
        assert_eq!(store.count_credentials(None).await.unwrap(), ROWS as i64 + 1);
        assert_eq!(store.status_slot_duplicates().await.unwrap(), 0);
        store.close().await;
    });
    let _ = std::fs::remove_dir_all(&dir);
}
