//! The mail Grove sends, and the port it goes through.
//!
//! [`Mailer`] is the port. The router has two implementations, chosen by
//! the `MAILER` var: `http` posts each mail to an email provider's HTTP API
//! (production; the body is [`provider_body`]), `outbox` keeps it in D1's
//! `dev_outbox` for local runs, where the auth host shows it at
//! `/dev/outbox` and tests read it. [`MemoryOutbox`] is the in-memory fake
//! for native tests. What a mail says is decided here, once.

use std::cell::RefCell;

use serde::Serialize;

use super::reset::{reset_link, ResetToken};
use crate::config::PlatformConfig;

/// One plain-text mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// Why a mail was not sent; for the log, never shown to anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailError(pub String);

impl core::fmt::Display for MailError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Sends mail.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only
pub trait Mailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// The reset mail for the account `to`, with its link.
pub fn reset_mail(config: &PlatformConfig, to: &str, token: &ResetToken) -> Mail {
    let link = reset_link(config, token);
    let text = format!(
        "Someone, hopefully you, asked to reset the password of the Grove account for {to}.\n\
         \n\
         To choose a new password, open this link within an hour:\n\
         \n\
         {link}\n\
         \n\
         The link works once, and signs you out everywhere else. If you did not ask \
         for it, ignore this mail: your password stays as it is.\n\
         \n\
         Grove\n\
         {apex}\n",
        apex = config.apex_url(),
    );
    Mail {
        to: to.to_string(),
        subject: "Reset your Grove password".to_string(),
        text,
    }
}

/// Builds the reset mail and sends it through `mailer`.
pub async fn send_reset<M: Mailer>(
    mailer: &M,
    config: &PlatformConfig,
    to: &str,
    token: &ResetToken,
) -> Result<(), MailError> {
    mailer.send(&reset_mail(config, to, token)).await
}

/// The JSON body the production mailer posts to the provider's API (the
/// `MAIL_API_URL` var, with the `MAIL_API_KEY` secret as a bearer token):
/// `{"from", "to": [address], "subject", "text"}`, the shape of the common
/// transactional-mail APIs. A provider that wants another shape needs
/// only this function changed.
pub fn provider_body(from: &str, mail: &Mail) -> serde_json::Value {
    serde_json::json!({
        "from": from,
        "to": [mail.to],
        "subject": mail.subject,
        "text": mail.text,
    })
}

/// The `http(s)://` links in a mail's text, in order, for the local
/// outbox page to make clickable.
pub fn links_in(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect()
}

/// A mailer that keeps what it is given, for native tests.
#[derive(Debug, Default)]
pub struct MemoryOutbox {
    pub sent: RefCell<Vec<Mail>>,
    /// When set, every send fails with this.
    pub fail: Option<String>,
}

impl Mailer for MemoryOutbox {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        if let Some(why) = &self.fail {
            return Err(MailError(why.clone()));
        }
        self.sent.borrow_mut().push(mail.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn dev() -> PlatformConfig {
        PlatformConfig::from_vars("grove.localhost", "http", "8787").unwrap()
    }

    #[test]
    fn the_reset_mail_carries_the_link_to_the_auth_host() {
        let token = ResetToken::from_random([9; 32]);
        let outbox = MemoryOutbox::default();
        block_on(send_reset(&outbox, &dev(), "owner@example.com", &token)).unwrap();
        let sent = outbox.sent.borrow();
        assert_eq!(sent.len(), 1);
        let mail = &sent[0];
        assert_eq!(mail.to, "owner@example.com");
        assert_eq!(mail.subject, "Reset your Grove password");
        let link = format!(
            "http://auth.grove.localhost:8787/reset?token={}",
            token.as_str()
        );
        assert!(mail.text.contains(&format!("\n{link}\n")), "{}", mail.text);
        assert_eq!(
            links_in(&mail.text),
            vec![link.as_str(), "http://grove.localhost:8787/"]
        );
        assert!(mail.text.contains("within an hour"));
        assert!(mail.text.contains("owner@example.com"));
        // The token in the link names its stored hash.
        let from_link = ResetToken::parse(link.rsplit('=').next().unwrap()).unwrap();
        assert_eq!(from_link.storage_hash(), token.storage_hash());
    }

    #[test]
    fn a_failed_send_is_an_error_and_nothing_is_kept() {
        let outbox = MemoryOutbox {
            fail: Some("provider said 500".into()),
            ..MemoryOutbox::default()
        };
        let token = ResetToken::from_random([1; 32]);
        let sent = block_on(send_reset(&outbox, &dev(), "a@example.com", &token));
        assert_eq!(sent, Err(MailError("provider said 500".into())));
        assert!(outbox.sent.borrow().is_empty());
    }

    #[test]
    fn the_provider_gets_from_to_subject_and_text() {
        let mail = Mail {
            to: "owner@example.com".into(),
            subject: "Hello \"there\"".into(),
            text: "Line one\nLine two".into(),
        };
        assert_eq!(
            provider_body("Grove <no-reply@grove.place>", &mail),
            serde_json::json!({
                "from": "Grove <no-reply@grove.place>",
                "to": ["owner@example.com"],
                "subject": "Hello \"there\"",
                "text": "Line one\nLine two",
            })
        );
    }
}
