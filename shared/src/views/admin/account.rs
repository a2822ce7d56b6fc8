//! `/admin/account`: leaving Grove. Export the blog first (the zip of
//! `/admin/export`), then delete it, which asks for the password again
//! and for the blog's address typed out; and the page shown once it is
//! gone.

use maud::{html, Markup};

use super::fields::error_banner;
use super::layout::admin_layout;
use super::{csrf_input, AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;
use crate::time::Date;

/// The account page.
pub const ACCOUNT_PATH: &str = "/admin/account";
/// Where the deletion form posts (the router checks the password there).
pub const DELETE_PATH: &str = "/admin/account/delete";
/// The export's download.
pub const EXPORT_PATH: &str = "/admin/api/export";

/// The account page: export, then delete. `typed` is what was typed to
/// confirm (kept when a deletion was refused; the password never is).
pub fn account_page(
    chrome: &AdminChrome,
    subdomain: &str,
    typed: &str,
    error: Option<&WriteError>,
) -> Markup {
    let confirm_label = format!("Type {subdomain} to confirm");
    let body = html! {
        section aria-labelledby="export-heading" {
            h2 id="export-heading" { "Export your blog" }
            p {
                "Download everything on this blog as one .zip file: every post (drafts and scheduled ones too) "
                "and page as Markdown, your settings, and your media files. "
                "Do this before deleting: nothing can be recovered afterwards. "
                a href=(super::export::EXPORT_PAGE_PATH) { "What the export holds" } "."
            }
            form method="get" action=(EXPORT_PATH) {
                button type="submit" { "Download the export" }
            }
        }
        section aria-labelledby="delete-heading" class="delete" {
            h2 id="delete-heading" { "Delete this blog" }
            p {
                "This deletes " strong { (subdomain) } " for good: its posts, pages, settings and media, "
                "its custom domains, and your account, unless it owns another blog. "
                "You are signed out everywhere. The address stays reserved for 30 days, then anyone may take it."
            }
            (error_banner(error, &["password", "confirm"]))
            form method="post" action=(DELETE_PATH) class="settings" {
                (csrf_input(&chrome.csrf_token))
                (Field::new("password", "Your password").write_error(error).input(
                    "password",
                    None,
                    &InputAttrs { required: true, autocomplete: Some("current-password"), ..InputAttrs::default() },
                ))
                (Field::new("confirm", &confirm_label).write_error(error).input(
                    "text",
                    Some(typed),
                    &InputAttrs {
                        required: true,
                        autocomplete: Some("off"),
                        spellcheck: Some("false"),
                        ..InputAttrs::default()
                    },
                ))
                div class="actions" {
                    button type="submit" class="danger" { "Delete this blog for good" }
                }
            }
        }
    };
    admin_layout(chrome, "Account", None, body)
}

/// What the owner sees once the blog is gone (no admin is left to show
/// it in): what went, until when the address is held, the way out.
pub fn deleted_page(subdomain: &str, held_until: i64, apex_url: &str) -> Markup {
    let until = Date::from_unix_ms(held_until);
    let body = html! {
        section class="error" {
            h1 { "Your blog is deleted" }
            p {
                strong { (subdomain) } " and everything in it are gone: posts, pages, settings, "
                "media, and your account unless it owns another blog. You are signed out."
            }
            p {
                "The address " strong { (subdomain) } " stays reserved until "
                time datetime=(until.iso()) { (until.long()) }
                ": nobody can take it before then."
            }
            p { a href=(apex_url) { "Go to Grove's home page" } }
        }
    };
    crate::views::platform::shell("Blog deleted · Grove", None, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::errors::FieldError;
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    #[test]
    fn export_comes_first_and_deleting_asks_for_the_password_and_the_name() {
        let error = WriteError::Invalid(vec![
            FieldError::new(
                "password",
                "That is not your password. Nothing was deleted.",
            ),
            FieldError::new("confirm", "Type autumn exactly."),
        ]);
        let html = account_page(&chrome(), "autumn", "autum<n>", Some(&error)).into_string();
        assert_admin_head(&html, "Account");
        assert_csrf_in_every_form(&html, "tok-123");
        let export = html.find("action=\"/admin/api/export\"").unwrap();
        let delete = html.find("action=\"/admin/account/delete\"").unwrap();
        assert!(export < delete, "export first");
        assert!(html.contains("type=\"password\" id=\"password\" name=\"password\" required"));
        assert!(
            !html.contains("name=\"password\" value="),
            "a password is never shown again"
        );
        assert!(html.contains("value=\"autum&lt;n&gt;\""));
        assert!(html.contains("<label for=\"confirm\">Type autumn to confirm</label>"));
        assert_eq!(html.matches("aria-invalid=\"true\"").count(), 2);
        assert!(html.contains("That is not your password."));
    }

    #[test]
    fn the_deleted_page_says_until_when_the_name_is_held() {
        let html =
            deleted_page("autumn", 1_791_201_600_000, "http://grove.localhost:8787/").into_string();
        assert!(html.contains("<h1>Your blog is deleted</h1>"));
        assert!(html.contains("<time datetime=\"2026-10-05\">5 October 2026</time>"));
        assert!(html.contains("href=\"http://grove.localhost:8787/\""));
        assert!(!html.contains("<script"));
    }
}
