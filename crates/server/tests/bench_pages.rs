//! Page speed with 100,000 published register entries: every web page, timed through HTTP on
//! 127.0.0.1 (so the figure includes the loopback round trip, an upper bound on server time). Ignored
//! by default because seeding takes a while:
//!
//!     cargo test -p microcred-server --release --test bench_pages -- --ignored --nocapture
//!
//! Prints the median and the worst of 15 requests per page; fails if any page's median is 200 ms or
//! more.

mod common;

use std::time::{Duration, Instant};

use common::{Api, TestDb};
use microcred_server::demo::DEMO_PASSWORD;
use microcred_store::RegisterEntry;
use serde_json::json;

/// How to make one page's request with a given client.
type Request = Box<dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder>;

const ENTRIES: usize = 100_000;
const RUNS: usize = 15;
const TARGET: Duration = Duration::from_millis(200);

const SUBJECTS: &[&str] = &[
    "Data Analytics",
    "Cloud Computing",
    "Cybersecurity",
    "Renewable Energy",
    "Project Management",
    "Digital Marketing",
    "Machine Learning",
    "Supply Chain",
    "Food Safety",
    "Welding",
    "Robotics",
];
const COUNTRIES: &[&str] = &["IE", "ES", "HR", "EE", "NL", "MT"];
const PROVIDERS: &[&str] = &[
    "atu", "ucd", "setu", "upv", "uoc", "unizg", "algebra", "taltech", "hva", "tudelft",
];
const MODES: &[&str] = &["online", "blended", "presential"];

fn entries() -> Vec<RegisterEntry> {
    (0..ENTRIES)
        .map(|i| {
            let subject = SUBJECTS[i % SUBJECTS.len()];
            let title = format!("{subject} {}", i % 997);
            let provider = PROVIDERS[(i / 7) % PROVIDERS.len()];
            let country = COUNTRIES[(i / 3) % COUNTRIES.len()].to_string();
            let eqf = 3 + (i % 6) as i64;
            let credits = (1 + i % 30) as f64 / 2.0;
            let id = format!("bench-{i:06}");
            let summary = json!({
                "id": id, "version": 1, "title": { "en": title },
                "provider": { "id": provider, "name": format!("Provider {provider}"), "country": country },
                "country": country, "eqf": eqf, "credits": credits,
            });
            RegisterEntry {
                id,
                version: 1,
                title: title.clone(),
                search_text: format!("{title} learners can apply {} at work", subject.to_lowercase()),
                summary: summary.to_string(),
                eqf: Some(eqf),
                isced: Some(["0613", "0413", "0714", "0811"][i % 4].into()),
                country: Some(country),
                credits: Some(credits),
                modes: vec![MODES[i % MODES.len()].into()],
                provider_id: provider.into(),
                profile: "eu".into(),
                stackable: i % 5 == 0,
                published_at: format!("2026-01-01T00:00:{:02}.000Z", i % 60),
            }
        })
        .collect()
}

