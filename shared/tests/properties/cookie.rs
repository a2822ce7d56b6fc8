//! Cookies: reading any `Cookie` header never panics and agrees with a
//! model; the cookies Grove sets can never carry extra attributes and
//! read back as what was set; session tokens parse only in one spelling.

use grove_shared::auth::cookie::{
    clear_session_cookie, form_csrf_cookie, read_cookie, session_cookie, FORM_CSRF_COOKIE,
    SESSION_COOKIE,
};
use grove_shared::auth::session::{csrf_matches, SessionToken};
use proptest::prelude::*;

/// A cookie name (an RFC 6265 token).
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(SESSION_COOKIE.to_string()),
        Just(FORM_CSRF_COOKIE.to_string()),
        Just("a".to_string()),
        "[A-Za-z0-9_!#$%&'*+.^|~-]{1,12}",
    ]
}

/// A cookie value (RFC 6265 cookie-octets, `=` included).
fn value() -> impl Strategy<Value = String> {
    "[!#-+\\--:<-\\[\\]-~]{0,16}"
}

/// The first pair of a `Set-Cookie` value, as a browser sends it back.
fn pair_of(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or_default()
}

proptest! {
    #[test]
    fn reading_agrees_with_the_model(
        pairs in prop::collection::vec((name(), value()), 0..6),
        wanted in name(),
        spaced in any::<bool>(),
    ) {
        let sep = if spaced { "; " } else { ";" };
        let header = pairs
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join(sep);
        let expected = pairs.iter().find(|(n, _)| *n == wanted).map(|(_, v)| v.clone());
        prop_assert_eq!(read_cookie(Some(&header), &wanted), expected);
    }

    #[test]
    fn reading_any_header_never_panics(header in any::<String>(), wanted in any::<String>()) {
        if let Some(v) = read_cookie(Some(&header), &wanted) {
            prop_assert!(!v.contains(';') && v.trim() == v);
        }
    }

    /// Whatever value it is given, the form CSRF cookie has exactly its
    /// own attributes and reads back as the filtered value.
    #[test]
    fn form_csrf_cookies_cannot_be_injected(raw in any::<String>(), secure in any::<bool>()) {
        let set = form_csrf_cookie(&raw, secure);
        let kept: String = raw
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let mut expected = format!("{FORM_CSRF_COOKIE}={kept}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
        if secure {
            expected.push_str("; Secure");
        }
        prop_assert_eq!(&set, &expected);
        prop_assert_eq!(read_cookie(Some(pair_of(&set)), FORM_CSRF_COOKIE), Some(kept));
    }

    /// A session cookie reads back as its token; its age is never negative.
    #[test]
    fn session_cookies_read_back_as_their_token(
        bytes in any::<[u8; 32]>(),
        base in prop::sample::select(vec!["grove.place", "grove.localhost"]),
        secure in any::<bool>(),
        max_age in any::<i64>(),
        other in "[a-z]{1,6}=[a-z0-9]{0,6}",
    ) {
        let token = SessionToken::from_random(bytes);
        let set = session_cookie(&token, base, secure, max_age);
        prop_assert!(set.contains(&format!("; Max-Age={}; ", max_age.max(0))), "{}", set);
        prop_assert_eq!(set.matches(';').count(), if secure { 6 } else { 5 });
        let header = format!("{other}; {}", pair_of(&set));
        let read = read_cookie(Some(&header), SESSION_COOKIE).unwrap();
        prop_assert_eq!(SessionToken::parse(&read), Some(token));
        prop_assert_eq!(
            read_cookie(Some(pair_of(&clear_session_cookie(base, secure))), SESSION_COOKIE),
            Some(String::new())
        );
    }

    /// A token parses only in the one spelling `from_random` gives.
    #[test]
    fn session_tokens_parse_in_one_spelling(raw in prop_oneof![any::<String>(), "[A-Za-z0-9_-]{43}"], bytes in any::<[u8; 32]>()) {
        if let Some(token) = SessionToken::parse(&raw) {
            prop_assert_eq!(token.as_str(), raw.as_str());
            prop_assert_eq!(raw.len(), 43);
        }
        let token = SessionToken::from_random(bytes);
        prop_assert_eq!(SessionToken::parse(token.as_str()), Some(token.clone()));
        prop_assert!(csrf_matches(&token.csrf_token(), &token.csrf_token()));
    }

    /// Equal tokens match, anything else does not, and an empty expected
    /// token (no session) matches nothing.
    #[test]
    fn csrf_matching_is_equality(a in "[a-f0-9]{0,4}", b in "[a-f0-9]{0,4}") {
        prop_assert_eq!(csrf_matches(&a, &b), !a.is_empty() && a == b);
    }
}
