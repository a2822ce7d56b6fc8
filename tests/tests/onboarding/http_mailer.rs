//! The production mailer (`MAILER = "http"`), on a platform of the test's
//! own: the reset mail is posted to the provider's API (here a listener of
//! the test's) with the key as a bearer token and the JSON body the
//! `Mailer` port defines, and the link in it works. The local outbox page
//! is not there.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use grove_tests::platform::LocalPlatform;
use reqwest::Method;

use crate::{ask_reset, open_link, send_new_password, token_of};

/// One request the provider received.
struct Received {
    head: String,
    body: String,
}

/// A provider's API on a free port: answers every request 200, hands
/// each to the test.
fn provider() -> (u16, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(read_half) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(read_half);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let length = head
                .lines()
                .find_map(|l| {
                    let l = l.to_ascii_lowercase();
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"id\":\"m1\"}",
            );
            let received = Received {
                head,
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            if tx.send(received).is_err() {
                break;
            }
        }
    });
    (port, rx)
}

#[tokio::test]
async fn the_http_mailer_posts_the_reset_mail_to_the_provider() {
    let (port, received) = provider();
    let state = LocalPlatform::empty_state("onboarding-http-mailer");
    let api = format!("http://127.0.0.1:{port}/emails");
    let platform = LocalPlatform::start_with(
        &state,
        &[
            ("MAILER", "http"),
            ("MAIL_API_URL", &api),
            ("MAIL_FROM", "no-reply@grove.localhost"),
            ("MAIL_API_KEY", "test-key-123"),
        ],
    );
    let g = platform.grove();
    let outbox = g
        .send(g.request(Method::GET, &g.auth_host(), "/dev/outbox"))
        .await;
    assert_eq!(
        outbox.status, 404,
        "no outbox page outside local outbox runs"
    );

    let owner = g.sign_up("mailer").await;
    let asked = ask_reset(&g, &owner.email).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let mail = received
        .recv_timeout(Duration::from_secs(15))
        .expect("the provider received the mail");
    assert!(
        mail.head.starts_with("POST /emails HTTP/1.1\r\n"),
        "{}",
        mail.head
    );
    let head = mail.head.to_ascii_lowercase();
    assert!(
        head.contains("authorization: bearer test-key-123\r\n"),
        "{}",
        mail.head
    );
    assert!(
        head.contains("content-type: application/json\r\n"),
        "{}",
        mail.head
    );
    let body: serde_json::Value = serde_json::from_str(&mail.body).expect("a JSON body");
    assert_eq!(body["from"], "no-reply@grove.localhost");
    assert_eq!(body["to"], serde_json::json!([owner.email]));
    assert_eq!(body["subject"], "Reset your Grove password");
    let text = body["text"].as_str().expect("the text");
    let prefix = format!("{}/reset?token=", g.origin(&g.auth_host()));
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with(&prefix))
        .expect("the link in the text")
        .to_string();

    let (page, form) = open_link(&g, &link).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let done = send_new_password(
        &g,
        &token_of(&link),
        &form.expect("the form"),
        "mailed new password",
        "mailed new password",
    )
    .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        g.sign_in_reply(&owner.email, "mailed new password", None)
            .await
            .status,
        303
    );
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}
