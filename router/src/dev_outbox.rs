//! `/dev/outbox` (HTML) and `/dev/outbox.json` on the auth host: the mail
//! the local outbox kept ([`crate::mailer`]), newest first. They answer
//! only when `MAILER = "outbox"` (local runs); anywhere else they are the
//! auth host's 404, like any unknown path.

use grove_shared::protocol::D1_BINDING;
use grove_shared::views::dev_outbox::{outbox_page, OutboxMail};
use serde::Deserialize;
use worker::{Env, Response, Result};

use crate::respond;

/// Mails listed.
const LISTED: f64 = 50.0;

#[derive(Deserialize)]
struct Row {
    to_address: String,
    subject: String,
    body: String,
    sent_at: i64,
}

/// Whether `path` is one of the outbox's pages.
pub fn is_outbox_path(path: &str) -> bool {
    matches!(path, "/dev/outbox" | "/dev/outbox.json")
}

/// Serves the outbox page at `path`, or `None` when the outbox is off.
pub async fn serve(env: &Env, path: &str) -> Option<Result<Response>> {
    if !crate::mailer::outbox_on(env) {
        return None;
    }
    Some(list(env, path).await)
}

async fn list(env: &Env, path: &str) -> Result<Response> {
    let mails: Vec<OutboxMail> = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT to_address, subject, body, sent_at FROM dev_outbox ORDER BY id DESC LIMIT ?1",
        )
        .bind(&[LISTED.into()])?
        .all()
        .await?
        .results::<Row>()?
        .into_iter()
        .map(|r| OutboxMail {
            to: r.to_address,
            subject: r.subject,
            text: r.body,
            sent_at: r.sent_at,
        })
        .collect();
    let resp = if path.ends_with(".json") {
        respond::secure(Response::from_json(&mails)?)?
    } else {
        respond::html(200, outbox_page(&mails).into_string())?
    };
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}
