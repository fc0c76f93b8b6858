//! The audit log is append-only in the database itself: UPDATE and DELETE fail on both backends, and a
//! form login (the HTML variant of POST /api/login) sets the session cookie and redirects.

mod common;

use common::{run, TestDb, TestServer};
use sqlx::Connection;

async fn append_only(server: TestServer, url: String) {
    assert!(
        server.store.audit_count().await.unwrap() > 0,
        "creating the admin was audited"
    );
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        for statement in [
            "UPDATE audit_log SET action = 'forged'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ] {
            let error = sqlx::query(statement)
                .execute(&mut conn)
                .await
                .expect_err(statement);
            assert!(error.to_string().contains("append-only"), "{statement}: {error}");
        }
    } else {
        let before = server.store.audit_count().await.unwrap();
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for statement in ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"] {
            let error = sqlx::query(statement)
                .execute(&mut conn)
                .await
                .expect_err(statement);
            assert!(error.to_string().contains("append-only"), "{statement}: {error}");
        }
        assert_eq!(server.store.audit_count().await.unwrap(), before);
    }

    // The form login: 303 to `next` with the session cookie, which then works.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/api/login", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "email=admin%40test.example&password={}&next=%2Fregister",
            common::PASSWORD
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/register");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let me = client
        .get(format!("{}/api/me", server.base))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_is_append_only_on_sqlite() {
    let db = TestDb::sqlite();
    let url = db.url();
    run(db, move |server| append_only(server, url)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_is_append_only_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        let url = db.url();
        run(db, move |server| append_only(server, url)).await;
    }
}
