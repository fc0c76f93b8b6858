//! Shared set-up of the issuing tests: a published, accredited description of ATU, a provider API
//! token, roster uploads and waiting for jobs.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{description, world, Api, World};

/// Issuing needs a master key; PostgreSQL has no file to keep one beside, so tests give it.
pub fn environment() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::env::set_var(
            "MICROCRED_MASTER_KEY",
            "test-master-key-0123456789abcdef0123456789",
        );
        std::env::set_var("MICROCRED_JOB_LEASE_SECS", "5");
        let outbox = std::env::temp_dir().join(microcred_store::new_id("outbox"));
        std::env::set_var("MICROCRED_OUTBOX", &outbox);
    });
}

pub fn outbox() -> std::path::PathBuf {
    std::path::PathBuf::from(std::env::var_os("MICROCRED_OUTBOX").expect("environment() was called"))
}

pub struct Issuer {
    pub w: World,
    pub description_id: String,
    /// ATU's API token with the credentials:issue scope.
    pub machine: Api,
    token: String,
}

impl Issuer {
    pub fn machine_token(&self) -> &str {
        &self.token
    }
}

/// ATU drafts, QQI approves, ATU publishes; QQI accredits ATU for EQF 6, ISCED 0613, Ireland.
pub async fn published_description(w: &World, title: &str) -> String {
    let created = w
        .atu
        .post(
            "/api/descriptions",
            json!({ "description": description(title, 5.0) }),
        )
        .await
        .expect(201);
    let id = created.body["id"].as_str().unwrap().to_string();
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
    w.atu
        .post_empty(&format!("/api/descriptions/{id}/publish"))
        .await
        .expect(200);
    id
}

pub async fn accredit_atu(w: &World) {
    w.qqi
        .post(
            "/api/accreditations",
            json!({ "provider_id": "atu", "kind": "institutional", "eqf_levels": [6],
                    "isced_fields": ["0613"], "countries": ["IE"] }),
        )
        .await
        .expect(201);
}

pub async fn issuer(base: &str) -> Issuer {
    environment();
    let w = world(base).await;
    let description_id = published_description(&w, "Applied Data Analytics").await;
    accredit_atu(&w).await;
    let made = w
        .atu
        .post(
            "/api/tokens",
            json!({ "name": "roster robot", "scopes": ["credentials:issue"] }),
        )
        .await
        .expect(201);
    let token = made.body["token"].as_str().unwrap().to_string();
    let machine = Api::with_token(base, &token);
    Issuer {
        w,
        description_id,
        machine,
        token,
    }
}

pub fn csv(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut text = String::from("email,name,grade\n");
    for (email, name) in rows {
        text.push_str(&format!("{email},{name},Pass\n"));
    }
    text.into_bytes()
}

pub async fn upload(api: &Api, description_id: &str, bytes: Vec<u8>) -> crate::common::Resp {
    api.raw(
        reqwest::Method::POST,
        &format!("/api/descriptions/{description_id}/rosters"),
        "text/csv",
        bytes,
    )
    .await
}

/// Polls the job until it is done or failed (at most `seconds`).
pub async fn wait_job(api: &Api, job_id: &str, seconds: u64) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let job = api.get(&format!("/api/jobs/{job_id}")).await.expect(200).body;
        if job["state"] == "done" || job["state"] == "failed" {
            return job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job still {job} after {seconds} s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn verify(base: &str, credential: &Value) -> crate::common::Resp {
    Api::anonymous(base)
        .post(
            "/credentials/verify",
            json!({ "verifiableCredential": credential, "options": { "checks": ["proof"] } }),
        )
        .await
}

/// The status of the named check in a VC-API verification answer.
pub fn check(answer: &Value, name: &str) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["check"] == name)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .collect()
}

/// Claim tokens written to the outbox for `email` (the link is the only place the token exists).
pub fn claim_tokens(email: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let Ok(entries) = std::fs::read_dir(outbox()) else {
        return tokens;
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if !text.contains(&format!("<{email}>")) {
            continue;
        }
        let unfolded = text.replace("=\r\n", "").replace("=\n", "");
        if let Some(at) = unfolded.find("/claim/") {
            let token: String = unfolded[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            tokens.push(token);
        }
    }
    tokens
}