/// A logged-in browser-like client (cookies kept) for one demo account.
async fn client(base: &str, email: &str) -> reqwest::Client {
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let response = http
        .post(format!("{base}/api/login"))
        .json(&json!({ "email": email, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "login {email}");
    http
}

/// The CSRF token in a page's forms.
fn csrf(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[start..].split('"').next().unwrap().to_string()
}

async fn time(
    http: &reqwest::Client,
    request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
) -> (Duration, Duration, u16) {
    let mut times = Vec::new();
    let mut status = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let response = request(http).send().await.unwrap();
        status = response.status().as_u16();
        let _ = response.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    (times[RUNS / 2], times[RUNS - 1], status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "seeds 100,000 register entries; run with --ignored --release"]
async fn every_page_answers_within_200_ms_with_100k_entries() {
    let db = TestDb::sqlite();
    let server = common::start(&db.url()).await;
    let state = microcred_server::AppState::new(server.store.clone());
    microcred_server::demo::seed(&state).await.expect("demo data");
    let base = server.base.clone();

    // A credential for the learner pages, and a share of it.
    let public = Api::anonymous(&base);
    let page = public.get("/api/register?per_page=100").await.expect(200);
    let demo_entry = page.body["items"][0]["id"]
        .as_str()
        .expect("a demo entry")
        .to_string();
    let mut issued = None;
    for item in page.body["items"].as_array().unwrap() {
        {
            let provider = item["provider"]["id"].as_str().unwrap();
            let staff = client(&base, &format!("staff@{provider}.example")).await;
            let response = staff
                .post(format!("{base}/api/credentials"))
                .json(&json!({ "description_id": item["id"], "learner": { "email": "learner@microcred.example", "name": "Lea" } }))
                .send()
                .await
                .unwrap();
            if response.status() == 201 {
                issued = Some(response.json::<serde_json::Value>().await.unwrap());
                break;
            }
        }
    }
    let issued = issued.expect("a credential issued");
    let credential_id = issued["id"].as_str().unwrap().to_string();
    let claim = issued["claim_url"].as_str().unwrap().to_string();
    let credential_text = match &issued["credential"] {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let learner = client(&base, "learner@microcred.example").await;
    let wallet = learner
        .get(format!("{base}/wallet"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let share_page = learner
        .post(format!("{base}/wallet/shares"))
        .form(&[
            ("csrf", csrf(&wallet)),
            ("credential", credential_id.clone()),
            ("days", "7".into()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let share = share_page
        .split("id=\"link\" readonly value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a share link")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    let provider = client(&base, "staff@atu.example").await;
    let authority = client(&base, "reviewer@qqi.example").await;
    let anonymous = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let verify_form = anonymous
        .get(format!("{base}/verify"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let verify_csrf = csrf(&verify_form);
    let own_description = provider
        .get(format!("{base}/api/descriptions"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let reviewed = authority
        .get(format!("{base}/api/descriptions"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The 100,000 entries go in after the demo's own, which the pages above were found among.
    let seeding = Instant::now();
    for chunk in entries().chunks(5_000) {
        server.store.insert_register_entries(chunk).await.unwrap();
    }
    println!("seeded {ENTRIES} register entries in {:.1?}", seeding.elapsed());

    let html = |http: &reqwest::Client, url: String| http.get(url).header("accept", "text/html");
    let pages: Vec<(&str, &reqwest::Client, Request)> = vec![
        (
            "GET /",
            &anonymous,
            Box::new({
                let u = format!("{base}/");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /register",
            &anonymous,
            Box::new({
                let u = format!("{base}/register");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /register?q=data",
            &anonymous,
            Box::new({
                let u = format!("{base}/register?q=data");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /register?q=cloud+computing&eqf=6&country=IE",
            &anonymous,
            Box::new({
                let u = format!("{base}/register?q=cloud+computing&eqf=6&country=IE");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /register?mode=online&stackable=true&credits_min=5",
            &anonymous,
            Box::new({
                let u = format!("{base}/register?mode=online&stackable=true&credits_min=5");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /register?isced=06&provider=atu&page=40",
            &anonymous,
            Box::new({
                let u = format!("{base}/register?isced=06&provider=atu&page=40");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /register?page=2000",
            &anonymous,
            Box::new({
                let u = format!("{base}/register?page=2000");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /register/{id}",
            &anonymous,
            Box::new({
                let u = format!("{base}/register/{demo_entry}");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /verify",
            &anonymous,
            Box::new({
                let u = format!("{base}/verify");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "POST /verify (signed credential)",
            &anonymous,
            Box::new({
                let u = format!("{base}/verify");
                let form = vec![("csrf", verify_csrf.clone()), ("json", credential_text.clone())];
                move |h| h.post(u.clone()).form(&form)
            }),
        ),
        (
            "GET /login",
            &anonymous,
            Box::new({
                let u = format!("{base}/login");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /claim/{token}",
            &anonymous,
            Box::new({
                let u = claim.clone();
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /wallet",
            &learner,
            Box::new({
                let u = format!("{base}/wallet");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /s/{token}",
            &anonymous,
            Box::new({
                let u = share.clone();
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /provider",
            &provider,
            Box::new({
                let u = format!("{base}/provider");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /provider/{id}",
            &provider,
            Box::new({
                let u = format!("{base}/provider/{own_description}");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /provider/new",
            &provider,
            Box::new({
                let u = format!("{base}/provider/new");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /authority",
            &authority,
            Box::new({
                let u = format!("{base}/authority");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /authority/{id}",
            &authority,
            Box::new({
                let u = format!("{base}/authority/{reviewed}");
                move |h| html(h, u.clone())
            }),
        ),
        (
            "GET /authority/accreditations",
            &authority,
            Box::new({
                let u = format!("{base}/authority/accreditations");
                move |h| html(h, u.clone())
            }),
        ),
    ];
    let mut slow = Vec::new();
    println!("{:<58} {:>9} {:>9} {:>6}", "page", "median", "worst", "status");
    for (name, http, request) in &pages {
        let (median, worst, status) = time(http, request).await;
        println!(
            "{name:<58} {:>7.1}ms {:>7.1}ms {status:>6}",
            median.as_secs_f64() * 1e3,
            worst.as_secs_f64() * 1e3
        );
        assert!(status < 400, "{name} answered {status}");
        if median >= TARGET {
            slow.push(name.to_string());
        }
    }
    server.store.close().await;
    db.remove().await;
    assert!(slow.is_empty(), "pages at or over {TARGET:?}: {slow:?}");
}
