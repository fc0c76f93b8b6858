//! Helpers for the tests that run the built `microcred serve` binary: spawn it, find its port, talk
//! HTTP (ureq, blocking), and give each test its own database.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

pub const PASSWORD: &str = "test-password-123";
pub const ADMIN: &str = "admin@test.example";

pub struct Server {
    pub child: Child,
    pub base: String,
}

/// Start `microcred serve` on an ephemeral port and wait until it listens.
pub fn spawn(database: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_microcred"))
        .args([
            "serve",
            "--database",
            database,
            "--listen",
            "127.0.0.1:0",
            "--bootstrap-admin",
            ADMIN,
        ])
        .env("MICROCRED_ADMIN_PASSWORD", PASSWORD)
        .env("MICROCRED_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the microcred binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(address) = line.strip_prefix("microcred listening on ") {
                    break address.trim().to_string();
                }
            }
            _ => {
                let status = child.wait();
                panic!("the server exited before listening: {status:?}");
            }
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

impl Server {
    /// SIGKILL: no shutdown, no flushing; what was committed must survive.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

/// One HTTP exchange; status 0 means the connection failed (server gone).
pub fn call(
    method: &str,
    url: &str,
    cookie: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = ureq::request(method, url).timeout(std::time::Duration::from_secs(30));
    if let Some(cookie) = cookie {
        request = request.set("Cookie", cookie);
    }
    for (name, value) in headers {
        request = request.set(name, value);
    }
    let result = match body {
        Some(body) => request
            .set("Content-Type", "application/json")
            .send_string(&body.to_string()),
        None => request.call(),
    };
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(_) => return (0, Value::Null),
    };
    let status = response.status();
    let text = response.into_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A logged-in person: the session cookie to send.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
}

pub fn login(base: &str, email: &str) -> Session {
    let response = ureq::post(&format!("{base}/api/login"))
        .set("Content-Type", "application/json")
        .send_string(&json!({ "email": email, "password": PASSWORD }).to_string())
        .expect("login succeeds");
    let set_cookie = response
        .header("set-cookie")
        .expect("a session cookie")
        .to_string();
    Session {
        cookie: set_cookie.split(';').next().unwrap().to_string(),
    }
}

impl Session {
    pub fn get(&self, base: &str, path: &str) -> (u16, Value) {
        call("GET", &format!("{base}{path}"), Some(&self.cookie), None, &[])
    }
    pub fn post(&self, base: &str, path: &str, body: Value) -> (u16, Value) {
        call(
            "POST",
            &format!("{base}{path}"),
            Some(&self.cookie),
            Some(&body),
            &[],
        )
    }
    pub fn put(&self, base: &str, path: &str, body: Value, headers: &[(&str, &str)]) -> (u16, Value) {
        call(
            "PUT",
            &format!("{base}{path}"),
            Some(&self.cookie),
            Some(&body),
            headers,
        )
    }
}

/// Organisations and people: QQI with a reviewer, ATU with staff.
pub fn setup(base: &str) {
    let admin = login(base, ADMIN);
    for (id, kind, name) in [
        ("qqi", "authority", "Quality and Qualifications Ireland"),
        ("atu", "provider", "Atlantic TU"),
    ] {
        let (status, body) = admin.post(
            base,
            "/api/organisations",
            json!({ "id": id, "kind": kind, "name": name, "country": "IE" }),
        );
        assert_eq!(status, 201, "{body}");
    }
    for (email, role, org) in [
        ("reviewer@qqi.example", "authority", "qqi"),
        ("staff@atu.example", "provider", "atu"),
    ] {
        let user = json!({ "email": email, "name": email, "role": role, "organisation_id": org, "password": PASSWORD });
        let (status, body) = admin.post(base, "/api/users", user);
        assert_eq!(status, 201, "{body}");
    }
}

pub fn description(title: &str, ects: f64) -> Value {
    json!({
        "title": { "en": title },
        "countries": ["IE"],
        "learning_outcomes": [{ "text": { "en": "Learners can plan a data pipeline." }, "kind": "skill" }],
        "workload": { "hours": ects * 25.0, "credits": [{ "system": "ECTS", "points": ects }] },
        "level": { "eqf": 6 },
        "field": "0613",
        "participation": { "modes": ["online"] }
    })
}

pub fn postgres_admin_url() -> String {
    std::env::var("MICROCRED_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh PostgreSQL database; `None` (test skipped, reason printed) when unreachable outside CI.
pub struct PgDatabase {
    pub url: String,
    name: String,
    admin_url: String,
}

impl PgDatabase {
    pub fn create() -> Option<PgDatabase> {
        let admin_url = postgres_admin_url();
        let name = microcred_server::store::new_id("mc");
        let runtime = tokio::runtime::Runtime::new().unwrap();
        match runtime.block_on(microcred_server::store::create_postgres_database(
            &admin_url, &name,
        )) {
            Ok(url) => Some(PgDatabase { url, name, admin_url }),
            Err(error) if std::env::var_os("CI").is_none() => {
                eprintln!("skipping: PostgreSQL at {admin_url} is unreachable ({error}); set MICROCRED_TEST_POSTGRES");
                None
            }
            Err(error) => panic!("PostgreSQL at {admin_url} is unreachable in CI: {error}"),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(runtime) = tokio::runtime::Runtime::new() {
            let _ = runtime.block_on(microcred_server::store::drop_postgres_database(
                &self.admin_url,
                &self.name,
            ));
        }
    }
}
