//! The mail a local run would have sent: the auth host's `/dev/outbox.json`
//! (local runs keep mail there, `MAILER = "outbox"`), and the links in it.
//! Mail goes out after the answer that caused it, so the readers here wait
//! for it a little.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Deserialize;

use crate::Grove;

/// One mail of the outbox.
#[derive(Debug, Clone, Deserialize)]
pub struct OutboxMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub sent_at: i64,
}

impl OutboxMail {
    /// The first link in the text that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with(prefix))
            .map(str::to_string)
    }
}

impl Grove {
    /// Every mail in the outbox, newest first.
    pub async fn outbox(&self) -> Vec<OutboxMail> {
        let r = self
            .send(self.request(Method::GET, &self.auth_host(), "/dev/outbox.json"))
            .await;
        assert_eq!(r.status, 200, "/dev/outbox.json: {}", r.body);
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("outbox JSON ({e}): {}", r.body))
    }

    /// The mails sent to `address`, newest first.
    pub async fn mails_to(&self, address: &str) -> Vec<OutboxMail> {
        let mut mails = self.outbox().await;
        mails.retain(|m| m.to == address);
        mails
    }

    /// Waits (up to 10 s) until `address` has more than `before` mails;
    /// returns the newest.
    pub async fn next_mail_to(&self, address: &str, before: usize) -> OutboxMail {
        let start = Instant::now();
        loop {
            let mails = self.mails_to(address).await;
            if mails.len() > before {
                return mails[0].clone();
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no new mail to {address} after 10 s (it had {before})"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The path and query of a link to this platform (`http://host:port/p?q` → `/p?q`).
    pub fn path_of(&self, link: &str) -> String {
        let rest = link.split_once("://").map_or(link, |(_, r)| r);
        rest.find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string())
    }
}
