//! The owner's admin pages, served on the blog's own host under `/admin`.
//!
//! - `layout`: the admin shell (header, navigation, sign-out form, notice).
//! - `dashboard`: every post and page, with status and links.
//! - `post_editor` / `page_editor`: the editors, with per-field errors,
//!   preview and conflict display.
//! - `settings`: site title, description, theme, colour and font.
//! - `resume`: a submission kept across a sign-in, to send on or discard.
//!
//! - `delete`: the confirmation asked before a post or page is deleted.
//! - `media`: the media library (usage, upload form, files) and its delete question.
//! - `welcome`: the setup wizard and the dashboard's checklist; `address`:
//!   the blog's address and its rename form; `account`: export and delete.
//! - `import`: the import form, its dry-run preview and its result.
//! - `plan`: the blog's plan, its usage of each quota, and the way to another plan.
//! - `domains`: custom domains (records to create, checks, primary address).
//! - `export`: the export page (what the zip holds, the download).
//!
//! Every page works without JavaScript: the one admin script (`admin.js`,
//! served from the blog's host at [`SCRIPT_PATH`], the only script the
//! admin's CSP allows) only enhances. Every POST form carries the hidden
//! `csrf` field.

pub mod account;
pub mod address;
mod dashboard;
mod delete;
mod domains;
mod editor;
pub mod export;
mod fields;
pub mod import;
mod layout;
mod media;
mod page_editor;
mod plan;
pub mod post_editor;
mod resume;
mod settings;
pub mod welcome;

pub use dashboard::{dashboard, dashboard_with, PostList};
pub use delete::{delete_confirmation, DeleteTarget};
pub use domains::{anchor, domains_page, remove_domain_page, AddDomainForm, DomainsView};
pub use layout::{SCRIPT, SCRIPT_PATH};
pub use media::{library_page, media_delete_page, usage_line, Library};
pub use page_editor::page_editor;
pub use plan::{plan_page, usage_summary, PlanView, QuotaUse, QUOTA_KINDS};
pub use post_editor::post_editor;
pub use resume::{resume_gone_page, resume_page};
pub use settings::settings_form;

pub use fields::conflict_message;
pub(crate) use fields::{csrf_input, Field, InputAttrs};

/// What every admin page shows around its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminChrome {
    pub site_title: String,
    /// The public blog, e.g. "http://autumn.grove.localhost:8787/".
    pub site_url: String,
    pub email: String,
    /// Hidden `csrf` field of every POST form.
    pub csrf_token: String,
    /// Where the sign-out form posts, e.g. "http://auth.grove.localhost:8787/signout".
    pub signout_url: String,
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::AdminChrome;

    pub fn chrome() -> AdminChrome {
        AdminChrome {
            site_title: "Autumn <Notes>".into(),
            site_url: "http://autumn.grove.localhost:8787/".into(),
            email: "owner@example.com".into(),
            csrf_token: "tok-123".into(),
            signout_url: "http://auth.grove.localhost:8787/signout".into(),
        }
    }

    /// Number of occurrences of `needle` in `html`.
    pub fn count(html: &str, needle: &str) -> usize {
        html.matches(needle).count()
    }

    /// Asserts every POST form carries the hidden csrf input.
    pub fn assert_csrf_in_every_form(html: &str, token: &str) {
        let forms = count(html, "<form method=\"post\"");
        let csrf = count(
            html,
            &format!("<input type=\"hidden\" name=\"csrf\" value=\"{token}\">"),
        );
        // GET forms (the post filter) change nothing and carry no token.
        let gets = count(html, "method=\"get\"");
        assert!(forms > 0, "{html}");
        assert_eq!(
            forms + gets,
            count(html, "<form "),
            "every form is POST or GET"
        );
        assert_eq!(forms, csrf, "one csrf input per POST form: {html}");
        // Each POST form holds its csrf input before it closes.
        for form in html
            .split("<form ")
            .skip(1)
            .filter(|f| f.starts_with("method=\"post\""))
        {
            let body = form.split("</form>").next().unwrap_or("");
            assert!(body.contains("name=\"csrf\""), "form without csrf: {form}");
        }
    }

    /// The common head of every admin page.
    pub fn assert_admin_head(html: &str, title: &str) {
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"),
            "{html}"
        );
        assert!(html
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(html.contains(&format!("<title>{title}")), "{html}");
        assert_eq!(count(html, "<script"), 1, "only the admin script: {html}");
        assert!(html.contains("<script src=\"/admin/static/admin.js\" defer></script>"));
        assert!(!html.contains("<script>"), "never inline script");
        assert!(!html.contains("<link "), "no external assets");
    }
}
