//! Revocation and suspension over HTTP, on SQLite and PostgreSQL: the next verification sees the
//! change; the hosted list has an ETag, a short max-age and answers 304; every change is audited with
//! its reason; a status list the service cannot reach gives `could-not-check`, not "revoked".

mod common;
mod issuing_support;

use common::{run, Api, TestDb, TestServer};
use issuing_support::*;
use serde_json::{json, Value};

async fn issue(api: &Api, description_id: &str, email: &str) -> (String, Value) {
    let made = api
        .post(
            "/api/credentials",
            json!({ "description_id": description_id, "learner": { "email": email, "name": "Bo Lind" } }),
        )
        .await
        .expect(201);
    (
        made.body["id"].as_str().unwrap().to_string(),
        made.body["credential"].clone(),
    )
}

fn status_path(credential: &Value, purpose: &str) -> String {
    let entry = credential["credentialStatus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["statusPurpose"] == purpose)
        .unwrap();
    let url = entry["statusListCredential"].as_str().unwrap();
    url[url.find("/status/").unwrap()..].to_string()
}

async fn revocation(server: TestServer) {
    let issuer = issuer(&server.base).await;
    let (api, w) = (&issuer.machine, &issuer.w);
    let (revoked_id, revoked) = issue(api, &issuer.description_id, "bo@example.org").await;
    let (suspended_id, suspended) = issue(api, &issuer.description_id, "cy@example.org").await;

    // Both verify; the hosted list is cacheable briefly and answers 304 to its ETag.
    assert_eq!(
        verify(&server.base, &revoked).await.expect(200).body["verified"],
        true
    );
    let public = Api::anonymous(&server.base);
    let list_path = status_path(&revoked, "revocation");
    let list = public.get(&list_path).await.expect(200);
    let etag = list.header("etag").expect("an ETag");
    assert_eq!(
        list.header("cache-control").as_deref(),
        Some("public, max-age=60")
    );
    assert_eq!(list.body["type"][1], "BitstringStatusListCredential");
    assert_eq!(
        list.body["issuer"], revoked["issuer"]["id"],
        "signed by the credential's issuer"
    );
    let unchanged = public
        .send(
            reqwest::Method::GET,
            &list_path,
            None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(unchanged.status, 304);
    // The list itself verifies as a credential.
    assert_eq!(
        verify(&server.base, &list.body).await.expect(200).body["verified"],
        true
    );

    // Revoke: a reason is required; another provider may not; the next request sees it.
    let path = format!("/api/credentials/{revoked_id}/revoke");
    w.atu.post(&path, json!({ "reason": " " })).await.problem(422);
    w.ucd
        .post(&path, json!({ "reason": "not ours" }))
        .await
        .problem(403);
    let changed = w
        .atu
        .post(&path, json!({ "reason": "assessment found to be plagiarised" }))
        .await
        .expect(200);
    assert_eq!(changed.body["state"], "revoked");
    let answer = verify(&server.base, &revoked).await.expect(400).body;
    assert_eq!(answer["verified"], false);
    assert_eq!(check(&answer, "status"), vec!["failed", "ok"], "{answer}");
    let after = public
        .send(
            reqwest::Method::GET,
            &list_path,
            None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(
        after.status, 200,
        "the list changed, so the old ETag no longer matches"
    );
    assert_ne!(after.header("etag").unwrap(), etag);
    // Revocation is permanent.
    w.atu
        .post(
            &format!("/api/credentials/{revoked_id}/reinstate"),
            json!({ "reason": "oops" }),
        )
        .await
        .problem(409);
    w.atu
        .post(
            &format!("/api/credentials/{revoked_id}/suspend"),
            json!({ "reason": "oops" }),
        )
        .await
        .problem(409);

    // Suspend, then reinstate.
    w.atu
        .post(
            &format!("/api/credentials/{suspended_id}/suspend"),
            json!({ "reason": "payment disputed" }),
        )
        .await
        .expect(200);
    let answer = verify(&server.base, &suspended).await.expect(400).body;
    assert_eq!(check(&answer, "status"), vec!["ok", "failed"], "{answer}");
    w.atu
        .post(
            &format!("/api/credentials/{suspended_id}/reinstate"),
            json!({ "reason": "payment received" }),
        )
        .await
        .expect(200);
    let answer = verify(&server.base, &suspended).await.expect(200).body;
    assert_eq!(answer["verified"], true);
    assert_eq!(check(&answer, "status"), vec!["ok", "ok"]);

    // The audit log has each change with its reason.
    let audit = w
        .admin
        .get(&format!("/api/audit?entity={suspended_id}"))
        .await
        .expect(200)
        .body;
    let actions: Vec<(&str, &str)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["detail"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("reinstate", "payment received"),
            ("suspend", "payment disputed"),
            ("issue", &*format!("{} to cy@example.org", issuer.description_id))
        ]
    );

    // A list the service does not host is not fetched: could-not-check, and still verified.
    let remote = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": { "id": "did:example:learner" },
        "credentialStatus": {
            "id": "http://127.0.0.1:9/status/1#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": "5", "statusListCredential": "http://127.0.0.1:9/status/1"
        }
    });
    let signed = api
        .post(
            "/credentials/issue",
            json!({ "credential": remote, "options": {} }),
        )
        .await
        .expect(201)
        .body["verifiableCredential"]
        .clone();
    let answer = verify(&server.base, &signed).await.expect(200).body;
    assert_eq!(check(&answer, "status"), vec!["could-not-check"], "{answer}");
    assert_eq!(answer["verified"], true);
    // An unknown list of this service's own host is also could-not-check, not revoked.
    let mut unknown = signed.clone();
    unknown["credentialStatus"]["statusListCredential"] =
        json!(format!("{}/status/sl_nope-revocation", server.base));
    let answer = verify(&server.base, &unknown).await.expect(400).body;
    assert_eq!(
        check(&answer, "proof"),
        vec!["failed"],
        "the change breaks the signature"
    );
    assert_eq!(check(&answer, "status"), vec!["could-not-check"], "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_on_sqlite() {
    run(TestDb::sqlite(), revocation).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, revocation).await;
    }
}
