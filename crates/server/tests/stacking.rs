//! Stacking over HTTP (issue #7), on SQLite and PostgreSQL: evaluations with real signed credentials
//! (complete and partial, a tampered and an expired credential excluded with the reason), suggestions
//! from the published register, decisions recorded by a receiving organisation only, and bad input
//! answered with problem details naming the field.

mod common;
mod issuing_support;

use common::{audit_total, Api, TestDb, TestServer, PASSWORD};
use microcred_vc::{sign, ProofOptions, SigningKeyPair};
use serde_json::{json, Value};

const LEARNER: &str = "did:example:learner-aoife";
const SKILL: &str = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d";

/// An OB 3.0 credential for one achievement, signed by `key` (issuer: its did:key).
fn signed(key: &SigningKeyPair, id: &str, achievement: &str, name: &str, valid_until: Option<&str>) -> Value {
    let mut credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": { "id": key.public().did_key(), "type": ["Profile"], "name": "Training Centre (test)" },
        "validFrom": "2026-01-15T09:00:00Z",
        "name": name,
        "credentialSubject": {
            "id": LEARNER,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": achievement,
                "type": ["Achievement"],
                "name": name,
                "description": name,
                "criteria": { "narrative": "Assessed against the unit's learning outcomes." }
            }
        }
    });
    if let Some(until) = valid_until {
        credential["validUntil"] = json!(until);
    }
    let mut options = ProofOptions::new(key.public());
    options.created = Some("2026-01-15T09:00:00Z".into());
    sign(&credential, key, &options).expect("signed")
}

/// Two units, both mandatory; the second names the published register entry and an ESCO skill.
fn qualification(register_id: &str) -> Value {
    json!({
        "id": "https://body.example/qualifications/data-certificate",
        "title": "Certificate in Data Practice (test)",
        "source": "Test award specification",
        "awarding_body": { "id": "did:web:body.example", "name": "Awarding Body (test)" },
        "accept": { "issuers": "any" },
        "components": [
            { "id": "https://units.example/u1", "title": "Data foundations",
              "credits": { "system": "ECTS", "points": 5.0 } },
            { "id": "https://units.example/u2", "title": "Applied analytics",
              "credits": { "system": "ECTS", "points": 5.0 },
              "credentials": [format!("https://register.example/register/{register_id}")],
              "esco_skills": [SKILL] }
        ],
        "requirements": [
            { "name": "both units", "all_of": ["https://units.example/u1", "https://units.example/u2"] },
            { "name": "ten credits", "min_credits": 10.0, "credit_system": "ECTS" }
        ]
    })
}

fn status_of<'a>(evaluation: &'a Value, id: &str) -> &'a Value {
    evaluation["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {evaluation:#}"))
}

