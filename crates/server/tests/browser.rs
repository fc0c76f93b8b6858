//! The web pages in a real browser: Debian's Chromium driven by playwright-core (tests/browser/run.mjs),
//! with axe-core run on every page visited. This test starts the real server on SQLite with the demo
//! data, issues credentials to the demo learner through the API, revokes one, writes a tampered copy
//! of another, and hands all that to the script. Screenshots land in target/screenshots/.
//!
//! Needs `node`, /usr/bin/chromium and `npm ci` in tests/browser. When one is missing the test is
//! skipped with the reason printed, except under CI (env CI set), where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Api, TestDb};
use microcred_server::demo::DEMO_PASSWORD;
use serde_json::{json, Value};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn chromium() -> Option<String> {
    let path = std::env::var("MICROCRED_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    Path::new(&path).exists().then_some(path)
}

/// Why the browser test cannot run here, if it cannot.
fn missing_prerequisite(root: &Path) -> Option<String> {
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if chromium().is_none() {
        return Some("/usr/bin/chromium is missing (apt-get install chromium)".into());
    }
    let modules = root.join("tests/browser/node_modules");
    if !modules.join("playwright-core").exists() || !modules.join("axe-core").exists() {
        return Some("tests/browser/node_modules is missing (run npm ci in tests/browser)".into());
    }
    None
}

async fn login(base: &str, email: &str) -> Api {
    let api = Api::anonymous(base);
    api.post("/api/login", json!({ "email": email, "password": DEMO_PASSWORD }))
        .await
        .expect(200);
    api
}

struct Issued {
    claim_url: String,
    credential: Value,
    provider: String,
    description: String,
}

/// Issue credentials of different published descriptions to `learner` until `count` are issued;
/// descriptions whose provider is not accredited for them are refused by the API and skipped.
async fn issue(base: &str, learner: &str, count: usize) -> Vec<Issued> {
    let public = Api::anonymous(base);
    let page = public.get("/api/register?per_page=100").await.expect(200);
    let mut issued = Vec::new();
    for item in page.body["items"].as_array().expect("register items") {
        if issued.len() == count {
            break;
        }
        let provider = item["provider"]["id"].as_str().unwrap().to_string();
        let staff = login(base, &format!("staff@{provider}.example")).await;
        let request = json!({
            "description_id": item["id"],
            "learner": { "email": learner, "name": "Lea Learner" },
        });
        let response = staff.post("/api/credentials", request).await;
        if response.status == 201 {
            issued.push(Issued {
                claim_url: response.body["claim_url"].as_str().unwrap().to_string(),
                credential: match &response.body["credential"] {
                    Value::String(text) => serde_json::from_str(text).expect("the credential is JSON"),
                    other => other.clone(),
                },
                provider,
                description: item["id"].as_str().unwrap().to_string(),
            });
        }
    }
    assert_eq!(
        issued.len(),
        count,
        "the demo data lets {count} credentials be issued"
    );
    issued
}

/// A copy of the credential with one signed claim changed, so its proof no longer verifies.
fn tampered(credential: &Value) -> Value {
    assert!(
        credential.get("proof").is_some(),
        "an issued credential is signed: {credential}"
    );
    let mut copy = credential.clone();
    copy["credentialSubject"]["name"] = json!("Mallory Forger");
    if copy == *credential {
        copy["validFrom"] = json!("2020-01-01T00:00:00Z");
    }
    copy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learner_employer_provider_and_authority_pages_in_chromium() {
    let root = repo_root();
    if let Some(reason) = missing_prerequisite(&root) {
        if std::env::var_os("CI").is_some() {
            panic!("the browser test cannot run in CI: {reason}");
        }
        eprintln!("skipping the browser test: {reason}");
        return;
    }
    let db = TestDb::sqlite();
    let server = common::start(&db.url()).await;
    let state = microcred_server::AppState::new(server.store.clone());
    microcred_server::demo::seed(&state)
        .await
        .expect("demo data seeded");
    let base = server.base.clone();

    let learner = "learner@microcred.example";
    let issued = issue(&base, learner, 3).await;
    // The third is revoked by its provider in the browser; its file is kept to upload afterwards.
    let revoked = &issued[2];
    let work = std::env::temp_dir().join(microcred_store::new_id("mc_browser"));
    std::fs::create_dir_all(&work).unwrap();
    let write = |name: &str, value: &Value| {
        let path = work.join(name);
        std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
        path.display().to_string()
    };
    let write_text = |name: &str, text: &str| {
        let path = work.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    // A credential from elsewhere (did:key, no status list, not in this service's trust list).
    let key = microcred_vc::SigningKeyPair::generate().unwrap();
    let mut options = microcred_vc::ProofOptions::new(key.public());
    options.cryptosuite = microcred_vc::Cryptosuite::EddsaJcs2022;
    let foreign = microcred_vc::sample::ob3_sample_for(&key.public().did_key());
    let foreign = microcred_vc::sign(&foreign, &key, &options).expect("signed");
    let fixtures = json!({
        "base": base,
        "password": DEMO_PASSWORD,
        "learner": learner,
        "claim": issued[0].claim_url,
        "claimSecond": issued[1].claim_url,
        "validFile": write("valid.json", &issued[0].credential),
        "tamperedFile": write("tampered.json", &tampered(&issued[0].credential)),
        "revokedFile": write("revoked.json", &revoked.credential),
        "foreignFile": write("foreign.json", &foreign),
        "revoke": { "provider": format!("staff@{}.example", revoked.provider), "description": revoked.description },
        "roster": {
            "provider": format!("staff@{}.example", issued[0].provider),
            "description": issued[0].description,
            "file": write_text("roster.csv", "email,name\nana@example.org,Ana Silva\nben@example.org,Ben Olsen\nnot-an-email,Broken Row\n"),
        },
        "provider": "staff@atu.example",
        "authority": "reviewer@qqi.example",
        "screenshots": root.join("target/screenshots").display().to_string(),
        "chromium": chromium().unwrap(),
    });
    let fixtures_path = write("fixtures.json", &fixtures);
    // For looking at the pages by hand: keep the server up this many seconds before the scenarios run.
    if let Some(seconds) = std::env::var("MICROCRED_BROWSER_PAUSE")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        println!("server at {base}; fixtures in {fixtures_path}");
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    }

    let script = root.join("tests/browser/run.mjs");
    let base = base.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script)
            .arg(&base)
            .env("MICROCRED_BROWSER_FIXTURES", fixtures_path)
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::remove_dir_all(&work);
    server.store.close().await;
    db.remove().await;
    assert!(
        output.status.success(),
        "the browser scenarios failed (see the output above)"
    );
}
