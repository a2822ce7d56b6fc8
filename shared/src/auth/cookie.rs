//! `Set-Cookie` values for the session and the sign-in form, and reading
//! the `Cookie` request header.
//!
//! The session cookie is set on `.{base_domain}` so the dashboard on every
//! platform subdomain sees it; it is HttpOnly and `SameSite=Lax`. The form
//! CSRF cookie is host-only on the auth host and `SameSite=Strict`: it
//! protects the sign-in and sign-up forms before any session exists
//! (double submit: the form field must equal the cookie).

use super::session::SessionToken;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "grove_session";
/// Name of the pre-session form CSRF cookie.
pub const FORM_CSRF_COOKIE: &str = "grove_form_csrf";
/// Lifetime of the form CSRF cookie, in seconds.
const FORM_CSRF_MAX_AGE_SECS: i64 = 3600;

/// The `Set-Cookie` value that signs a browser in.
pub fn session_cookie(
    token: &SessionToken,
    base_domain: &str,
    secure: bool,
    max_age_secs: i64,
) -> String {
    session_cookie_value(token.as_str(), base_domain, secure, max_age_secs.max(0))
}

/// The `Set-Cookie` value that signs a browser out (same attributes, so it
/// replaces the session cookie).
pub fn clear_session_cookie(base_domain: &str, secure: bool) -> String {
    session_cookie_value("", base_domain, secure, 0)
}

fn session_cookie_value(value: &str, base_domain: &str, secure: bool, max_age: i64) -> String {
    let mut c = format!(
        "{SESSION_COOKIE}={value}; Domain=.{base_domain}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
    );
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The `Set-Cookie` value for the form CSRF cookie (host-only, one hour).
/// `value` should be random base64url or hex; any other character is dropped
/// so a value can never add cookie attributes.
pub fn form_csrf_cookie(value: &str, secure: bool) -> String {
    let value: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let mut c = format!(
        "{FORM_CSRF_COOKIE}={value}; Path=/; Max-Age={FORM_CSRF_MAX_AGE_SECS}; HttpOnly; SameSite=Strict"
    );
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The value of cookie `name` in a `Cookie` request header (`a=1; b=2`).
/// Names match exactly; spaces around names and values are trimmed; the
/// first match wins; pairs without `=` are skipped.
pub fn read_cookie(header: Option<&str>, name: &str) -> Option<String> {
    header?
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| n.trim() == name)
        .map(|(_, v)| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> SessionToken {
        SessionToken::from_random([0; 32])
    }

    #[test]
    fn session_cookie_strings() {
        let t = token();
        assert_eq!(
            session_cookie(&t, "grove.place", true, 2_592_000),
            format!(
                "grove_session={}; Domain=.grove.place; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure",
                "A".repeat(43)
            )
        );
        assert_eq!(
            session_cookie(&t, "grove.localhost", false, 60),
            format!(
                "grove_session={}; Domain=.grove.localhost; Path=/; Max-Age=60; HttpOnly; SameSite=Lax",
                "A".repeat(43)
            )
        );
        // A negative age never reaches the browser.
        assert!(session_cookie(&t, "grove.place", true, -5).contains("; Max-Age=0;"));
    }

    #[test]
    fn clearing_cookie_strings() {
        assert_eq!(
            clear_session_cookie("grove.place", true),
            "grove_session=; Domain=.grove.place; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure"
        );
        assert_eq!(
            clear_session_cookie("grove.localhost", false),
            "grove_session=; Domain=.grove.localhost; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        );
    }

    #[test]
    fn form_csrf_cookie_strings() {
        assert_eq!(
            form_csrf_cookie("abc-DEF_123", true),
            "grove_form_csrf=abc-DEF_123; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure"
        );
        assert_eq!(
            form_csrf_cookie("abc", false),
            "grove_form_csrf=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"
        );
        assert!(!form_csrf_cookie("x", true).contains("Domain"));
        // Attribute injection is impossible.
        assert_eq!(
            form_csrf_cookie("a; Domain=.evil.test\r\n", false),
            "grove_form_csrf=aDomaineviltest; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"
        );
    }

    #[test]
    fn reads_cookie_header() {
        let h = Some("a=1; grove_session=tok ;b=2; grove_session=second");
        assert_eq!(read_cookie(h, "grove_session").as_deref(), Some("tok"));
        assert_eq!(read_cookie(h, "a").as_deref(), Some("1"));
        assert_eq!(read_cookie(h, "b").as_deref(), Some("2"));
        assert_eq!(read_cookie(h, "c"), None);
        assert_eq!(read_cookie(None, "a"), None);
        assert_eq!(read_cookie(Some(""), "a"), None);
        // Exact names only: no prefix, suffix or case folding.
        let h = Some("xgrove_session=1; grove_session_old=2; GROVE_SESSION=3");
        assert_eq!(read_cookie(h, "grove_session"), None);
        // Malformed pairs are skipped, values may contain '='.
        let h = Some("junk; ; =x; grove_session=a=b; other");
        assert_eq!(read_cookie(h, "grove_session").as_deref(), Some("a=b"));
        assert_eq!(read_cookie(Some("a="), "a").as_deref(), Some(""));
    }

    #[test]
    fn set_then_read_round_trip() {
        let t = SessionToken::from_random([9; 32]);
        let set = session_cookie(&t, "grove.place", true, 10);
        let (pair, _) = set.split_once(';').unwrap();
        let got = read_cookie(Some(&format!("theme=dark; {pair}")), SESSION_COOKIE).unwrap();
        assert_eq!(SessionToken::parse(&got), Some(t));
    }
}
