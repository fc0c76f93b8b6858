//! Claim e-mails through SMTP: with MICROCRED_SMTP set, the claim link goes to an SMTP server (here a
//! minimal one in the test) instead of the outbox. Its own test binary, so its environment is its own.

mod common;
mod issuing_support;

use common::{run, TestDb, TestServer};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Accepts SMTP sessions and sends each message's DATA to `messages`.
async fn fake_smtp(listener: tokio::net::TcpListener, messages: mpsc::UnboundedSender<String>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let messages = messages.clone();
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 test ESMTP\r\n").await.unwrap();
            let mut data: Option<String> = None;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(body) = data.as_mut() {
                    if line == "." {
                        messages.send(data.take().unwrap()).unwrap();
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else {
                        body.push_str(&line);
                        body.push('\n');
                    }
                    continue;
                }
                let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                let answer: &[u8] = match verb.as_str() {
                    "EHLO" | "HELO" => b"250 test\r\n",
                    "DATA" => {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    }
                    "QUIT" => {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    }
                    _ => b"250 ok\r\n",
                };
                write.write_all(answer).await.unwrap();
            }
        });
    }
}

async fn smtp_delivery(server: TestServer) {
    let mut messages = SMTP.lock().unwrap().take().expect("one scenario per process");
    let issuer = issuing_support::issuer(&server.base).await;
    let made = issuer
        .machine
        .post(
            "/api/credentials",
            json!({ "description_id": issuer.description_id, "learner": { "email": "mail@example.org", "name": "Mai Lee" } }),
        )
        .await
        .expect(201);
    let message = tokio::time::timeout(std::time::Duration::from_secs(10), messages.recv())
        .await
        .expect("an e-mail within 10 s")
        .unwrap();
    assert!(
        message.contains("To: \"Mai Lee\" <mail@example.org>")
            || message.contains("To: Mai Lee <mail@example.org>"),
        "{message}"
    );
    let claim_url = made.body["claim_url"].as_str().unwrap();
    assert!(
        message.replace("=\n", "").contains(claim_url),
        "the claim link is in the e-mail: {message}"
    );
}

static SMTP: std::sync::Mutex<Option<mpsc::UnboundedReceiver<String>>> = std::sync::Mutex::new(None);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_links_go_out_by_smtp() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    std::env::set_var(
        "MICROCRED_SMTP",
        format!("smtp://{}", listener.local_addr().unwrap()),
    );
    let (send, receive) = mpsc::unbounded_channel();
    *SMTP.lock().unwrap() = Some(receive);
    tokio::spawn(fake_smtp(listener, send));
    run(TestDb::sqlite(), smtp_delivery).await;
}
