//! The whole quality-assurance workflow over HTTP, on SQLite and on PostgreSQL: submit, review,
//! request changes, resubmit, approve, publish, edit and re-validate, withdraw.

mod common;

use common::{audit_total, description, run, world, TestDb, TestServer};
use serde_json::{json, Value};

async fn state_of(api: &common::Api, id: &str) -> Value {
    api.get(&format!("/api/descriptions/{id}")).await.expect(200).body
}

async fn search_ids(api: &common::Api, query: &str) -> Vec<String> {
    let body = api.get(&format!("/api/register?{query}")).await.expect(200).body;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

async fn workflow(server: TestServer) {
    let w = world(&server.base).await;
    let public = common::Api::anonymous(&server.base);

    // A provider drafts; it is not in the register.
    let created = w
        .atu
        .post(
            "/api/descriptions",
            json!({ "description": description("Applied Data Analytics", 5.0) }),
        )
        .await
        .expect(201);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(created.body["state"], "draft");
    assert_eq!(
        created.body["authority_id"], "qqi",
        "defaults to the authority of the provider's country"
    );
    assert_eq!(created.body["profile"], "ie");
    assert!(search_ids(&public, "q=analytics").await.is_empty());

    // Submit: the compliance report is attached.
    let submitted = w
        .atu
        .post_empty(&format!("/api/descriptions/{id}/submit"))
        .await
        .expect(200);
    assert_eq!(submitted.body["state"], "submitted");
    let current = state_of(&w.atu, &id).await;
    assert_eq!(current["report"]["profile"], "ie");
    assert!(current["report"]["rules_version"].is_string());

    // The authority reviews, comments and requests changes (a note is required).
    w.qqi
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .expect(200);
    w.qqi
        .post(
            &format!("/api/descriptions/{id}/comments"),
            json!({ "body": "Add the grading scale.", "pointer": "/assessment/grading_scheme" }),
        )
        .await
        .expect(201);
    w.qqi
        .post_empty(&format!("/api/descriptions/{id}/request-changes"))
        .await
        .problem(422);
    w.qqi
        .post(
            &format!("/api/descriptions/{id}/request-changes"),
            json!({ "note": "Add the grading scale." }),
        )
        .await
        .expect(200);

    // The provider edits (a new version) and resubmits; the second review approves.
    let mut fixed = description("Applied Data Analytics", 5.0);
    fixed["assessment"]["grading_scheme"] = json!("1-100, pass at 40");
    let edited = w
        .atu
        .put(
            &format!("/api/descriptions/{id}"),
            json!({ "description": fixed }),
        )
        .await
        .expect(200);
    assert_eq!(edited.body["record"]["current_version"], 2);
    assert_eq!(edited.body["record"]["state"], "changes-requested");
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/submit"))
        .await
        .expect(200);
    w.qqi
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .expect(200);
    w.qqi
        .post(
            &format!("/api/descriptions/{id}/approve"),
            json!({ "note": "Compliant." }),
        )
        .await
        .expect(200);

    let decisions = w
        .qqi
        .get(&format!("/api/descriptions/{id}/decisions"))
        .await
        .expect(200)
        .body;
    let decisions = decisions["items"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0]["decision"], "changes-requested");
    assert_eq!(decisions[1]["decision"], "approved");
    assert_eq!(decisions[1]["version"], 2);
    assert_eq!(
        decisions[1]["decided_by"],
        w.qqi.get("/api/me").await.body["user"]["id"]
    );
    assert_eq!(decisions[1]["profile"], "ie");
    assert!(decisions[1]["report"]["findings"].is_array());

    // Publish: the register finds it, by text and by filters, as JSON and as ELM.
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/publish"))
        .await
        .expect(200);
    assert_eq!(search_ids(&public, "q=analytics").await, vec![id.as_str()]);
    assert_eq!(
        search_ids(&public, "q=spreadsheet&eqf=6&country=IE&isced=06&mode=online").await,
        vec![id.as_str()]
    );
    assert!(search_ids(&public, "q=analytics&eqf=7").await.is_empty());
    assert!(search_ids(&public, "credits_min=6").await.is_empty());
    let entry = public.get(&format!("/api/register/{id}")).await.expect(200).body;
    assert_eq!(entry["version"], 2);
    let elm = public
        .get(&format!("/api/register/{id}?format=elm"))
        .await
        .expect(200);
    assert_eq!(elm.header("content-type").as_deref(), Some("application/ld+json"));
    assert_eq!(elm.body["type"], "LearningOpportunity");
    assert_eq!(
        elm.body["learningAchievementSpecification"]["EQFLevel"]["id"],
        "http://data.europa.eu/snb/eqf/6"
    );

    // Editing the published description with more credits needs re-validation: the published
    // version stays in the register and issuable until the new one is approved and published.
    let bigger = description("Applied Data Analytics", 10.0);
    let edited = w
        .atu
        .put(
            &format!("/api/descriptions/{id}"),
            json!({ "description": bigger }),
        )
        .await
        .expect(200);
    assert_eq!(edited.body["change_impact"]["requires_revalidation"], true);
    let record = &edited.body["record"];
    assert_eq!(record["state"], "draft");
    assert_eq!(record["requires_revalidation"], true);
    assert_eq!(record["current_version"], 3);
    assert_eq!(record["published_version"], 2);
    assert_eq!(
        public.get(&format!("/api/register/{id}")).await.expect(200).body["version"],
        2
    );
    assert_eq!(
        search_ids(&public, "q=analytics&credits_max=5").await,
        vec![id.as_str()]
    );

    w.atu
        .post_empty(&format!("/api/descriptions/{id}/submit"))
        .await
        .expect(200);
    w.qqi
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .expect(200);
    let approved = w
        .qqi
        .post_empty(&format!("/api/descriptions/{id}/approve"))
        .await
        .expect(200);
    assert_eq!(approved.body["requires_revalidation"], false);
    assert_eq!(
        approved.body["published_version"], 2,
        "still the old version until published"
    );
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/publish"))
        .await
        .expect(200);
    assert_eq!(
        public.get(&format!("/api/register/{id}")).await.expect(200).body["version"],
        3
    );
    assert_eq!(
        search_ids(&public, "q=analytics&credits_min=10").await,
        vec![id.as_str()]
    );
    // The earlier published version keeps its URL; a never-published one has none.
    public
        .get(&format!("/api/register/{id}/versions/2"))
        .await
        .expect(200);
    public
        .get(&format!("/api/register/{id}/versions/1"))
        .await
        .problem(404);

    // Withdraw: out of the register.
    w.atu
        .post(
            &format!("/api/descriptions/{id}/withdraw"),
            json!({ "note": "Replaced." }),
        )
        .await
        .expect(200);
    public.get(&format!("/api/register/{id}")).await.problem(404);
    assert!(search_ids(&public, "q=analytics").await.is_empty());

    // Every state change is in the audit log with who, before and after.
    let log = w
        .admin
        .get(&format!("/api/audit?entity={id}&limit=100"))
        .await
        .expect(200)
        .body;
    let steps: Vec<(String, String, String)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .filter(|e| e["action"] != "comment")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (s("action"), s("before_state"), s("after_state"))
        })
        .collect();
    let expected = [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("start-review", "submitted", "in-review"),
        ("request-changes", "in-review", "changes-requested"),
        ("edit", "changes-requested", "changes-requested"),
        ("submit", "changes-requested", "submitted"),
        ("start-review", "submitted", "in-review"),
        ("approve", "in-review", "approved"),
        ("publish", "approved", "published"),
        ("edit", "published", "draft"),
        ("submit", "draft", "submitted"),
        ("start-review", "submitted", "in-review"),
        ("approve", "in-review", "approved"),
        ("publish", "approved", "published"),
        ("withdraw", "published", "withdrawn"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(steps, expected);
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor_id"].is_string()));
}

/// Wrong transitions are 409 problems and change nothing.
async fn wrong_transitions(server: TestServer) {
    let w = world(&server.base).await;
    let id = w
        .atu
        .post(
            "/api/descriptions",
            json!({ "description": description("Lean Basics", 5.0) }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before_audit = audit_total(&w.admin).await;
    let before = state_of(&w.atu, &id).await;
    w.qqi
        .post_empty(&format!("/api/descriptions/{id}/approve"))
        .await
        .problem(409);
    w.qqi
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .problem(409);
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/publish"))
        .await
        .problem(409);
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/withdraw"))
        .await
        .problem(409);
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/submit"))
        .await
        .expect(200);
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/submit"))
        .await
        .problem(409);
    // Submitted descriptions are frozen until the authority decides.
    w.atu
        .put(
            &format!("/api/descriptions/{id}"),
            json!({ "description": description("Lean Basics", 6.0) }),
        )
        .await
        .problem(409);
    assert_eq!(
        audit_total(&w.admin).await,
        before_audit + 1,
        "only the valid submit was recorded"
    );
    let after = state_of(&w.atu, &id).await;
    assert_eq!(
        after["record"]["current_version"],
        before["record"]["current_version"]
    );
    assert_eq!(after["description"], before["description"]);

    // A stale If-Match is refused with 412 and changes nothing.
    let etag = w
        .qqi
        .get(&format!("/api/descriptions/{id}"))
        .await
        .expect(200)
        .header("etag")
        .unwrap();
    w.qqi
        .send(
            reqwest::Method::POST,
            &format!("/api/descriptions/{id}/start-review"),
            None,
            &[("if-match", "\"1\"")],
        )
        .await
        .problem(412);
    w.qqi
        .send(
            reqwest::Method::POST,
            &format!("/api/descriptions/{id}/start-review"),
            None,
            &[("if-match", &etag)],
        )
        .await
        .expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_on_sqlite() {
    run(TestDb::sqlite(), workflow).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, workflow).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_transitions_on_sqlite() {
    run(TestDb::sqlite(), wrong_transitions).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_transitions_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, wrong_transitions).await;
    }
}
