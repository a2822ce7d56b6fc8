//! Submissions held across a sign-in, so nothing a writer typed is lost.
//!
//! When an admin form is posted without a live session (signed out in
//! another tab, session expired) or with the CSRF token of an older
//! session, the router keeps the submission in D1 for [`HOLD_FOR_MS`]
//! under a random one-time token, sets a host-only HttpOnly cookie with a
//! second random value (the browser binding), and sends the writer to sign
//! in with `return_to` = [`RESUME_PATH`]`?token=…`. After sign-in that page
//! shows the kept text and a button that sends it to where it was going,
//! with the new session's CSRF token; stale versions meet the editor's
//! usual conflict page, which keeps the text.
//!
//! Who can resume: only the signed-in owner of the tenant the submission
//! was posted to, from the browser that posted it (the cookie), once. A
//! submission is held only when the request shows it came from the blog's
//! own pages ([`from_own_pages`]), so a cross-site form cannot plant one on
//! an owner. Only hashes of the token and the binding are stored.
//!
//! Pure: the router supplies randomness, time and storage.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::forms::FormData;
use crate::auth::return_to::percent_encode_component;

/// The admin page that shows a held submission and sends it on.
pub const RESUME_PATH: &str = "/admin/resume";
/// How long a submission is held: 30 minutes.
pub const HOLD_FOR_MS: i64 = 30 * 60 * 1000;
/// The browser-binding cookie.
pub const HELD_COOKIE: &str = "grove_held";
/// Largest held submission, as stored (JSON of its fields): under D1's
/// 2 MB row limit, with room for a 1 MiB post.
pub const MAX_HELD_BYTES: usize = 1_900_000;

/// A random secret (token or binding) as base64url, and the hash stored.
pub fn encode_secret(bytes: [u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a token or binding: lower-case hex SHA-256 of it.
/// `None` unless `s` is 43 base64url characters (what [`encode_secret`] makes).
pub fn secret_hash(s: &str) -> Option<String> {
    let well_formed = s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    well_formed.then(|| hex::encode(Sha256::digest(s.as_bytes())))
}

/// The `Set-Cookie` value binding held submissions to this browser:
/// host-only (the blog's own host), `/admin` only, HttpOnly, `SameSite=Lax`
/// (it must come along on the redirect back from the auth host).
pub fn held_cookie(binding: &str, secure: bool) -> String {
    let value: String = binding
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let max_age = HOLD_FOR_MS / 1000;
    let mut c =
        format!("{HELD_COOKIE}={value}; Path=/admin; Max-Age={max_age}; HttpOnly; SameSite=Lax");
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Whether the request was sent by a page of the blog itself: the browser
/// says so in `Sec-Fetch-Site`, or the `Origin` is the blog's own origin.
/// Requests without either (scripts, other sites) are not held.
pub fn from_own_pages(sec_fetch_site: Option<&str>, origin: Option<&str>, own: &str) -> bool {
    match sec_fetch_site {
        Some(site) => site.eq_ignore_ascii_case("same-origin"),
        None => origin.is_some_and(|o| o.eq_ignore_ascii_case(own)),
    }
}

/// The page that owns the form posted to `path`: where a GET of a form's
/// target goes, and what a held submission of it is about. `None` for
/// anything that is not an admin form target.
pub fn form_page(path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
    match segments.as_slice() {
        ["admin", kind @ ("posts" | "pages")] => Some(format!("/admin/{kind}/new")),
        ["admin", kind @ ("posts" | "pages"), id] if is_id(id) && *id != "new" => {
            Some(format!("/admin/{kind}/{id}"))
        }
        ["admin", kind @ ("posts" | "pages"), id, "delete"] if is_id(id) => {
            Some(format!("/admin/{kind}/{id}"))
        }
        ["admin", "posts", id, "preview"] if is_id(id) => Some(format!("/admin/posts/{id}")),
        ["admin", "preview"] => Some("/admin/posts/new".to_string()),
        ["admin", "settings"] => Some("/admin/settings".to_string()),
        ["admin", "domains"] | ["admin", "domains", "primary"] => {
            Some("/admin/domains".to_string())
        }
        ["admin", "domains", host, "check" | "delete"] if is_host(host) => {
            Some("/admin/domains".to_string())
        }
        _ => None,
    }
}

fn is_host(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !s.contains("..")
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A held form: where it was going and its fields in order, without the
/// stale CSRF token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldForm {
    pub path: String,
    pub fields: Vec<(String, String)>,
}

impl HeldForm {
    /// The form posted to `path` with urlencoded `body`, if it is an admin
    /// form target, the body parses and it fits [`MAX_HELD_BYTES`].
    pub fn new(path: &str, body: &str) -> Option<Self> {
        form_page(path)?;
        FormData::parse(body)?;
        let fields = body
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let k = crate::auth::return_to::percent_decode(k)?;
                let v = crate::auth::return_to::percent_decode(v)?;
                (k != "csrf").then_some((k, v))
            })
            .collect();
        let form = HeldForm {
            path: path.trim_end_matches('/').to_string(),
            fields,
        };
        (form.stored().len() <= MAX_HELD_BYTES).then_some(form)
    }

    /// The fields as stored (JSON).
    pub fn stored(&self) -> String {
        serde_json::to_string(&self.fields).unwrap_or_default()
    }

    /// Reads stored fields back.
    pub fn from_stored(path: &str, fields: &str) -> Option<Self> {
        Some(HeldForm {
            path: path.to_string(),
            fields: serde_json::from_str(fields).ok()?,
        })
    }

    /// The value of field `name` (the last one, as forms are read).
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The urlencoded body to send on, with `csrf` set to the current
    /// session's token.
    pub fn body_with_csrf(&self, csrf: &str) -> String {
        self.fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("csrf", csrf)])
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    percent_encode_component(k),
                    percent_encode_component(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// What sending it on will do, for the button: "Save the draft".
    pub fn action_label(&self) -> &'static str {
        if self.path.ends_with("/delete") {
            return "Delete it";
        }
        if self.path == "/admin/settings" {
            return "Save the settings";
        }
        if self.path.starts_with("/admin/pages") {
            return "Save the page";
        }
        match self.get("action") {
            "publish" => "Publish it",
            "schedule" => "Schedule it",
            "preview" => "Preview it",
            _ => "Save the draft",
        }
    }

    /// The page to go back to if the writer discards it.
    pub fn form_page(&self) -> String {
        form_page(&self.path).unwrap_or_else(|| "/admin".to_string())
    }
}

