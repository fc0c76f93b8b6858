//! Test harness: a real server on 127.0.0.1 (ephemeral port) over a fresh SQLite file or a fresh
//! PostgreSQL database, and a small HTTP client. PostgreSQL comes from MICROCRED_TEST_POSTGRES
//! (default postgres://postgres@127.0.0.1:5432/test); when it is unreachable the PostgreSQL tests are
//! skipped with a printed reason, unless CI is set, where they fail.
#![allow(dead_code)]

use std::future::Future;

use microcred_server::Store;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::{Connection, Executor};

pub const PASSWORD: &str = "test-password-123";

pub enum TestDb {
    Sqlite { path: std::path::PathBuf },
    Postgres { admin_url: String, name: String },
}

pub fn postgres_admin_url() -> String {
    std::env::var("MICROCRED_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn database_url(admin_url: &str, name: &str) -> String {
    let (without_query, query) = match admin_url.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let base = without_query
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(without_query);
    format!("{base}/{name}{query}")
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", microcred_store::new_id("mc_test")));
        TestDb::Sqlite { path }
    }

    /// A fresh PostgreSQL database, or `None` (skip) when the server is unreachable outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_admin_url();
        let name = microcred_store::new_id("mc");
        let created = async {
            let mut conn = sqlx::PgConnection::connect(&admin_url).await?;
            conn.execute(format!("CREATE DATABASE {name}").as_str()).await?;
            conn.close().await
        }
        .await;
        match created {
            Ok(()) => Some(TestDb::Postgres { admin_url, name }),
            Err(error) if std::env::var_os("CI").is_none() => {
                eprintln!("skipping the PostgreSQL test: {admin_url} is unreachable ({error}); set MICROCRED_TEST_POSTGRES");
                None
            }
            Err(error) => panic!("PostgreSQL at {admin_url} is unreachable in CI: {error}"),
        }
    }

    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite { path } => format!("sqlite://{}", path.display()),
            TestDb::Postgres { admin_url, name } => database_url(admin_url, name),
        }
    }

    pub async fn remove(self) {
        match self {
            TestDb::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            TestDb::Postgres { admin_url, name } => {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = conn
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                    let _ = conn.close().await;
                }
            }
        }
    }
}

#[derive(Clone)]
pub struct TestServer {
    pub base: String,
    pub store: Store,
}

/// Open the database, create the admin, serve on an ephemeral port.
pub async fn start(url: &str) -> TestServer {
    let store = Store::open(url).await.expect("the test database opens");
    microcred_server::ensure_admin(&store, "admin@test.example", PASSWORD)
        .await
        .expect("admin created");
    let listener = microcred_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(microcred_server::serve(store.clone(), listener));
    TestServer { base, store }
}

/// Run `scenario` against a server on `db`, then remove the database even if the scenario panicked.
pub async fn run<F, Fut>(db: TestDb, scenario: F)
where
    F: FnOnce(TestServer) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let server = start(&db.url()).await;
    let store = server.store.clone();
    let result = tokio::spawn(scenario(server)).await;
    store.close().await;
    db.remove().await;
    if let Err(error) = result {
        std::panic::resume_unwind(error.into_panic());
    }
}

pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub headers: HeaderMap,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// Assert the status, showing the body when it is not the expected one.
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.body);
        self
    }

    /// Assert an RFC 9457 problem with this status.
    pub fn problem(self, status: u16) -> Resp {
        let resp = self.expect(status);
        assert_eq!(
            resp.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{}",
            resp.body
        );
        for field in ["type", "title", "status", "detail"] {
            assert!(
                resp.body.get(field).is_some(),
                "problem without {field}: {}",
                resp.body
            );
        }
        assert_eq!(resp.body["status"], status);
        resp
    }
}

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    pub base: String,
    bearer: Option<String>,
}

impl Api {
    pub fn anonymous(base: &str) -> Api {
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        Api {
            http,
            base: base.to_string(),
            bearer: None,
        }
    }

    pub fn with_token(base: &str, token: &str) -> Api {
        Api {
            bearer: Some(token.to_string()),
            ..Api::anonymous(base)
        }
    }

