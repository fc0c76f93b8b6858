//! The VC-API over HTTP: issue with a provider's API token (both EdDSA suites), verify credentials
//! (unknown options accepted, tampering caught, bad bodies refused) and presentations (challenge and
//! domain enforced).

mod common;
mod issuing_support;

use common::{run, Api, TestDb, TestServer};
use issuing_support::*;
use microcred_vc::{sign, ProofOptions, SigningKeyPair};
use serde_json::{json, Value};

fn unsigned() -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": { "id": "did:example:ebfeb1f712ebc6f1c276e12ec21" }
    })
}

async fn vcapi(server: TestServer) {
    let issuer = issuer(&server.base).await;
    let public = Api::anonymous(&server.base);
    let request = json!({ "credential": unsigned(), "options": {} });
    public
        .post("/credentials/issue", request.clone())
        .await
        .problem(401);
    issuer
        .w
        .learner
        .post("/credentials/issue", request.clone())
        .await
        .problem(403);

    let mut signed = Vec::new();
    for (path, body) in [
        ("/credentials/issue", request.clone()),
        (
            "/credentials/issue",
            json!({ "credential": unsigned(), "options": { "cryptosuite": "eddsa-jcs-2022" } }),
        ),
        ("/credentials/issue?cryptosuite=eddsa-jcs-2022", request.clone()),
    ] {
        let vc = issuer.machine.post(path, body).await.expect(201).body["verifiableCredential"].clone();
        assert!(vc["issuer"].as_str().unwrap().starts_with("did:web:"), "{vc}");
        let answer = public
            .post(
                "/credentials/verify",
                json!({ "verifiableCredential": vc, "options": { "checks": ["proof"], "unknown": 1 } }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(answer["verified"], true, "{answer}");
        assert!(answer["checks"].as_array().unwrap().contains(&json!("proof")));
        assert_eq!(answer["problemDetails"], json!([]));
        signed.push(vc);
    }
    assert_eq!(signed[0]["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(signed[1]["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(signed[2]["proof"]["cryptosuite"], "eddsa-jcs-2022");
    // Signed as the provider's did:key (same key) for verifiers that resolve only did:key.
    let as_key = issuer
        .machine
        .post("/credentials/issue?did=key", request.clone())
        .await
        .expect(201)
        .body;
    let vc = &as_key["verifiableCredential"];
    assert!(vc["issuer"].as_str().unwrap().starts_with("did:key:z6Mk"), "{vc}");
    let answer = public
        .post("/credentials/verify", json!({ "verifiableCredential": vc }))
        .await
        .expect(200)
        .body;
    assert_eq!(answer["verified"], true, "{answer}");

    // Bad input to issue: unknown suite, not a credential, already signed.
    issuer
        .machine
        .post(
            "/credentials/issue",
            json!({ "credential": unsigned(), "options": { "cryptosuite": "rsa-2048" } }),
        )
        .await
        .problem(400);
    issuer
        .machine
        .post("/credentials/issue", json!({ "credential": { "type": "X" } }))
        .await
        .problem(400);
    issuer
        .machine
        .post("/credentials/issue", json!({ "credential": signed[0] }))
        .await
        .problem(400);

    // Tampered: 400 with verified false and a problem detail naming the proof.
    let mut tampered = signed[1].clone();
    tampered["credentialSubject"]["id"] = json!("did:example:someone-else");
    let answer = public
        .post("/credentials/verify", json!({ "verifiableCredential": tampered }))
        .await
        .expect(400)
        .body;
    assert_eq!(answer["verified"], false);
    assert!(answer["problemDetails"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["title"] == "proof"));
    // Malformed requests.
    public
        .raw(
            reqwest::Method::POST,
            "/credentials/verify",
            "application/json",
            b"{".to_vec(),
        )
        .await
        .problem(400);
    public
        .post("/credentials/verify", json!({ "credential": signed[0] }))
        .await
        .problem(400);
    public
        .post("/credentials/verify", json!({ "verifiableCredential": "text" }))
        .await
        .problem(400);

    // A presentation signed by a holder for a challenge and domain.
    let holder = SigningKeyPair::generate().unwrap();
    let presentation = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder.public().did_key(),
        "verifiableCredential": [signed[0]],
    });
    let mut options = ProofOptions::new(holder.public());
    options.proof_purpose = "authentication".into();
    options.challenge = Some("c-123".into());
    options.domain = Some("verifier.example".into());
    let vp = sign(&presentation, &holder, &options).unwrap();
    let answer = public
        .post("/presentations/verify", json!({ "verifiablePresentation": vp, "options": { "challenge": "c-123", "domain": "verifier.example" } }))
        .await
        .expect(200)
        .body;
    assert_eq!(answer["verified"], true, "{answer}");
    let answer = public
        .post("/presentations/verify", json!({ "verifiablePresentation": vp, "options": { "challenge": "other", "domain": "verifier.example" } }))
        .await
        .expect(400)
        .body;
    assert_eq!(answer["verified"], false, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vcapi_on_sqlite() {
    run(TestDb::sqlite(), vcapi).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vcapi_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, vcapi).await;
    }
}
