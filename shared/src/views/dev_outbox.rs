//! `/dev/outbox` on the auth host, in local runs only (`MAILER =
//! "outbox"`): the mails Grove would have sent, newest first, with their
//! links made clickable. Tests read the same list as JSON.

use maud::{html, Markup};
use serde::{Deserialize, Serialize};

use super::auth::shell;
use crate::accounts::mail::links_in;

/// A mail as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Unix ms.
    pub sent_at: i64,
}

/// The outbox page.
pub fn outbox_page(mails: &[OutboxMail]) -> Markup {
    let body = html! {
        h1 { "Outbox" }
        p { "Local runs only: the mail Grove would have sent, newest first. "
            "The same list as JSON: " a href="/dev/outbox.json" { "/dev/outbox.json" } "." }
        @if mails.is_empty() { p { "No mail yet." } }
        @for (i, mail) in mails.iter().enumerate() {
            article class="mail" aria-labelledby={ "mail-" (i) } {
                h2 id={ "mail-" (i) } { (mail.subject) }
                p { "To " strong { (mail.to) } }
                @let links = links_in(&mail.text);
                @if !links.is_empty() {
                    ul { @for link in links { li { a href=(link) { (link) } } } }
                }
                pre { (mail.text) }
            }
        }
    };
    html! { (shell("Outbox", html! { div class="outbox" { (body) } })) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mail_shows_its_subject_address_text_and_links() {
        let mails = [OutboxMail {
            to: "owner@example.com".into(),
            subject: "Reset <your> password".into(),
            text: "Open http://auth.grove.localhost:8787/reset?token=abc within an hour.".into(),
            sent_at: 5,
        }];
        let html = outbox_page(&mails).into_string();
        assert!(html.contains("<h2 id=\"mail-0\">Reset &lt;your&gt; password</h2>"));
        assert!(html.contains("To <strong>owner@example.com</strong>"));
        assert!(html.contains(
            "<a href=\"http://auth.grove.localhost:8787/reset?token=abc\">http://auth.grove.localhost:8787/reset?token=abc</a>"
        ));
        assert!(outbox_page(&[]).into_string().contains("No mail yet."));
    }
}
