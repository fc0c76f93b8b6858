//! `microcred demo`: about fifty descriptions in every workflow state from six countries, logins that
//! work, and a second run on the same database adds nothing.

mod serve_support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::json;
use serve_support::call;

struct Demo {
    child: Child,
    base: String,
    output: Vec<String>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_demo(database: &str) -> Demo {
    let mut child = Command::new(env!("CARGO_BIN_EXE_microcred"))
        .args(["demo", "--listen", "127.0.0.1:0", "--database", database])
        .env("MICROCRED_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("microcred demo starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut output = Vec::new();
    let base = loop {
        let line = lines.next().expect("demo printed its address").unwrap();
        if let Some(address) = line.strip_prefix("microcred listening on ") {
            break address.trim().to_string();
        }
        output.push(line);
    };
    std::thread::spawn(move || for _ in lines {});
    Demo { child, base, output }
}

fn login(base: &str, email: &str, password: &str) -> String {
    let response = ureq::post(&format!("{base}/api/login"))
        .set("Content-Type", "application/json")
        .send_string(&json!({ "email": email, "password": password }).to_string())
        .expect("a demo login works");
    response
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn demo_seeds_every_state_and_is_idempotent() {
    let dir = std::env::temp_dir().join(microcred_server::store::new_id("mc_demo"));
    std::fs::create_dir_all(&dir).unwrap();
    let database = format!("sqlite://{}", dir.join("demo.db").display());

    let demo = start_demo(&database);
    let printed = demo.output.join("\n");
    let password = printed
        .split("password for all: ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the password is printed");
    assert!(
        printed.contains("reviewer@qqi.example") && printed.contains("staff@atu.example"),
        "{printed}"
    );
    let admin = login(&demo.base, "admin@microcred.example", password);
    let (_, listing) = call(
        "GET",
        &format!("{}/api/descriptions", demo.base),
        Some(&admin),
        None,
        &[],
    );
    let items = listing["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 50);
    let states: BTreeSet<&str> = items.iter().map(|d| d["state"].as_str().unwrap()).collect();
    assert_eq!(states.len(), 8, "every workflow state: {states:?}");
    let (_, organisations) = call(
        "GET",
        &format!("{}/api/organisations", demo.base),
        None,
        None,
        &[],
    );
    let countries: BTreeSet<&str> = organisations
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["country"].as_str().unwrap())
        .collect();
    assert!(countries.len() >= 6, "{countries:?}");
    let (_, register) = call(
        "GET",
        &format!("{}/api/register?per_page=1", demo.base),
        None,
        None,
        &[],
    );
    let published = register["total"].as_i64().unwrap();
    assert!(published >= 30, "{register}");
    let (_, audit) = call(
        "GET",
        &format!("{}/api/audit?limit=1", demo.base),
        Some(&admin),
        None,
        &[],
    );
    let audit_total = audit["total"].as_i64().unwrap();
    drop(demo);

    let again = start_demo(&database);
    let admin = login(&again.base, "admin@microcred.example", password);
    let (_, listing) = call(
        "GET",
        &format!("{}/api/descriptions", again.base),
        Some(&admin),
        None,
        &[],
    );
    assert_eq!(listing["items"].as_array().unwrap().len(), 50, "no duplicates");
    let (_, audit) = call(
        "GET",
        &format!("{}/api/audit?limit=1", again.base),
        Some(&admin),
        None,
        &[],
    );
    assert_eq!(
        audit["total"].as_i64().unwrap(),
        audit_total,
        "the second run changed nothing"
    );
    let (_, register) = call(
        "GET",
        &format!("{}/api/register?per_page=1", again.base),
        None,
        None,
        &[],
    );
    assert_eq!(register["total"].as_i64().unwrap(), published);
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}