async fn scenario(server: TestServer) {
    // ATU publishes "Applied Data Analytics" and is accredited by QQI; it issues through the API.
    let issuer = issuing_support::issuer(&server.base).await;
    let w = &issuer.w;
    let public = Api::anonymous(&server.base);
    let register_id = issuer.description_id.clone();

    // The built-in qualifications.
    let listed = public.get("/api/stack/qualifications").await.expect(200).body;
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"ie-qqi-level5-certificate"), "{names:?}");
    assert!(listed[0]["source"].is_string());

    let key = SigningKeyPair::from_seed(&[21; 32]);
    let u1 = signed(
        &key,
        "urn:uuid:c-u1",
        "https://units.example/u1",
        "Data foundations",
        None,
    );
    let u2 = signed(
        &key,
        "urn:uuid:c-u2",
        "https://units.example/u2",
        "Applied analytics",
        None,
    );
    let mut tampered = signed(
        &key,
        "urn:uuid:c-u2-tampered",
        "https://units.example/u2",
        "Applied analytics",
        None,
    );
    tampered["credentialSubject"]["id"] = json!("did:example:someone-else");
    let expired = signed(
        &key,
        "urn:uuid:c-u2-expired",
        "https://units.example/u2",
        "Applied analytics",
        Some("2026-02-01T00:00:00Z"),
    );
    let q = qualification(&register_id);

    // Partial: u1 only, with a tampered and an expired copy of u2 that must not count.
    let partial = public
        .post(
            "/api/stack/evaluate",
            json!({ "qualification": q, "credentials": [u1, tampered, expired] }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(partial["complete"], false, "{partial:#}");
    assert_eq!(partial["requirements"][0]["met"], false);
    assert_eq!(
        partial["requirements"][0]["missing"][0]["id"],
        "https://units.example/u2"
    );
    assert_eq!(status_of(&partial, "urn:uuid:c-u1")["status"], "counted");
    let excluded = status_of(&partial, "urn:uuid:c-u2-tampered");
    assert_eq!(excluded["status"], "excluded", "{excluded}");
    assert!(!excluded["reason"].as_str().unwrap().is_empty());
    let expired_use = status_of(&partial, "urn:uuid:c-u2-expired");
    assert_eq!(expired_use["status"], "excluded", "{expired_use}");
    assert!(
        expired_use["reason"].as_str().unwrap().contains("expire"),
        "{expired_use}"
    );
    // The published register entry is suggested for the missing unit, named by its register URL.
    let suggestions = partial["suggestions"].as_array().unwrap();
    assert!(
        suggestions
            .iter()
            .any(|s| s["component"] == "https://units.example/u2"
                && s["micro_credential"] == register_id.as_str()
                && s["matched_by"]["by"] == "identifier"),
        "{suggestions:#?}"
    );

    // By ESCO skill alone (no identifier): still suggested.
    let mut by_skill = q.clone();
    by_skill["components"][1]
        .as_object_mut()
        .unwrap()
        .remove("credentials");
    let found = public
        .post(
            "/api/stack/evaluate",
            json!({ "qualification": by_skill, "credentials": [u1] }),
        )
        .await
        .expect(200)
        .body;
    assert!(
        found["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["micro_credential"] == register_id.as_str() && s["matched_by"]["by"] == "skills"),
        "{found:#}"
    );

    // Complete: both units; credits add up.
    let complete = public
        .post(
            "/api/stack/evaluate",
            json!({ "qualification": q, "credentials": [u1, u2] }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(complete["complete"], true, "{complete:#}");
    assert_eq!(complete["requirements"][1]["credits"]["held"], 10.0);
    assert!(complete["suggestions"].as_array().unwrap().is_empty());

    // A built-in qualification by name: nothing of it held, so incomplete.
    let builtin = public
        .post(
            "/api/stack/evaluate",
            json!({ "qualification": "ie-qqi-level5-certificate", "credentials": [u1] }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(builtin["complete"], false);
    assert_eq!(
        builtin["qualification"]["id"],
        "https://qualifications.example.eu/ie/qqi/5M0000"
    );

    // Credentials issued by this service: verified against its own status lists and trust list. A
    // revoked one is excluded with the reason; the valid one counts, from an accredited issuer. The
    // description has its own URI, which becomes the achievement id a qualification can name.
    let unit_uri = "https://atu.example/micro-credentials/applied-analytics";
    let mut with_uri = common::description("Applied Analytics Unit", 5.0);
    with_uri["id"] = json!(unit_uri);
    let unit = w
        .atu
        .post("/api/descriptions", json!({ "description": with_uri }))
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    w.atu
        .post_empty(&format!("/api/descriptions/{unit}/submit"))
        .await
        .expect(200);
    w.qqi
        .post_empty(&format!("/api/descriptions/{unit}/start-review"))
        .await
        .expect(200);
    w.qqi
        .post(
            &format!("/api/descriptions/{unit}/approve"),
            json!({ "note": "Compliant." }),
        )
        .await
        .expect(200);
    w.atu
        .post_empty(&format!("/api/descriptions/{unit}/publish"))
        .await
        .expect(200);
    let (_, good) = issue(&issuer.machine, &unit, "aoife@example.org").await;
    let (revoked_id, revoked) = issue(&issuer.machine, &unit, "bo@example.org").await;
    w.atu
        .post(
            &format!("/api/credentials/{revoked_id}/revoke"),
            json!({ "reason": "issued in error" }),
        )
        .await
        .expect(200);
    assert_eq!(
        good["credentialSubject"]["achievement"]["id"], unit_uri,
        "{good:#}"
    );
    let issued_q = json!({
        "id": "https://body.example/qualifications/analytics",
        "title": "Analytics award (test)",
        "source": "Test award specification",
        "awarding_body": { "id": "did:web:body.example", "name": "Awarding Body (test)" },
        "accept": { "issuers": "accredited" },
        "components": [{ "id": unit_uri, "title": "Applied Analytics Unit", "esco_skills": [SKILL] }],
        "requirements": [{ "name": "the unit", "all_of": [unit_uri] }]
    });
    let only_revoked = public
        .post(
            "/api/stack/evaluate",
            json!({ "qualification": issued_q, "credentials": [revoked] }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(only_revoked["complete"], false);
    let revoked_use = &only_revoked["credentials"][0];
    assert_eq!(revoked_use["status"], "excluded", "{revoked_use}");
    assert!(
        revoked_use["reason"].as_str().unwrap().contains("revoked"),
        "{revoked_use}"
    );
    // The missing unit is the published entry itself: found by its skills, matched by its URI.
    assert!(
        only_revoked["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["micro_credential"] == unit.as_str() && s["matched_by"]["by"] == "identifier"),
        "{only_revoked:#}"
    );
    let with_good = public
        .post(
            "/api/stack/evaluate",
            json!({ "qualification": issued_q, "credentials": [revoked, good] }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(with_good["complete"], true, "{with_good:#}");
    assert_eq!(with_good["credentials"][1]["status"], "counted");

    // Bad input names the field.
    for (body, pointer) in [
        (
            json!({ "qualification": "no-such-thing", "credentials": [] }),
            "/qualification",
        ),
        (json!({ "qualification": 7, "credentials": [] }), "/qualification"),
        (
            json!({ "qualification": { "id": "x" }, "credentials": [] }),
            "/qualification",
        ),
        (
            json!({ "qualification": q, "credentials": [42] }),
            "/credentials/0",
        ),
        (
            json!({ "qualification": q, "credentials": [u1, { "id": "x" }] }),
            "/credentials/1",
        ),
    ] {
        let resp = public.post("/api/stack/evaluate", body).await.problem(422);
        assert_eq!(resp.body["errors"][0]["pointer"], pointer, "{}", resp.body);
    }
    let resp = public
        .post("/api/stack/evaluate", json!({ "qualification": q }))
        .await
        .problem(422);
    assert!(
        resp.body["detail"].as_str().unwrap().contains("credentials"),
        "{}",
        resp.body
    );

    // The page: a built-in qualification, pasted credentials; the result in plain language.
    let page = public.get("/stack").await.expect(200).body;
    let page = page.as_str().unwrap().to_string();
    assert!(page.contains("value=\"ie-qqi-level5-certificate\""), "{page}");
    let csrf = csrf_of(&page);
    let form = |fields: &[(&str, &str)]| serde_urlencoded::to_string(fields).unwrap().into_bytes();
    let pasted = json!([u1, tampered]).to_string();
    let result = public
        .raw(
            reqwest::Method::POST,
            "/stack",
            "application/x-www-form-urlencoded",
            form(&[
                ("csrf", &csrf),
                ("qualification", "ie-qqi-level5-certificate"),
                ("json", &pasted),
            ]),
        )
        .await
        .expect(200)
        .body;
    let result = result.as_str().unwrap();
    assert!(result.contains("Not every requirement is met yet."), "{result}");
    assert!(
        result.contains("Communications (minor award, level 5)"),
        "missing components are named"
    );
    assert!(
        result.contains("excluded"),
        "the tampered credential is excluded with its reason"
    );
    assert!(result.contains("This is a recommendation only"));
    let empty = public
        .raw(
            reqwest::Method::POST,
            "/stack",
            "application/x-www-form-urlencoded",
            form(&[
                ("csrf", &csrf),
                ("qualification", "ie-qqi-level5-certificate"),
                ("json", ""),
            ]),
        )
        .await
        .expect(422)
        .body;
    assert!(empty.as_str().unwrap().contains("Give at least one credential"));
    public
        .raw(
            reqwest::Method::POST,
            "/stack",
            "application/x-www-form-urlencoded",
            form(&[
                ("csrf", &csrf),
                ("qualification", "ie-qqi-level5-certificate"),
                ("json", "{not json"),
            ]),
        )
        .await
        .expect(422);
    public
        .raw(
            reqwest::Method::POST,
            "/stack",
            "application/x-www-form-urlencoded",
            form(&[
                ("csrf", "forged"),
                ("qualification", "ie-qqi-level5-certificate"),
                ("json", &pasted),
            ]),
        )
        .await
        .expect(403);

    // Decisions: a receiving organisation's staff only.
    w.admin
        .post(
            "/api/organisations",
            json!({ "id": "dub", "kind": "receiver", "name": "Receiving College (test)", "country": "IE" }),
        )
        .await
        .expect(201);
    w.admin
        .post(
            "/api/users",
            json!({ "email": "staff@dub.example", "name": "Admissions", "role": "receiver",
                    "organisation_id": "dub", "password": PASSWORD }),
        )
        .await
        .expect(201);
    let receiver = Api::login(&server.base, "staff@dub.example").await;
    let decision = json!({
        "qualification": "https://body.example/qualifications/data-certificate",
        "learner": LEARNER,
        "outcome": "awarded",
        "reasons": ["both units held and verified"],
        "evaluation": complete,
    });
    let before = audit_total(&w.admin).await;
    for refused in [&w.learner, &w.atu, &w.qqi, &w.admin] {
        refused
            .post("/api/stack/decisions", decision.clone())
            .await
            .problem(403);
    }
    public
        .post("/api/stack/decisions", decision.clone())
        .await
        .problem(401);
    assert_eq!(audit_total(&w.admin).await, before, "refusals change nothing");
    let recorded = receiver
        .post("/api/stack/decisions", decision.clone())
        .await
        .expect(201)
        .body;
    assert_eq!(recorded["outcome"], "awarded");
    assert_eq!(recorded["organisation_id"], "dub");
    assert_eq!(recorded["evaluation"]["complete"], true);
    assert_eq!(audit_total(&w.admin).await, before + 1, "the decision is audited");
    let audit = w.admin.get("/api/audit?limit=1").await.expect(200).body;
    assert!(audit.to_string().contains("stacking_decision"), "{audit}");
    let mine = receiver.get("/api/stack/decisions").await.expect(200).body;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["id"], recorded["id"]);
    w.learner.get("/api/stack/decisions").await.problem(403);

    // Bad decisions name the field.
    let mut wrong = decision.clone();
    wrong["reasons"] = json!([]);
    let resp = receiver.post("/api/stack/decisions", wrong).await.problem(422);
    assert_eq!(resp.body["errors"][0]["pointer"], "/reasons");
    let mut wrong = decision.clone();
    wrong["qualification"] = json!("https://elsewhere.example/q");
    let resp = receiver.post("/api/stack/decisions", wrong).await.problem(422);
    assert_eq!(resp.body["errors"][0]["pointer"], "/qualification");
    let mut wrong = decision.clone();
    wrong["evaluation"] = partial.clone();
    wrong["qualification"] = partial["qualification"]["id"].clone();
    let resp = receiver
        .post("/api/stack/decisions", wrong.clone())
        .await
        .problem(422);
    assert_eq!(
        resp.body["errors"][0]["pointer"], "/outcome",
        "awarded needs a complete evaluation"
    );
    wrong["outcome"] = json!("deferred");
    wrong["reasons"] = json!(["waiting for the applied analytics unit"]);
    let deferred = receiver
        .post("/api/stack/decisions", wrong)
        .await
        .expect(201)
        .body;
    assert_eq!(deferred["outcome"], "deferred");
    // A token of the receiving organisation needs the stacking:decide scope.
    let made = receiver
        .post(
            "/api/tokens",
            json!({ "name": "admissions system", "scopes": ["stacking:decide"] }),
        )
        .await
        .expect(201);
    let machine = Api::with_token(&server.base, made.body["token"].as_str().unwrap());
    machine
        .post("/api/stack/decisions", decision.clone())
        .await
        .expect(201);
    let made = receiver
        .post(
            "/api/tokens",
            json!({ "name": "reader", "scopes": ["records:read"] }),
        )
        .await
        .expect(201);
    let reader = Api::with_token(&server.base, made.body["token"].as_str().unwrap());
    reader
        .post("/api/stack/decisions", decision.clone())
        .await
        .problem(403);
    assert_eq!(
        receiver
            .get("/api/stack/decisions")
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let mark = audit_total(&w.admin).await;
    let mut wrong = decision.clone();
    wrong["outcome"] = json!("granted");
    let resp = receiver.post("/api/stack/decisions", wrong).await.problem(422);
    assert_eq!(resp.body["errors"][0]["pointer"], "/outcome");
    assert_eq!(
        audit_total(&w.admin).await,
        mark,
        "a refused decision changes nothing"
    );
}

/// Issues a credential of the published description through the API; its id and the credential.
async fn issue(api: &Api, description_id: &str, email: &str) -> (String, Value) {
    let made = api
        .post(
            "/api/credentials",
            json!({ "description_id": description_id, "learner": { "email": email, "name": "Aoife Byrne" } }),
        )
        .await
        .expect(201);
    (
        made.body["id"].as_str().unwrap().to_string(),
        made.body["credential"].clone(),
    )
}

/// The CSRF token in a page's form.
fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn stacking_on_sqlite() {
    common::run(TestDb::sqlite(), scenario).await;
}

#[tokio::test]
async fn stacking_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        common::run(db, scenario).await;
    }
}
