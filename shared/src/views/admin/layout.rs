//! The admin shell: head, header with navigation and the sign-out form,
//! an optional notice, then the page's content. Every admin page loads
//! the one admin script ([`SCRIPT_PATH`]), which only enhances: each page
//! works without it.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{csrf_input, AdminChrome};

/// The admin stylesheet, inlined (no external assets).
const ADMIN_CSS: &str = include_str!("admin.css");

/// Where the blog's host serves the admin script (see `admin.js`). The
/// admin's CSP allows this one script, by its full URL, and nothing else.
pub const SCRIPT_PATH: &str = "/admin/static/admin.js";

/// The admin script: warns before leaving unsaved text, focuses the error
/// summary, and picks the browser's time zone where the blog has none.
pub const SCRIPT: &str = include_str!("admin.js");

/// Wraps `body` in the admin page: `title` is the `<title>` and the `<h1>`;
/// `notice` (e.g. "Saved.") is announced as a status message.
pub(crate) fn admin_layout(
    chrome: &AdminChrome,
    title: &str,
    notice: Option<&str>,
    body: Markup,
) -> Markup {
    let notice = notice.map(|n| html! { (n) });
    admin_layout_with(chrome, title, notice, body)
}

/// [`admin_layout`] with a notice that holds markup (e.g. a link).
pub(crate) fn admin_layout_with(
    chrome: &AdminChrome,
    title: &str,
    notice: Option<Markup>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · " (chrome.site_title) " · Grove" }
                style { (PreEscaped(ADMIN_CSS)) }
                script src=(SCRIPT_PATH) defer {}
            }
            body {
                a class="skip" href="#admin-content" { "Skip to content" }
                header class="admin-header" {
                    div class="wrap" {
                        a class="admin-site" href="/admin" { (chrome.site_title) }
                        nav class="admin-nav" aria-label="Admin" {
                            a href="/admin" { "Posts & pages" }
                            a href="/admin/posts/new" { "New post" }
                            a href="/admin/pages/new" { "New page" }
                            a href="/admin/media" { "Media" }
                            a href="/admin/domains" { "Domains" }
                            a href="/admin/settings" { "Settings" }
                            a href="/admin/export" { "Export" }
                            a href="/admin/import" { "Import" }
                            a href="/admin/account" { "Account" }
                            a href="/admin/plan" { "Plan" }
                            a href=(chrome.site_url) { "View site" }
                        }
                        div class="account" {
                            span { "Signed in as " strong { (chrome.email) } }
                            form method="post" action=(chrome.signout_url) {
                                (csrf_input(&chrome.csrf_token))
                                // The signed-out page offers the way back here.
                                input type="hidden" name="return_to" value=(chrome.site_url);
                                button type="submit" class="link" { "Sign out" }
                            }
                        }
                    }
                }
                main id="admin-content" class="wrap" {
                    h1 { (title) }
                    @if let Some(notice) = notice {
                        p class="notice" role="status" { (notice) }
                    }
                    (body)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    #[test]
    fn shell_has_head_nav_sign_out_and_notice() {
        let c = chrome();
        let html =
            admin_layout(&c, "Settings", Some("Saved."), html! { p { "body" } }).into_string();
        assert_admin_head(&html, "Settings · Autumn &lt;Notes&gt; · Grove");
        assert!(html.contains("<h1>Settings</h1>"));
        for href in [
            "/admin",
            "/admin/posts/new",
            "/admin/pages/new",
            "/admin/settings",
            "/admin/plan",
            "http://autumn.grove.localhost:8787/",
        ] {
            assert!(html.contains(&format!("href=\"{href}\"")), "{href}");
        }
        assert!(html.contains("owner@example.com"));
        assert!(html.contains(
            "<form method=\"post\" action=\"http://auth.grove.localhost:8787/signout\">"
        ));
        assert_csrf_in_every_form(&html, "tok-123");
        assert!(html.contains(
            "<input type=\"hidden\" name=\"return_to\" value=\"http://autumn.grove.localhost:8787/\">"
        ));
        assert!(html.contains("<p class=\"notice\" role=\"status\">Saved.</p>"));
        assert!(html.contains("<p>body</p>"));

        let quiet = admin_layout(&c, "Settings", None, html! {}).into_string();
        assert!(!quiet.contains("class=\"notice\""));
    }
}
