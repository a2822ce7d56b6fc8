//! Forgotten passwords: the reset token and the rules around it.
//!
//! A reset link carries a token of 32 random bytes (the router's CSPRNG)
//! in base64url. Only its SHA-256 is stored (`password_resets`), so a
//! leaked row cannot be turned back into a link. A token:
//! - expires [`RESET_TTL_MS`] after it was made (one hour);
//! - works once: the D1 batch that sets the new password marks it used,
//!   and does so only while it is unused and unexpired, so two tabs
//!   sending the same link cannot both change the password;
//! - is the only live one of its account: asking again deletes the older
//!   ones, and a reset deletes every other.
//!
//! A reset also deletes every session of the account in the same batch
//! (whoever knew the old password is signed out everywhere) and starts a
//! new one for the person who reset it: they just proved they read the
//! account's mail and chose the password, so asking them to type it again
//! would add nothing.
//!
//! Asking for a link never says whether the address has an account: the
//! answer, its status and the work done before answering are the same
//! either way (the router runs the same batch, and sends the mail after
//! answering).

use crate::admin::held::{encode_secret, secret_hash};
use crate::auth::password::validate_password;
use crate::config::PlatformConfig;
use crate::limits::bucket::Decision;
use crate::limits::sign_in::wait_phrase;

/// How long a reset link works: one hour, in milliseconds.
pub const RESET_TTL_MS: i64 = 60 * 60 * 1000;
/// The auth host's page where an owner asks for a link.
pub const FORGOT_PATH: &str = "/forgot";
/// The auth host's page a link opens (`/reset?token=…`).
pub const RESET_PATH: &str = "/reset";

/// A reset token as it travels in the link. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ResetToken(String);

impl ResetToken {
    /// A token from 32 bytes of the platform's CSPRNG.
    pub fn from_random(bytes: [u8; 32]) -> Self {
        ResetToken(encode_secret(bytes))
    }

    /// A token from a link or a form: 43 base64url characters, else `None`.
    pub fn parse(s: &str) -> Option<Self> {
        secret_hash(s).map(|_| ResetToken(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What `password_resets` keys the token by: lower-case hex SHA-256.
    pub fn storage_hash(&self) -> String {
        secret_hash(&self.0).unwrap_or_default()
    }
}

impl core::fmt::Debug for ResetToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ResetToken(<redacted>)")
    }
}

/// The link in the mail: `{auth origin}/reset?token=…` (base64url needs no
/// escaping in a query).
pub fn reset_link(config: &PlatformConfig, token: &ResetToken) -> String {
    format!(
        "{}{RESET_PATH}?token={}",
        config.origin(&config.tenant_host("auth")),
        token.as_str()
    )
}

/// What a token from a link is worth now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// It can set a new password.
    Usable,
    /// No such token: mistyped, cut short, replaced by a newer link, or
    /// swept (a day after it expired).
    Unknown,
    Expired,
    Used,
}

impl TokenState {
    /// From the stored row (`expires_at`, `used_at`), if any, at `now`.
    pub fn of(row: Option<(i64, Option<i64>)>, now: i64) -> Self {
        match row {
            None => TokenState::Unknown,
            Some((_, Some(_))) => TokenState::Used,
            Some((expires_at, None)) if expires_at <= now => TokenState::Expired,
            Some(_) => TokenState::Usable,
        }
    }

    /// Why the link does not work, for the page that says so.
    pub fn explanation(self) -> &'static str {
        match self {
            TokenState::Usable => "",
            TokenState::Unknown => {
                "This link is not one Grove sent, or a newer link replaced it. Links are long: check that all of it was copied."
            }
            TokenState::Expired => "This link has expired: a link works for one hour.",
            TokenState::Used => "This link has been used already: a link works once.",
        }
    }
}

