//! The OpenID4VCI 1.0 pre-authorized code flow over HTTP, as an external wallet runs it: offer (JSON
//! and QR), metadata, token (single use, no-store), nonce, credential with an EdDSA key proof; the
//! credential comes back bound to the wallet's key and verifies.

mod common;
mod issuing_support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use common::{run, Api, TestDb, TestServer};
use issuing_support::*;
use microcred_vc::SigningKeyPair;
use serde_json::{json, Value};

fn proof_jwt(wallet: &SigningKeyPair, audience: &str, nonce: &str) -> String {
    let x = B64URL.encode(wallet.public().as_bytes());
    let header = json!({ "typ": "openid4vci-proof+jwt", "alg": "EdDSA", "jwk": { "kty": "OKP", "crv": "Ed25519", "x": x } });
    let claims = json!({ "aud": audience, "iat": chrono::Utc::now().timestamp(), "nonce": nonce });
    let signing_input = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(claims.to_string())
    );
    let signature = B64URL.encode(wallet.sign(signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

async fn form(base: &str, path: &str, body: &str) -> (u16, Value, Option<String>) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cache = response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string());
    (status, response.json().await.unwrap(), cache)
}

async fn oid4vci(server: TestServer) {
    let issuer = issuer(&server.base).await;
    let made = issuer
        .machine
        .post("/api/credentials", json!({ "description_id": issuer.description_id, "learner": { "email": "dee@example.org", "name": "Dee Park" } }))
        .await
        .expect(201);
    let claim_url = made.body["claim_url"].as_str().unwrap();
    let token = &claim_url[claim_url.find("/claim/").unwrap() + 7..];
    let wallet_http = Api::anonymous(&server.base);

    // The learner's offer, as JSON and as a QR code.
    let offer = wallet_http
        .get(&format!("/claim/{token}/offer"))
        .await
        .expect(200)
        .body;
    assert!(offer["credential_offer_uri"]
        .as_str()
        .unwrap()
        .starts_with("openid-credential-offer://?credential_offer="));
    let grant = &offer["credential_offer"]["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"];
    let code = grant["pre-authorized_code"].as_str().unwrap().to_string();
    let qr = wallet_http
        .get(&format!("/claim/{token}/offer.svg"))
        .await
        .expect(200);
    assert_eq!(qr.header("content-type").as_deref(), Some("image/svg+xml"));
    assert!(qr.body.as_str().unwrap().starts_with("<svg"));

    // Metadata.
    let issuer_url = offer["credential_offer"]["credential_issuer"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(issuer_url, server.base);
    let metadata = wallet_http
        .get("/.well-known/openid-credential-issuer")
        .await
        .expect(200)
        .body;
    assert_eq!(
        metadata["credential_endpoint"],
        format!("{issuer_url}/credential")
    );
    let configuration_id = offer["credential_offer"]["credential_configuration_ids"][0]
        .as_str()
        .unwrap();
    assert_eq!(
        metadata["credential_configurations_supported"][configuration_id]["format"],
        "ldp_vc"
    );
    let oauth = wallet_http
        .get("/.well-known/oauth-authorization-server")
        .await
        .expect(200)
        .body;
    let token_path = oauth["token_endpoint"]
        .as_str()
        .unwrap()
        .trim_start_matches(&issuer_url)
        .to_string();

    // Token: the code works once.
    let grant_form = format!("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code={code}");
    let (status, body, cache) = form(&server.base, &token_path, &grant_form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(cache.as_deref(), Some("no-store"));
    let access = body["access_token"].as_str().unwrap().to_string();
    let (status, body, _) = form(&server.base, &token_path, &grant_form).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));

    // Nonce, then the credential request with a key proof.
    let nonce_path = metadata["nonce_endpoint"]
        .as_str()
        .unwrap()
        .trim_start_matches(&issuer_url)
        .to_string();
    let nonce = wallet_http.post_empty(&nonce_path).await.expect(200);
    assert_eq!(nonce.header("cache-control").as_deref(), Some("no-store"));
    let c_nonce = nonce.body["c_nonce"].as_str().unwrap().to_string();
    let wallet = SigningKeyPair::generate().unwrap();
    let wallet_with_token = Api::with_token(&server.base, &access);
    let request =
        |jwt: String| json!({ "credential_configuration_id": configuration_id, "proofs": { "jwt": [jwt] } });
    // A proof for another audience is refused (and does not use the token up).
    let wrong = wallet_with_token
        .post(
            "/credential",
            request(proof_jwt(&wallet, "https://elsewhere.example", &c_nonce)),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.body["error"].as_str()),
        (400, Some("invalid_proof"))
    );
    wallet_http
        .post("/credential", request(proof_jwt(&wallet, &issuer_url, &c_nonce)))
        .await
        .expect(401);
    let answer = wallet_with_token
        .post("/credential", request(proof_jwt(&wallet, &issuer_url, &c_nonce)))
        .await
        .expect(200);
    let credential = answer.body["credentials"][0]["credential"].clone();
    assert_eq!(
        credential["credentialSubject"]["id"],
        wallet.public().did_key(),
        "bound to the wallet key"
    );
    assert_eq!(credential["id"], made.body["id"]);
    let verified = verify(&server.base, &credential).await.expect(200).body;
    assert_eq!(verified["verified"], true, "{verified}");
    // The access token and the nonce are single-use.
    let again = wallet_with_token
        .post("/credential", request(proof_jwt(&wallet, &issuer_url, &c_nonce)))
        .await;
    assert_eq!(again.status, 401);
    let fresh = form(&server.base, &token_path, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=mcp_forged").await;
    assert_eq!(fresh.1["error"], "invalid_grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oid4vci_on_sqlite() {
    run(TestDb::sqlite(), oid4vci).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oid4vci_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        run(db, oid4vci).await;
    }
}
