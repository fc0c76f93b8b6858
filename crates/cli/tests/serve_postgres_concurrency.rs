//! Two `microcred serve` processes on one PostgreSQL database: concurrent submissions, decisions and
//! edits of the same descriptions. Exactly one of each racing pair wins (the other gets 409 or 412),
//! and the audit log holds exactly the winning changes: no lost update, no double transition.

mod serve_support;

use std::thread;

use serde_json::{json, Value};
use serve_support::{description, login, setup, spawn, PgDatabase, Session};

const DESCRIPTIONS: usize = 12;

/// Run two requests at once, one through each server; return both statuses.
fn race(
    a: impl FnOnce() -> (u16, Value) + Send,
    b: impl FnOnce() -> (u16, Value) + Send,
) -> [(u16, Value); 2] {
    thread::scope(|s| {
        let a = s.spawn(a);
        let b = s.spawn(b);
        [a.join().unwrap(), b.join().unwrap()]
    })
}

fn one_winner(results: &[(u16, Value); 2], what: &str) -> usize {
    let wins: Vec<usize> = (0..2).filter(|i| results[*i].0 == 200).collect();
    assert_eq!(
        wins.len(),
        1,
        "{what}: exactly one of the racing requests must win: {results:?}"
    );
    let loser = &results[1 - wins[0]];
    assert!(
        matches!(loser.0, 409 | 412),
        "{what}: the loser gets a conflict: {loser:?}"
    );
    wins[0]
}

#[test]
fn two_servers_share_one_postgres_without_lost_updates() {
    let Some(db) = PgDatabase::create() else { return };
    let a = spawn(&db.url);
    setup(&a.base);
    let b = spawn(&db.url);
    let bases = [a.base.clone(), b.base.clone()];

    // Sessions live in the database: a login on server A works on server B.
    let provider = login(&bases[0], "staff@atu.example");
    let reviewer = login(&bases[1], "reviewer@qqi.example");
    assert_eq!(provider.get(&bases[1], "/api/me").0, 200);

    let ids: Vec<String> = (0..DESCRIPTIONS)
        .map(|i| {
            let (status, body) = provider.post(
                &bases[i % 2],
                "/api/descriptions",
                json!({ "description": description(&format!("Course {i}"), 5.0) }),
            );
            assert_eq!(status, 201, "{body}");
            body["id"].as_str().unwrap().to_string()
        })
        .collect();

    let act = |who: &Session, server: usize, id: &str, action: &str, note: &str| {
        let (who, base, id, action, note) = (
            who.clone(),
            bases[server].clone(),
            id.to_string(),
            action.to_string(),
            note.to_string(),
        );
        move || {
            who.post(
                &base,
                &format!("/api/descriptions/{id}/{action}"),
                json!({ "note": note }),
            )
        }
    };
    let mut expected_changes = [1usize; DESCRIPTIONS]; // "create"
    let mut final_states = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        // Two concurrent edits from the same read (same If-Match): one new version, not two.
        let (_, current) = provider.get(&bases[0], &format!("/api/descriptions/{id}"));
        let etag = format!("\"{}\"", current["record"]["row_version"]);
        let edit = |server: usize, ects: f64| {
            let (provider, base, id, etag) =
                (provider.clone(), bases[server].clone(), id.clone(), etag.clone());
            move || {
                provider.put(
                    &base,
                    &format!("/api/descriptions/{id}"),
                    json!({ "description": description("Edited", ects) }),
                    &[("if-match", &etag)],
                )
            }
        };
        let results = race(edit(0, 6.0), edit(1, 7.0));
        one_winner(&results, "edit");
        expected_changes[i] += 1;

        // Concurrent submissions of the same description through both servers.
        one_winner(
            &race(
                act(&provider, 0, id, "submit", ""),
                act(&provider, 1, id, "submit", ""),
            ),
            "submit",
        );
        expected_changes[i] += 1;
        one_winner(
            &race(
                act(&reviewer, 0, id, "start-review", ""),
                act(&reviewer, 1, id, "start-review", ""),
            ),
            "start-review",
        );
        expected_changes[i] += 1;
        // Conflicting decisions at the same moment: approve on one server, reject on the other.
        let results = race(
            act(&reviewer, i % 2, id, "approve", "fine"),
            act(&reviewer, 1 - i % 2, id, "reject", "not fine"),
        );
        let winner = one_winner(&results, "decision");
        expected_changes[i] += 1;
        final_states.push(results[winner].1["state"].as_str().unwrap().to_string());
    }

    let admin = login(&bases[1], serve_support::ADMIN);
    for (i, id) in ids.iter().enumerate() {
        let (_, record) = reviewer.get(&bases[i % 2], &format!("/api/descriptions/{id}"));
        assert_eq!(
            record["record"]["state"],
            final_states[i].as_str(),
            "the winning decision is the stored one"
        );
        assert_eq!(
            record["record"]["current_version"], 2,
            "one edit won, so two versions"
        );
        let (_, decisions) = reviewer.get(&bases[0], &format!("/api/descriptions/{id}/decisions"));
        assert_eq!(
            decisions["items"].as_array().unwrap().len(),
            1,
            "one decision recorded"
        );
        let (_, audit) = admin.get(&bases[0], &format!("/api/audit?entity={id}&limit=100"));
        assert_eq!(
            audit["items"].as_array().unwrap().len(),
            expected_changes[i],
            "audit log = winning changes: {audit}"
        );
    }
    drop((a, b));
}
