//! Bad input gets a 4xx problem-details answer naming the field, and changes nothing: the audit log
//! (append-only, one row per change) and the stored description are compared before and after.

mod common;

use common::{audit_total, description, run, world, Api, TestDb, TestServer};
use reqwest::Method;
use serde_json::json;

async fn bad_input(server: TestServer) {
    let w = world(&server.base).await;
    let id = w
        .atu
        .post(
            "/api/descriptions",
            json!({ "description": description("Solid Ground", 5.0) }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/descriptions/{id}");
    let before = w.atu.get(&path).await.expect(200).body;
    let audit_before = audit_total(&w.admin).await;

    // Malformed JSON.
    w.atu
        .raw(
            Method::PUT,
            &path,
            "application/json",
            b"{\"description\": {".to_vec(),
        )
        .await
        .problem(400);
    w.atu
        .raw(
            Method::POST,
            "/api/descriptions",
            "application/json",
            b"not json".to_vec(),
        )
        .await
        .problem(400);
    // Wrong types, with the JSON pointer of the field.
    let mut wrong = description("Solid Ground", 5.0);
    wrong["level"]["eqf"] = json!("six");
    let resp = w
        .atu
        .put(&path, json!({ "description": wrong }))
        .await
        .problem(422);
    assert_eq!(resp.body["errors"][0]["pointer"], "/description/level/eqf");
    let mut wrong = description("Solid Ground", 5.0);
    wrong["workload"]["credits"][0]["points"] = json!([5]);
    let resp = w
        .atu
        .put(&path, json!({ "description": wrong }))
        .await
        .problem(422);
    assert_eq!(
        resp.body["errors"][0]["pointer"],
        "/description/workload/credits/0/points"
    );
    // An unknown vocabulary value: the error lists the allowed values.
    let mut wrong = description("Solid Ground", 5.0);
    wrong["participation"]["modes"] = json!(["online", "telepathic"]);
    let resp = w
        .atu
        .put(&path, json!({ "description": wrong }))
        .await
        .problem(422);
    assert_eq!(
        resp.body["errors"][0]["pointer"],
        "/description/participation/modes/1"
    );
    assert!(
        resp.body["detail"].as_str().unwrap().contains("blended"),
        "{}",
        resp.body
    );
    // An unknown field.
    let resp = w
        .atu
        .put(
            &path,
            json!({ "description": description("Solid Ground", 5.0), "colour": "red" }),
        )
        .await
        .problem(422);
    assert!(resp.body["errors"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("colour"));
    // Unknown profile and authority.
    let resp = w
        .atu
        .post(
            "/api/descriptions",
            json!({ "description": description("X", 5.0), "profile": "atlantis" }),
        )
        .await
        .problem(422);
    assert_eq!(resp.body["errors"][0]["pointer"], "/profile");
    w.atu
        .post(
            "/api/descriptions",
            json!({ "description": description("X", 5.0), "authority_id": "atu" }),
        )
        .await
        .problem(422);
    // An oversized body (over 1 MiB) is refused before parsing.
    let huge = format!(
        "{{\"description\": {{\"title\": {{\"en\": \"{}\"}}}}}}",
        "x".repeat(1_100_000)
    );
    w.atu
        .raw(Method::PUT, &path, "application/json", huge.into_bytes())
        .await
        .problem(413);
    // Not JSON at all.
    w.atu
        .raw(Method::PUT, &path, "text/plain", b"hello".to_vec())
        .await
        .problem(415);
    // Bad query parameters.
    let public = Api::anonymous(&server.base);
    let resp = public.get("/api/register?eqf=9").await.problem(400);
    assert_eq!(resp.body["errors"][0]["pointer"], "/query/eqf");
    public.get("/api/register?mode=telepathic").await.problem(400);
    public.get("/api/register?colour=red").await.problem(400);
    public.get("/api/register?isced=9999").await.problem(400);
    // Unknown endpoints and methods are problems too.
    public.get("/api/nothing-here").await.problem(404);
    public
        .send(Method::DELETE, "/api/register", None, &[])
        .await
        .problem(405);
    // Wrong state transition and a malformed If-Match.
    w.qqi.post_empty(&format!("{path}/approve")).await.problem(409);
    w.atu
        .send(
            Method::PUT,
            &path,
            Some(json!({ "description": description("Solid Ground", 6.0) })),
            &[("if-match", "banana")],
        )
        .await
        .problem(400);
    // Bad login.
    public
        .post(
            "/api/login",
            json!({ "email": "staff@atu.example", "password": "wrong" }),
        )
        .await
        .problem(401);
    public
        .post("/api/login", json!({ "email": "staff@atu.example" }))
        .await
        .problem(422);

    assert_eq!(
        audit_total(&w.admin).await,
        audit_before,
        "no bad request changed anything"
    );
    let after = w.atu.get(&path).await.expect(200).body;
    assert_eq!(after, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_on_sqlite() {
    run(TestDb::sqlite(), bad_input).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, bad_input).await;
    }
}
