//! Session tokens and the CSRF token bound to each session.
//!
//! A token is 32 random bytes (from the caller) in base64url, sent to the
//! browser in an HttpOnly cookie. Only its SHA-256 is stored, so a leaked
//! database row cannot be replayed as a cookie. The CSRF token for forms is
//! derived from the session token, so it needs no storage and cannot be
//! computed by a page that cannot read the cookie.

use core::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How long a session lasts after sign-in: 30 days, in milliseconds.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;

/// Length of a token: 32 bytes in unpadded base64.
const TOKEN_CHARS: usize = 43;
/// Domain separation for the CSRF derivation.
const CSRF_PREFIX: &str = "grove-csrf-v1:";

/// A session token as it travels in the cookie. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// A token from 32 bytes of the platform's CSPRNG.
    pub fn from_random(bytes: [u8; 32]) -> Self {
        SessionToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Parses a token from a cookie: exactly 43 base64url characters in
    /// canonical form (the one spelling [`SessionToken::from_random`] gives).
    pub fn parse(s: &str) -> Option<Self> {
        if s.len() != TOKEN_CHARS
            || !s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return None;
        }
        // Decoding rejects non-zero trailing bits, so two spellings can never
        // name the same 32 bytes.
        match URL_SAFE_NO_PAD.decode(s) {
            Ok(bytes) if bytes.len() == 32 => Some(SessionToken(s.to_string())),
            _ => None,
        }
    }

    /// The token, to put in a cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keys the session by: lower-case hex SHA-256 of the token.
    pub fn storage_hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// The CSRF token for this session's forms: lower-case hex SHA-256 of
    /// `grove-csrf-v1:` followed by the token.
    pub fn csrf_token(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(CSRF_PREFIX.as_bytes());
        hasher.update(self.0.as_bytes());
        hex::encode(hasher.finalize())
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// Compares a CSRF token from a form with the expected one in constant time
/// (for equal lengths; a length mismatch is simply false).
pub fn csrf_matches(expected: &str, presented: &str) -> bool {
    if expected.is_empty() {
        return false;
    }
    expected.as_bytes().ct_eq(presented.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting() -> [u8; 32] {
        core::array::from_fn(|i| i as u8)
    }

    #[test]
    fn tokens_are_43_base64url_chars() {
        let t = SessionToken::from_random(counting());
        assert_eq!(t.as_str(), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
        let ones = SessionToken::from_random([0xff; 32]);
        assert_eq!(ones.as_str().len(), 43);
        // URL-safe alphabet, no padding.
        assert_eq!(ones.as_str(), format!("{}8", "_".repeat(42)));
        assert_eq!(SessionToken::parse(t.as_str()), Some(t.clone()));
        assert_eq!(SessionToken::parse(ones.as_str()), Some(ones));
    }

    #[test]
    fn parse_rejects_anything_else() {
        let good = SessionToken::from_random(counting());
        let s = good.as_str();
        for bad in [
            String::new(),
            s[..42].to_string(),
            format!("{s}A"),
            format!("{s}="),
            format!("{}+", &s[..42]),
            format!("{}/", &s[..42]),
            format!(" {}", &s[..42]),
            format!("{}é", &s[..41]),
            // `8` is canonical for 0xff..ff; `9` sets a trailing bit that is not data.
            format!("{}9", "_".repeat(42)),
        ] {
            assert_eq!(SessionToken::parse(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn storage_hash_and_csrf_token_are_known_sha256s() {
        let t = SessionToken::from_random(counting());
        // sha256("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        assert_eq!(
            t.storage_hash(),
            "ea866a757e4c38babfa8127cbe9a409d3e1f93a00ff1488ff735fcf917afffd0"
        );
        // sha256("grove-csrf-v1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        assert_eq!(
            t.csrf_token(),
            "8c0f514d6b8a18282f4711f2e20c6ce47f3029fa0c13969118a32a190ae7ba45"
        );
        let other = SessionToken::from_random([7; 32]);
        assert_ne!(other.storage_hash(), t.storage_hash());
        assert_ne!(other.csrf_token(), t.csrf_token());
    }

    #[test]
    fn debug_never_prints_the_token() {
        let t = SessionToken::from_random(counting());
        let shown = format!("{t:?} {:?}", Some(&t));
        assert!(!shown.contains(t.as_str()));
        assert!(!shown.contains("AAEC"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn csrf_compare() {
        let expected = SessionToken::from_random(counting()).csrf_token();
        assert!(csrf_matches(&expected, &expected.clone()));
        let mut flipped = expected.clone().into_bytes();
        flipped[63] = if flipped[63] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert!(!csrf_matches(&expected, &flipped));
        assert!(!csrf_matches(&expected, &expected[..63]));
        assert!(!csrf_matches(&expected, ""));
        assert!(!csrf_matches(&expected, &expected.to_uppercase()));
        assert!(!csrf_matches("", ""));
    }

    #[test]
    fn ttl_is_thirty_days() {
        assert_eq!(SESSION_TTL_MS, 2_592_000_000);
    }
}