/// `/admin/resume?token=…`
pub fn resume_path(token: &str) -> String {
    format!("{RESUME_PATH}?token={}", percent_encode_component(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_admin_form_target_has_a_page_that_owns_the_form() {
        for (target, page) in [
            ("/admin/posts", "/admin/posts/new"),
            ("/admin/posts/", "/admin/posts/new"),
            ("/admin/pages", "/admin/pages/new"),
            ("/admin/posts/p_1", "/admin/posts/p_1"),
            ("/admin/posts/p_1/delete", "/admin/posts/p_1"),
            ("/admin/pages/g-2/delete", "/admin/pages/g-2"),
            ("/admin/settings", "/admin/settings"),
            ("/admin/domains", "/admin/domains"),
            ("/admin/domains/primary", "/admin/domains"),
            ("/admin/domains/example.com/check", "/admin/domains"),
            ("/admin/domains/www.example.com/delete", "/admin/domains"),
        ] {
            assert_eq!(form_page(target).as_deref(), Some(page), "{target}");
        }
        for other in [
            "/admin",
            "/admin/api/posts",
            "/admin/posts/new",
            "/admin/resume",
            "/admin/posts/a/b",
            "/admin/posts/%2e%2e",
            "/posts",
            "/admin/other",
            "/admin/domains/../check",
            "/admin/domains/a/b/check",
        ] {
            assert_eq!(form_page(other), None, "{other}");
        }
    }

    #[test]
    fn only_requests_from_the_blogs_own_pages_are_held() {
        let own = "http://autumn.grove.localhost:8787";
        assert!(from_own_pages(Some("same-origin"), None, own));
        assert!(from_own_pages(Some("same-origin"), Some("null"), own));
        assert!(!from_own_pages(Some("cross-site"), Some(own), own));
        assert!(!from_own_pages(Some("same-site"), None, own));
        assert!(!from_own_pages(Some("none"), None, own));
        assert!(from_own_pages(None, Some(own), own));
        assert!(!from_own_pages(None, Some("http://evil.test"), own));
        assert!(!from_own_pages(
            None,
            Some("http://meadow.grove.localhost:8787"),
            own
        ));
        assert!(!from_own_pages(None, None, own), "no evidence, no hold");
    }

    #[test]
    fn a_held_form_keeps_every_field_but_the_stale_csrf_and_sends_it_on() {
        let body = "title=Caf%C3%A9+notes&markdown=Line+1%0D%0A%26+more+%3D+100%25&csrf=old&action=draft&tags=";
        let form = HeldForm::new("/admin/posts/", body).unwrap();
        assert_eq!(form.path, "/admin/posts");
        assert_eq!(form.get("title"), "Café notes");
        assert_eq!(form.get("markdown"), "Line 1\r\n& more = 100%");
        assert_eq!(form.get("csrf"), "");
        assert_eq!(form.action_label(), "Save the draft");
        let again = HeldForm::from_stored(&form.path, &form.stored()).unwrap();
        assert_eq!(again, form);
        let sent = FormData::parse(&again.body_with_csrf("new-token")).unwrap();
        assert_eq!(sent.get("markdown"), "Line 1\r\n& more = 100%");
        assert_eq!(sent.get("title"), "Café notes");
        assert_eq!(sent.get("csrf"), "new-token");
        assert!(sent.has("tags"));

        assert_eq!(HeldForm::new("/admin/api/posts", "title=x"), None);
        assert_eq!(HeldForm::new("/admin/posts", "title=%zz"), None);
        let huge = format!("markdown={}", "a".repeat(MAX_HELD_BYTES));
        assert_eq!(
            HeldForm::new("/admin/posts", &huge),
            None,
            "too large to hold"
        );
        let publish = HeldForm::new("/admin/posts/p1", "action=publish").unwrap();
        assert_eq!(publish.action_label(), "Publish it");
        assert_eq!(publish.form_page(), "/admin/posts/p1");
        let delete = HeldForm::new("/admin/pages/g1/delete", "version=3").unwrap();
        assert_eq!(delete.action_label(), "Delete it");
    }

    #[test]
    fn secrets_are_stored_as_hashes_and_cookies_cannot_be_injected() {
        let s = encode_secret([7; 32]);
        assert_eq!(s.len(), 43);
        let h = secret_hash(&s).unwrap();
        assert_eq!(h.len(), 64);
        assert_ne!(h, s);
        assert_eq!(secret_hash("short"), None);
        assert_eq!(secret_hash(&format!("{}!", &s[..42])), None);
        assert_eq!(
            held_cookie("abc", false),
            "grove_held=abc; Path=/admin; Max-Age=1800; HttpOnly; SameSite=Lax"
        );
        assert!(held_cookie("a; Domain=evil", true).starts_with("grove_held=aDomainevil; "));
        assert!(held_cookie("a", true).ends_with("; Secure"));
        assert_eq!(resume_path("a-b_c"), "/admin/resume?token=a-b_c");
    }
}
