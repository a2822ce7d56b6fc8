//! The runtime's side of the [`Mailer`] port, chosen by the `MAILER` var:
//!
//! - `http` (production): each mail is posted to an email provider's HTTP
//!   API: `MAIL_API_URL` (a var), `Authorization: Bearer` the
//!   `MAIL_API_KEY` secret, the JSON of
//!   [`grove_shared::accounts::mail::provider_body`] with `MAIL_FROM` (a
//!   var) as the sender. A missing setting is logged at each send, never
//!   shown to the person who asked.
//! - `outbox` (local runs, set by `scripts/local.sh`): the mail is kept in
//!   D1's `dev_outbox` (the newest 200), shown at `/dev/outbox` on the auth
//!   host ([`crate::dev_outbox`]).
//!
//! Mail is sent after the answer (`wait_until`), so how long a provider
//! takes never shows in the answer's timing.

use grove_shared::accounts::mail::{provider_body, Mail, MailError, Mailer};
use grove_shared::protocol::D1_BINDING;
use wasm_bindgen::JsValue;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

/// Mails kept by the local outbox.
const OUTBOX_KEEPS: i64 = 200;

/// The mailer the vars choose.
pub enum RuntimeMailer {
    Outbox(Env),
    Http {
        url: String,
        from: String,
        key: String,
    },
    /// Misconfigured: every send fails with this (logged).
    Unconfigured(&'static str),
}

fn var(env: &Env, name: &str) -> String {
    env.var(name).map(|v| v.to_string()).unwrap_or_default()
}

/// Whether the local outbox is on (`MAILER = "outbox"`): it also decides
/// whether `/dev/outbox` answers.
pub fn outbox_on(env: &Env) -> bool {
    var(env, "MAILER") == "outbox"
}

/// The mailer `MAILER` names.
pub fn from_env(env: &Env) -> RuntimeMailer {
    match var(env, "MAILER").as_str() {
        "outbox" => RuntimeMailer::Outbox(env.clone()),
        "http" => {
            let url = var(env, "MAIL_API_URL");
            let from = var(env, "MAIL_FROM");
            let key = env
                .secret("MAIL_API_KEY")
                .map(|s| s.to_string())
                .unwrap_or_default();
            if url.is_empty() || from.is_empty() || key.is_empty() {
                RuntimeMailer::Unconfigured(
                    "MAILER is \"http\" but MAIL_API_URL, MAIL_FROM or the MAIL_API_KEY secret is not set",
                )
            } else {
                RuntimeMailer::Http { url, from, key }
            }
        }
        _ => RuntimeMailer::Unconfigured("MAILER is neither \"http\" nor \"outbox\""),
    }
}

impl Mailer for RuntimeMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        match self {
            RuntimeMailer::Outbox(env) => {
                keep(env, mail).await.map_err(|e| MailError(e.to_string()))
            }
            RuntimeMailer::Http { url, from, key } => post(url, from, key, mail).await,
            RuntimeMailer::Unconfigured(why) => Err(MailError((*why).to_string())),
        }
    }
}

async fn keep(env: &Env, mail: &Mail) -> worker::Result<()> {
    let db = env.d1(D1_BINDING)?;
    let now = JsValue::from_f64(worker::Date::now().as_millis() as f64);
    db.batch(vec![
        db.prepare(
            "INSERT INTO dev_outbox (to_address, subject, body, sent_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(&[
            mail.to.as_str().into(),
            mail.subject.as_str().into(),
            mail.text.as_str().into(),
            now,
        ])?,
        db.prepare("DELETE FROM dev_outbox WHERE id <= (SELECT MAX(id) FROM dev_outbox) - ?1")
            .bind(&[JsValue::from_f64(OUTBOX_KEEPS as f64)])?,
    ])
    .await?;
    Ok(())
}

async fn post(url: &str, from: &str, key: &str, mail: &Mail) -> Result<(), MailError> {
    let failed = |e: worker::Error| MailError(format!("mail provider request failed: {e}"));
    let headers = Headers::new();
    headers
        .set("authorization", &format!("Bearer {key}"))
        .map_err(failed)?;
    headers
        .set("content-type", "application/json")
        .map_err(failed)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(JsValue::from_str(
            &provider_body(from, mail).to_string(),
        )));
    let req = Request::new_with_init(url, &init).map_err(failed)?;
    let resp = Fetch::Request(req).send().await.map_err(failed)?;
    match resp.status_code() {
        200..=299 => Ok(()),
        status => Err(MailError(format!("mail provider answered {status}"))),
    }
}