    pub async fn login(base: &str, email: &str) -> Api {
        let api = Api::anonymous(base);
        api.post("/api/login", json!({ "email": email, "password": PASSWORD }))
            .await
            .expect(200);
        api
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        into_resp(request.send().await.expect("the server answers")).await
    }

    pub async fn raw(&self, method: Method, path: &str, content_type: &str, bytes: Vec<u8>) -> Resp {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("content-type", content_type);
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        into_resp(request.body(bytes).send().await.expect("the server answers")).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn post_empty(&self, path: &str) -> Resp {
        self.send(Method::POST, path, None, &[]).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PUT, path, Some(body), &[]).await
    }
}

async fn into_resp(response: reqwest::Response) -> Resp {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Resp {
        status,
        body,
        headers,
    }
}

/// People of a small world: two Irish providers and QQI, a Spanish provider and ANECA, a learner.
pub struct World {
    pub admin: Api,
    pub qqi: Api,
    pub aneca: Api,
    pub atu: Api,
    pub ucd: Api,
    pub upv: Api,
    pub learner: Api,
    pub learner_id: String,
}

pub async fn world(base: &str) -> World {
    let admin = Api::login(base, "admin@test.example").await;
    for (id, kind, name, country) in [
        ("qqi", "authority", "Quality and Qualifications Ireland", "IE"),
        ("aneca", "authority", "ANECA", "ES"),
        ("atu", "provider", "Atlantic Technological University", "IE"),
        ("ucd", "provider", "University College Dublin", "IE"),
        ("upv", "provider", "Universitat Politècnica de València", "ES"),
    ] {
        admin
            .post(
                "/api/organisations",
                json!({ "id": id, "kind": kind, "name": name, "country": country }),
            )
            .await
            .expect(201);
    }
    let mut learner_id = String::new();
    for (email, role, org) in [
        ("reviewer@qqi.example", "authority", Some("qqi")),
        ("reviewer@aneca.example", "authority", Some("aneca")),
        ("staff@atu.example", "provider", Some("atu")),
        ("staff@ucd.example", "provider", Some("ucd")),
        ("staff@upv.example", "provider", Some("upv")),
        ("learner@test.example", "learner", None),
    ] {
        let created = admin
            .post("/api/users", json!({ "email": email, "name": email, "role": role, "organisation_id": org, "password": PASSWORD }))
            .await
            .expect(201);
        if role == "learner" {
            learner_id = created.body["id"].as_str().unwrap().to_string();
        }
    }
    World {
        qqi: Api::login(base, "reviewer@qqi.example").await,
        aneca: Api::login(base, "reviewer@aneca.example").await,
        atu: Api::login(base, "staff@atu.example").await,
        ucd: Api::login(base, "staff@ucd.example").await,
        upv: Api::login(base, "staff@upv.example").await,
        learner: Api::login(base, "learner@test.example").await,
        admin,
        learner_id,
    }
}

/// A complete description with all Annex I elements.
pub fn description(title: &str, ects: f64) -> Value {
    json!({
        "title": { "en": title },
        "description": { "en": format!("{title}: a short course for professionals.") },
        "languages": ["en"],
        "countries": ["IE"],
        "awarding_bodies": [{ "name": { "en": "Atlantic Technological University" }, "country": "IE" }],
        "learning_outcomes": [
            { "text": { "en": "Learners can analyse operational data with spreadsheets and Python." }, "kind": "skill",
              "esco_skills": ["http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"] }
        ],
        "workload": { "hours": ects * 25.0, "credits": [{ "system": "ECTS", "points": ects }] },
        "level": { "eqf": 6 },
        "field": "0613",
        "assessment": { "types": ["project-work"], "grading_scheme": "pass/fail", "supervision": "supervised-with-id" },
        "participation": { "modes": ["online"], "setting": "non-formal", "opportunity_type": "course", "duration": "P8W" },
        "quality_assurance": [{ "type": "institutional", "body": "Quality and Qualifications Ireland", "external": true }]
    })
}

/// The number of audit-log entries, read by the admin (the log is append-only, so a count tells
/// whether anything was changed).
pub async fn audit_total(admin: &Api) -> i64 {
    admin.get("/api/audit?limit=1").await.expect(200).body["total"]
        .as_i64()
        .unwrap()
}
