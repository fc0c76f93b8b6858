//! The permission matrix enforced over HTTP (docs/permissions.md), on SQLite and PostgreSQL.

mod common;

use common::{audit_total, description, run, world, Api, TestDb, TestServer};
use serde_json::json;

async fn matrix(server: TestServer) {
    // Trust lists are signed with the authority's key, sealed under the server's master key.
    std::env::set_var(
        "MICROCRED_MASTER_KEY",
        "test-master-key-0123456789abcdef0123456789",
    );
    let w = world(&server.base).await;
    let anonymous = Api::anonymous(&server.base);
    let id = w
        .atu
        .post(
            "/api/descriptions",
            json!({ "description": description("Cloud Basics", 5.0) }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/submit"))
        .await
        .expect(200);
    let before = audit_total(&w.admin).await;

    // No credentials, or forged ones: 401.
    anonymous.get("/api/descriptions").await.problem(401);
    anonymous
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .problem(401);
    Api::with_token(&server.base, "mct_forged")
        .get("/api/descriptions")
        .await
        .problem(401);
    let forged_cookie = anonymous
        .send(
            reqwest::Method::GET,
            "/api/me",
            None,
            &[("cookie", "microcred_session=mcs_forged")],
        )
        .await;
    forged_cookie.problem(401);

    // A provider cannot review or approve, even its own description.
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .problem(403);
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/approve"))
        .await
        .problem(403);
    // Another provider does not even see it.
    w.ucd.get(&format!("/api/descriptions/{id}")).await.problem(404);
    w.ucd
        .put(
            &format!("/api/descriptions/{id}"),
            json!({ "description": description("Mine now", 5.0) }),
        )
        .await
        .problem(404);
    // An authority of another country does not review it.
    w.aneca.get(&format!("/api/descriptions/{id}")).await.problem(404);
    w.aneca
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .problem(404);
    assert!(w.aneca.get("/api/descriptions").await.expect(200).body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // An authority cannot create descriptions for a provider, nor accredit in another's name.
    w.qqi
        .post(
            "/api/descriptions",
            json!({ "description": description("Forged", 5.0) }),
        )
        .await
        .problem(403);
    w.aneca
        .post(
            "/api/accreditations",
            json!({ "authority_id": "qqi", "provider_id": "atu", "kind": "institutional" }),
        )
        .await
        .problem(403);
    // A learner sees only their own records.
    w.learner.get("/api/descriptions").await.problem(403);
    w.learner
        .get(&format!("/api/users/{}", w.learner_id))
        .await
        .expect(200);
    let someone = w.atu.get("/api/me").await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    w.learner.get(&format!("/api/users/{someone}")).await.problem(403);
    w.learner.get("/api/audit").await.problem(403);
    // Only an admin manages people.
    w.qqi
        .post(
            "/api/users",
            json!({ "email": "x@y.example", "name": "X", "role": "admin", "password": "long enough pw" }),
        )
        .await
        .problem(403);
    assert_eq!(
        audit_total(&w.admin).await,
        before,
        "refused requests change nothing"
    );

    // The right people may: QQI reviews; its own accreditation is accepted.
    w.qqi
        .post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .expect(200);
    w.qqi
        .post("/api/accreditations", json!({ "provider_id": "atu", "kind": "institutional", "eqf_levels": [6, 7], "countries": ["IE"], "valid_until": "2099-12-31" }))
        .await
        .expect(201);
    let list = anonymous.get("/api/trust-list").await.expect(200).body;
    assert_eq!(list["type"][1], "AccreditedIssuerList");
    assert_eq!(
        list["credentialSubject"]["accreditedIssuers"][0]["scope"]["eqfLevels"],
        json!([6, 7])
    );
    // QQI's own list is signed with QQI's did:web key and names ATU by the DID ATU issues with, so an
    // offline verifier given QQI's DID document can trust it (as `microcred verify --trust-list` does).
    let list = anonymous
        .get("/api/trust-list?authority=qqi")
        .await
        .expect(200)
        .body;
    let did_document = anonymous.get("/issuers/qqi/did.json").await.expect(200).body;
    let mut ctx = microcred_vc::VerifyContext::default();
    ctx.did_documents.insert(
        did_document["id"].as_str().unwrap().to_string(),
        did_document.clone(),
    );
    assert_eq!(list["issuer"], did_document["id"], "{list}");
    let report = microcred_vc::verify::verify_without_trust(&list, &ctx);
    assert!(report.verified, "{}", serde_json::to_string(&report).unwrap());
    assert_eq!(report.status_of("proof"), Some(microcred_vc::CheckStatus::Ok));
    let trusted = microcred_vc::trust::TrustList::from_credential(&list).unwrap();
    let atu = format!(
        "did:web:{}:issuers:atu",
        server.base.trim_start_matches("http://").replace(':', "%3A")
    );
    assert!(
        matches!(
            trusted.lookup(&atu, chrono::Utc::now()),
            microcred_vc::trust::TrustDecision::Listed(_)
        ),
        "{list}"
    );
    // A changed entry breaks QQI's signature.
    let mut forged = list.clone();
    forged["credentialSubject"]["accreditedIssuers"][0]["scope"]["eqfLevels"] =
        json!([1, 2, 3, 4, 5, 6, 7, 8]);
    let report = microcred_vc::verify::verify_without_trust(&forged, &ctx);
    assert_eq!(report.status_of("proof"), Some(microcred_vc::CheckStatus::Failed));
}

async fn tokens(server: TestServer) {
    let w = world(&server.base).await;
    let made = w
        .atu
        .post(
            "/api/tokens",
            json!({ "name": "catalogue sync", "scopes": ["descriptions:read"] }),
        )
        .await
        .expect(201);
    let token = made.body["token"].as_str().unwrap().to_string();
    let machine = Api::with_token(&server.base, &token);
    machine.get("/api/descriptions").await.expect(200);
    // The token lacks descriptions:write.
    machine
        .post(
            "/api/descriptions",
            json!({ "description": description("Via token", 5.0) }),
        )
        .await
        .problem(403);
    // Unknown scopes are named by pointer.
    let bad = w
        .atu
        .post(
            "/api/tokens",
            json!({ "name": "x", "scopes": ["descriptions:read", "everything"] }),
        )
        .await
        .problem(422);
    assert_eq!(bad.body["errors"][0]["pointer"], "/scopes/1");
    // A token's scopes never exceed its role: a provider token with "review" still cannot approve.
    let wide = w
        .atu
        .post(
            "/api/tokens",
            json!({ "name": "wide", "scopes": ["review", "descriptions:write"] }),
        )
        .await
        .expect(201);
    let wide = Api::with_token(&server.base, wide.body["token"].as_str().unwrap());
    let id = wide
        .post(
            "/api/descriptions",
            json!({ "description": description("Via token", 5.0) }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    wide.post_empty(&format!("/api/descriptions/{id}/submit"))
        .await
        .expect(200);
    wide.post_empty(&format!("/api/descriptions/{id}/start-review"))
        .await
        .problem(403);
    // Logging out ends the session.
    w.learner.post_empty("/api/logout").await.expect(204);
    w.learner.get("/api/me").await.problem(401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_on_sqlite() {
    run(TestDb::sqlite(), matrix).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, matrix).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_on_sqlite() {
    run(TestDb::sqlite(), tokens).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, tokens).await;
    }
}