/// The new-password form's errors, by field: `password` against the rules
/// every password follows, and `password_again` must repeat it.
pub fn check_new_password(password: &str, again: &str) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if let Err(e) = validate_password(password) {
        errors.push(("password", capitalised(&e.to_string())));
    } else if password != again {
        errors.push((
            "password_again",
            "The two passwords are not the same. Type the new password twice.".to_string(),
        ));
    }
    errors
}

/// The 429 message when a client address asked for too many links.
pub fn too_many_here(decision: &Decision) -> String {
    format!(
        "Too many reset links were asked for from your address. Try again in {}.",
        wait_phrase(decision.retry_after_ms)
    )
}

/// The 429 message when one email address was sent too many links (said
/// whether or not it has an account: the limit counts addresses typed).
pub fn too_many_for_address(decision: &Decision) -> String {
    format!(
        "Too many reset links were asked for this address. Use the newest one, or try again in {}.",
        wait_phrase(decision.retry_after_ms)
    )
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting() -> [u8; 32] {
        core::array::from_fn(|i| i as u8)
    }

    #[test]
    fn a_token_is_random_bytes_in_base64url_and_only_its_hash_is_stored() {
        let t = ResetToken::from_random(counting());
        assert_eq!(t.as_str(), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
        // sha256 of the token text, as the session tokens are stored.
        assert_eq!(
            t.storage_hash(),
            "ea866a757e4c38babfa8127cbe9a409d3e1f93a00ff1488ff735fcf917afffd0"
        );
        assert_ne!(t.storage_hash(), t.as_str());
        assert_eq!(ResetToken::parse(t.as_str()), Some(t.clone()));
        for bad in ["", "short", &t.as_str()[..42], &format!("{}=", t.as_str())] {
            assert_eq!(ResetToken::parse(bad), None, "{bad:?}");
        }
        assert!(!format!("{t:?}").contains("AAEC"));
    }

    #[test]
    fn the_link_opens_the_reset_page_on_the_auth_host() {
        let t = ResetToken::from_random([7; 32]);
        let dev = PlatformConfig::from_vars("grove.localhost", "http", "8787").unwrap();
        assert_eq!(
            reset_link(&dev, &t),
            format!(
                "http://auth.grove.localhost:8787/reset?token={}",
                t.as_str()
            )
        );
        let prod = PlatformConfig::from_vars("grove.place", "https", "").unwrap();
        assert!(reset_link(&prod, &t).starts_with("https://auth.grove.place/reset?token="));
    }

    #[test]
    fn a_token_works_within_the_hour_and_once() {
        let made = 1_000;
        let expires = made + RESET_TTL_MS;
        assert_eq!(RESET_TTL_MS, 3_600_000);
        assert_eq!(TokenState::of(None, made), TokenState::Unknown);
        assert_eq!(
            TokenState::of(Some((expires, None)), made),
            TokenState::Usable
        );
        assert_eq!(
            TokenState::of(Some((expires, None)), expires - 1),
            TokenState::Usable
        );
        assert_eq!(
            TokenState::of(Some((expires, None)), expires),
            TokenState::Expired
        );
        assert_eq!(
            TokenState::of(Some((expires, Some(made + 5))), made + 10),
            TokenState::Used
        );
        for state in [TokenState::Unknown, TokenState::Expired, TokenState::Used] {
            assert!(!state.explanation().is_empty());
        }
    }

    #[test]
    fn the_new_password_follows_the_rules_and_is_typed_twice() {
        assert!(check_new_password("a long new password", "a long new password").is_empty());
        assert_eq!(
            check_new_password("short", "short"),
            vec![(
                "password",
                "A password needs at least 10 characters.".to_string()
            )]
        );
        let mismatch = check_new_password("a long new password", "a long new passwort");
        assert_eq!(mismatch.len(), 1);
        assert_eq!(mismatch[0].0, "password_again");
        let long = "x".repeat(300);
        assert_eq!(check_new_password(&long, &long)[0].0, "password");
    }
}
