//! Issuing over HTTP on SQLite and PostgreSQL: the conditions (published, valid, accredited, own
//! provider), one learner, a roster job with row errors, idempotent re-upload, refusals of files that
//! are not rosters (missing columns, not UTF-8, 1 GB), verification and the claim link.

mod common;
mod issuing_support;

use common::{run, Api, TestDb, TestServer};
use issuing_support::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn issuing(server: TestServer) {
    environment();
    let w = common::world(&server.base).await;
    let id = published_description(&w, "Applied Data Analytics").await;
    let one =
        |email: &str| json!({ "description_id": id, "learner": { "email": email, "name": "Ana Silva" } });

    // Not accredited yet: refused, nothing stored.
    w.atu
        .post("/api/credentials", one("ana@example.org"))
        .await
        .problem(403);
    accredit_atu(&w).await;
    // Another provider cannot issue ATU's description; an authority cannot issue at all.
    w.ucd
        .post("/api/credentials", one("ana@example.org"))
        .await
        .problem(403);
    w.qqi
        .post("/api/credentials", one("ana@example.org"))
        .await
        .problem(403);
    // A draft (never published) is not issuable.
    let draft = w
        .atu
        .post(
            "/api/descriptions",
            json!({ "description": common::description("Draft course", 5.0) }),
        )
        .await
        .expect(201);
    let draft_id = draft.body["id"].as_str().unwrap();
    w.atu
        .post(
            "/api/credentials",
            json!({ "description_id": draft_id, "learner": { "email": "ana@example.org", "name": "Ana" } }),
        )
        .await
        .problem(409);
    assert_eq!(server.store.count_credentials(None).await.unwrap(), 0);

    // One learner.
    let issued = w
        .atu
        .post("/api/credentials", one("Learner@Test.example"))
        .await
        .expect(201);
    let credential = issued.body["credential"].clone();
    assert_eq!(credential["type"][1], "OpenBadgeCredential");
    assert!(credential["issuer"]["id"]
        .as_str()
        .unwrap()
        .starts_with("did:web:127.0.0.1%3A"));
    assert_eq!(credential["credentialStatus"].as_array().unwrap().len(), 2);
    assert_eq!(credential["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    let cid = issued.body["id"].as_str().unwrap().to_string();
    // The same learner again: refused (one credential per learner and description).
    w.atu
        .post("/api/credentials", one("learner@test.example"))
        .await
        .problem(409);
    // The owner, the learner and nobody else can download it.
    let path = format!("/api/credentials/{cid}");
    assert_eq!(w.atu.get(&path).await.expect(200).body, credential);
    assert_eq!(w.learner.get(&path).await.expect(200).body, credential);
    w.ucd.get(&path).await.problem(404);

    // It verifies, with the service's own status list and trust list.
    let answer = verify(&server.base, &credential).await.expect(200).body;
    assert_eq!(answer["verified"], true, "{answer}");
    assert_eq!(check(&answer, "status"), vec!["ok", "ok"]);
    assert_eq!(check(&answer, "issuer-trust"), vec!["ok"]);
    // The DID document is served and names the key.
    let slug_doc = Api::anonymous(&server.base)
        .get("/issuers/atu/did.json")
        .await
        .expect(200)
        .body;
    assert_eq!(slug_doc["id"], credential["issuer"]["id"]);
    assert!(!slug_doc.to_string().contains("secret"), "public key only");

    // ELM on request: VC 1.1-shaped, signed with eddsa-jcs-2022, verifies with its status.
    let elm = w
        .atu
        .post(
            "/api/credentials",
            json!({ "description_id": id, "learner": { "email": "elm@example.org", "name": "Eli Moss" }, "format": "elm" }),
        )
        .await
        .expect(201)
        .body["credential"]
        .clone();
    assert_eq!(elm["type"][1], "EuropeanDigitalCredential");
    assert_eq!(elm["proof"]["cryptosuite"], "eddsa-jcs-2022");
    let answer = verify(&server.base, &elm).await.expect(200).body;
    assert_eq!(answer["verified"], true, "{answer}");
    assert_eq!(check(&answer, "status"), vec!["ok", "ok"]);

    // A roster with good and bad rows: bad rows are reported, the rest issued.
    let mut roster = String::from("Email,Name,Grade\n");
    for i in 0..5 {
        roster.push_str(&format!("learner{i}@example.org,Learner {i},Pass\n"));
    }
    roster.push_str("not-an-email,Bad Email,Pass\n");
    roster.push_str("learner0@example.org,Duplicate Row,Pass\n");
    roster.push_str("noname@example.org,,Pass\n");
    roster.push_str("learner@test.example,Already Issued,Pass\n");
    let job = upload(&w.atu, &id, roster.clone().into_bytes())
        .await
        .expect(202)
        .body;
    let job_id = job["id"].as_str().unwrap().to_string();
    let done = wait_job(&w.atu, &job_id, 60).await;
    assert_eq!(
        (
            done["state"].as_str(),
            done["total"].as_i64(),
            done["done"].as_i64(),
            done["failed"].as_i64()
        ),
        (Some("done"), Some(9), Some(5), Some(4)),
        "{done}"
    );
    let errors = w
        .atu
        .get(&format!("/api/jobs/{job_id}/errors"))
        .await
        .expect(200)
        .body;
    let rows: Vec<(i64, String)> = errors["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (7, "email".into()),
            (8, "email".into()),
            (9, "name".into()),
            (10, "email".into())
        ]
    );
    assert!(errors["errors"][0]["fix"].as_str().unwrap().len() > 10);
    // Another provider sees neither the job nor its errors.
    w.ucd.get(&format!("/api/jobs/{job_id}")).await.problem(404);
    assert_eq!(server.store.count_credentials(None).await.unwrap(), 7);

    // The same roster again issues nothing twice: every row is reported as already issued.
    let again = upload(&w.atu, &id, roster.into_bytes()).await.expect(202).body;
    let again = wait_job(&w.atu, again["id"].as_str().unwrap(), 60).await;
    assert_eq!(
        (again["done"].as_i64(), again["failed"].as_i64()),
        (Some(0), Some(9)),
        "{again}"
    );
    assert_eq!(server.store.count_credentials(None).await.unwrap(), 7);

    // Files that are not rosters are refused whole, naming what is wrong.
    let missing = upload(&w.atu, &id, b"mail,full name\nx@example.org,X\n".to_vec())
        .await
        .problem(422);
    let pointers: Vec<&str> = missing.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, vec!["#/column/email", "#/column/name"]);
    let latin1 = upload(&w.atu, &id, b"email,name\nzoe@example.org,Jos\xe9\n".to_vec())
        .await
        .problem(422);
    assert!(
        latin1.body["detail"].as_str().unwrap().contains("line 2"),
        "{}",
        latin1.body
    );
    w.atu
        .raw(
            reqwest::Method::POST,
            &format!("/api/descriptions/{id}/rosters"),
            "application/pdf",
            b"%PDF".to_vec(),
        )
        .await
        .problem(415);
    assert_eq!(server.store.count_credentials(None).await.unwrap(), 7);

    // A 1 GB upload is refused from its declared length, before the body is read.
    let token = w
        .atu
        .post(
            "/api/tokens",
            json!({ "name": "big", "scopes": ["credentials:issue"] }),
        )
        .await
        .expect(201)
        .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let address = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/descriptions/{id}/rosters HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: text/csv\r\nContent-Length: 1073741824\r\n\r\nemail,name\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");

    // Every roster credential verifies, and the learner's claim link serves it.
    // (The outbox is shared by the tests of this process: keep the links of this server.)
    let public = Api::anonymous(&server.base);
    let mut tokens = Vec::new();
    for token in claim_tokens("learner3@example.org") {
        if public.get(&format!("/claim/{token}")).await.status == 200 {
            tokens.push(token);
        }
    }
    assert_eq!(tokens.len(), 1, "one e-mail for learner3");
    let claim = public
        .get(&format!("/claim/{}", tokens[0]))
        .await
        .expect(200)
        .body;
    assert_eq!(claim["state"], "active");
    let file = public
        .get(&format!("/claim/{}/credential.json", tokens[0]))
        .await
        .expect(200);
    assert!(file.header("content-disposition").unwrap().contains("attachment"));
    let answer = verify(&server.base, &file.body).await.expect(200).body;
    assert_eq!(answer["verified"], true, "{answer}");
    public.get("/claim/mcc_not-a-token").await.problem(404);
    // Tampering is caught.
    let mut forged: Value = file.body.clone();
    forged["credentialSubject"]["achievement"]["name"] = json!("Rocket Science");
    let answer = verify(&server.base, &forged).await.expect(400).body;
    assert_eq!(answer["verified"], false);
    assert_eq!(check(&answer, "proof"), vec!["failed"]);

    // An edit that needs re-validation is never issued, but the validated version stays issuable:
    // learners who completed it are owed their credential while the authority reviews the change.
    let edited = w
        .atu
        .put(
            &format!("/api/descriptions/{id}"),
            json!({ "description": common::description("Applied Data Analytics", 10.0) }),
        )
        .await
        .expect(200);
    assert_eq!(edited.body["record"]["requires_revalidation"], true);
    let during_review = w
        .atu
        .post("/api/credentials", one("later@example.org"))
        .await
        .expect(201);
    let achievement = &during_review.body["credential"]["credentialSubject"]["achievement"];
    assert_eq!(achievement["creditsAvailable"], json!(5), "{achievement}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuing_on_sqlite() {
    run(TestDb::sqlite(), issuing).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuing_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, issuing).await;
    }
}
