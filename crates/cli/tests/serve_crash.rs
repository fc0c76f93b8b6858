//! A server killed with SIGKILL in the middle of writes loses no acknowledged write and leaves nothing
//! half-written: after a restart on the same SQLite file every acknowledged description and version is
//! there, every description's versions are complete, and every change has its audit entry.

mod serve_support;

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;
use serve_support::{description, login, setup, spawn};

#[test]
fn sigkill_during_writes_loses_nothing_acknowledged() {
    let dir = std::env::temp_dir().join(microcred_server::store::new_id("mc_crash"));
    std::fs::create_dir_all(&dir).unwrap();
    let database = format!("sqlite://{}", dir.join("crash.db").display());
    let mut server = spawn(&database);
    setup(&server.base);
    let provider = login(&server.base, "staff@atu.example");

    // Acknowledged writes: (description id, version) the server answered 2xx for.
    let acked: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (provider, base, acked) = (provider.clone(), server.base.clone(), acked.clone());
            thread::spawn(move || {
                for n in 0.. {
                    let id = format!("crash-{w}-{n}");
                    let body =
                        json!({ "id": id, "description": description(&format!("Course {w}/{n}"), 5.0) });
                    let (status, _) = provider.post(&base, "/api/descriptions", body);
                    if status == 0 {
                        return; // the server is gone
                    }
                    assert_eq!(status, 201);
                    acked.lock().unwrap().push((id.clone(), 1));
                    let (status, reply) = provider.put(
                        &base,
                        &format!("/api/descriptions/{id}"),
                        json!({ "description": description("Edited", 6.0) }),
                        &[],
                    );
                    if status == 0 {
                        return;
                    }
                    assert_eq!(status, 200, "{reply}");
                    acked.lock().unwrap().push((id, 2));
                }
            })
        })
        .collect();

    let start = Instant::now();
    while acked.lock().unwrap().len() < 200 && start.elapsed() < Duration::from_secs(60) {
        thread::sleep(Duration::from_millis(20));
    }
    server.kill_hard();
    for writer in writers {
        writer
            .join()
            .expect("a writer saw only successes or a closed connection");
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 200,
        "the server acknowledged writes before it was killed"
    );

    let server = spawn(&database);
    let provider = login(&server.base, "staff@atu.example");
    for (id, version) in &acked {
        let (status, body) = provider.get(&server.base, &format!("/api/descriptions/{id}"));
        assert_eq!(
            status, 200,
            "acknowledged description {id} is missing after the crash"
        );
        assert!(
            body["record"]["current_version"].as_i64().unwrap() >= *version,
            "acknowledged version {version} of {id} is lost"
        );
    }
    // Nothing half-written: every stored description has all its versions, each readable, and an
    // audit entry per change.
    let admin = login(&server.base, serve_support::ADMIN);
    let (_, listing) = provider.get(&server.base, "/api/descriptions");
    let items = listing["items"].as_array().unwrap();
    assert!(items.len() >= acked.iter().filter(|(_, v)| *v == 1).count());
    for item in items {
        let id = item["id"].as_str().unwrap();
        let current = item["current_version"].as_i64().unwrap();
        let (_, versions) = provider.get(&server.base, &format!("/api/descriptions/{id}/versions"));
        let numbers: Vec<i64> = versions["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_i64().unwrap())
            .collect();
        assert_eq!(
            numbers,
            (1..=current).collect::<Vec<_>>(),
            "{id}: versions match the record"
        );
        let (status, version) = provider.get(
            &server.base,
            &format!("/api/descriptions/{id}/versions/{current}"),
        );
        assert_eq!(status, 200);
        assert!(
            version["description"]["title"]["en"].is_string(),
            "{id}: the body is whole"
        );
        let (_, audit) = admin.get(&server.base, &format!("/api/audit?entity={id}"));
        assert_eq!(
            audit["items"].as_array().unwrap().len() as i64,
            current,
            "{id}: one audit entry per change"
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
