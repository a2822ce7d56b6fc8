//! `/admin/resume`: a submission kept across a sign-in (see
//! [`crate::admin::held`]), shown as it was sent, with a button that sends
//! it on and one that discards it.

use maud::{html, Markup};

use super::layout::admin_layout;
use super::{csrf_input, AdminChrome};
use crate::admin::held::{HeldForm, RESUME_PATH};

/// The kept submission, read-only, and the form that sends it on.
pub fn resume_page(chrome: &AdminChrome, held: &HeldForm, token: &str) -> Markup {
    let shown: Vec<(usize, &(String, String))> = held
        .fields
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| !matches!(k.as_str(), "action" | "version"))
        .collect();
    let body = html! {
        p {
            "You were signed out before this was sent, so Grove kept it for you. "
            strong { "Nothing has been saved yet." }
            " Check it, then send it on. It is kept for 30 minutes, for this browser only."
        }
        form method="post" action=(RESUME_PATH) {
            (csrf_input(&chrome.csrf_token))
            input type="hidden" name="token" value=(token);
            div class="actions" {
                button type="submit" name="do" value="send" { (held.action_label()) }
                button type="submit" name="do" value="discard" class="link" { "Discard it" }
            }
        }
        section aria-label="What you sent" {
            @for (i, (name, value)) in &shown {
                div class="field" {
                    label for={ "held-" (i) } { (name) }
                    textarea id={ "held-" (i) } readonly rows=(rows(value)) { (value) }
                }
            }
        }
    };
    admin_layout(chrome, "Your unsaved work", None, body)
}

fn rows(value: &str) -> usize {
    (value.lines().count() + 1).clamp(1, 20)
}

/// The kept submission is not there (sent, discarded, expired, or kept in
/// another browser or for another blog). The caller sets 404.
pub fn resume_gone_page(chrome: &AdminChrome) -> Markup {
    let body = html! {
        p {
            "There is no kept text at this address any more: it was already sent or discarded, "
            "it was kept more than 30 minutes ago, or it was kept in another browser."
        }
        p { a href="/admin" { "Go to your posts" } }
    };
    admin_layout(chrome, "Nothing kept here", None, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    #[test]
    fn the_kept_text_is_shown_escaped_with_a_button_that_sends_it_on() {
        let held = HeldForm::new(
            "/admin/posts",
            "title=%3Cb%3EHi%3C%2Fb%3E&markdown=one%0Atwo&action=publish&version=&csrf=old",
        )
        .unwrap();
        let html = resume_page(&chrome(), &held, "tok_A-1").into_string();
        assert_admin_head(&html, "Your unsaved work · Autumn &lt;Notes&gt; · Grove");
        assert!(html.contains("<form method=\"post\" action=\"/admin/resume\">"));
        assert_csrf_in_every_form(&html, "tok-123");
        assert!(html.contains("<input type=\"hidden\" name=\"token\" value=\"tok_A-1\">"));
        assert!(
            html.contains("<button type=\"submit\" name=\"do\" value=\"send\">Publish it</button>")
        );
        assert!(html.contains("value=\"discard\""));
        assert!(html.contains("&lt;b&gt;Hi&lt;/b&gt;</textarea>"));
        assert!(html.contains("readonly rows=\"3\">one\ntwo</textarea>"));
        assert!(!html.contains(">old<") && !html.contains("<b>Hi"));
        assert!(html.contains("Nothing has been saved yet."));

        let gone = resume_gone_page(&chrome()).into_string();
        assert!(gone.contains("<h1>Nothing kept here</h1>"));
        assert!(gone.contains("href=\"/admin\""));
    }
}
