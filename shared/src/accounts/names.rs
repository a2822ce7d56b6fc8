//! Whether a blog address can be taken, and what to tell the person who
//! asked.
//!
//! Three things can stand in the way, checked in this order: the rules of
//! a name ([`crate::host::validate_subdomain`]: 3 to 30 of `a-z0-9-`, no
//! hyphen at either end or twice in a row, not reserved), a blog that has
//! it (`tenants`), and a hold (`subdomain_holds`: a name a blog gave up,
//! kept for 30 days). Upper case is lower-cased first, so `Autumn` is
//! `autumn`.
//!
//! The availability API and the sign-up form say the same things: both
//! take their words from here. Sign-up checks before it writes, but two
//! sign-ups can pass that check together; the D1 batch that creates the
//! account then fails for all but one (a unique name, or the hold's
//! trigger), and [`SignUpClash::from_d1_error`] turns that failure into
//! the message next to the right field.

use serde::Serialize;

use crate::host::{subdomain_from_input, validate_subdomain, SubdomainError};

/// Why an address cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// It breaks a rule, or is reserved.
    Invalid(SubdomainError),
    /// A blog has it.
    Taken,
    /// A blog gave it up less than 30 days ago.
    Held,
}

impl Unavailable {
    /// A stable code: `length`, `characters`, `hyphens`, `reserved`,
    /// `taken` or `held`.
    pub fn code(&self) -> &'static str {
        match self {
            Unavailable::Invalid(e) => e.code(),
            Unavailable::Taken => "taken",
            Unavailable::Held => "held",
        }
    }

    /// A sentence for the person choosing a name.
    pub fn message(&self) -> String {
        match self {
            Unavailable::Invalid(e) => e.to_string(),
            Unavailable::Taken => "That address is taken. Try another.".to_string(),
            Unavailable::Held => {
                "That address belonged to a blog until recently and is held for now. Try another."
                    .to_string()
            }
        }
    }
}

impl From<SubdomainError> for Unavailable {
    fn from(e: SubdomainError) -> Self {
        Unavailable::Invalid(e)
    }
}

/// A name as typed, lower-cased, with the verdict of its rules (no storage
/// needed). Only a name that passes needs D1's word.
pub fn check_rules(raw: &str) -> (String, Result<(), Unavailable>) {
    let name = subdomain_from_input(raw);
    let verdict = validate_subdomain(&name).map_err(Unavailable::from);
    (name, verdict)
}

/// D1's word on a name that passes the rules: taken beats held.
pub fn stored_verdict(taken: bool, held: bool) -> Result<(), Unavailable> {
    if taken {
        Err(Unavailable::Taken)
    } else if held {
        Err(Unavailable::Held)
    } else {
        Ok(())
    }
}

/// The availability API's answer:
/// `{"name", "available", "reason", "code"}`; `reason` and `code` are
/// `null` when the name is available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    /// The name as checked (trimmed, lower-cased).
    pub name: String,
    pub available: bool,
    pub reason: Option<String>,
    pub code: Option<&'static str>,
}

impl Availability {
    pub fn new(name: String, verdict: &Result<(), Unavailable>) -> Self {
        match verdict {
            Ok(()) => Availability {
                name,
                available: true,
                reason: None,
                code: None,
            },
            Err(why) => Availability {
                name,
                available: false,
                reason: Some(why.message()),
                code: Some(why.code()),
            },
        }
    }
}

/// Why the batch that creates an account failed, when another sign-up (or
/// a hold) got there first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpClash {
    /// Another sign-up took the address between the check and the write.
    NameTaken,
    /// The address is held (the trigger of `subdomain_holds` refused it).
    NameHeld,
    /// Another sign-up took the email address meanwhile.
    EmailTaken,
}

impl SignUpClash {
    /// Reads D1's error text. `None`: some other failure, not a clash (the
    /// caller logs it and asks to try again).
    pub fn from_d1_error(error: &str) -> Option<Self> {
        if error.contains("subdomain held") {
            Some(SignUpClash::NameHeld)
        } else if error.contains("tenants.subdomain") {
            Some(SignUpClash::NameTaken)
        } else if error.contains("users.email") {
            Some(SignUpClash::EmailTaken)
        } else {
            None
        }
    }

    /// The sign-up form's field the message goes next to.
    pub fn field(self) -> &'static str {
        match self {
            SignUpClash::NameTaken | SignUpClash::NameHeld => "subdomain",
            SignUpClash::EmailTaken => "email",
        }
    }

    pub fn message(self) -> String {
        match self {
            SignUpClash::NameTaken => {
                "Someone took that address a moment ago. Try another.".to_string()
            }
            SignUpClash::NameHeld => Unavailable::Held.message(),
            SignUpClash::EmailTaken => {
                "An account with this email was created a moment ago. Sign in instead.".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(raw: &str, taken: bool, held: bool) -> Availability {
        let (name, verdict) = check_rules(raw);
        let verdict = verdict.and_then(|()| stored_verdict(taken, held));
        Availability::new(name, &verdict)
    }

    #[test]
    fn each_rule_has_its_code_and_sentence() {
        let ok = api("Autumn-2", false, false);
        assert_eq!(
            ok,
            Availability {
                name: "autumn-2".into(),
                available: true,
                reason: None,
                code: None
            }
        );
        for (raw, code, words) in [
            ("ab", "length", "3 to 30 characters"),
            ("my_blog", "characters", "lower-case letters"),
            ("my--blog", "hyphens", "two hyphens in a row"),
            ("-blog", "hyphens", "start or end with a hyphen"),
            ("Admin", "reserved", "reserved by Grove"),
        ] {
            let a = api(raw, false, false);
            assert!(!a.available, "{raw}");
            assert_eq!(a.code, Some(code), "{raw}");
            assert!(a.reason.as_deref().unwrap().contains(words), "{raw}: {a:?}");
        }
        let taken = api("autumn", true, true);
        assert_eq!(
            (taken.code, taken.reason.as_deref()),
            (Some("taken"), Some("That address is taken. Try another."))
        );
        let held = api("autumn", false, true);
        assert_eq!(held.code, Some("held"));
        assert!(held.reason.unwrap().contains("held"));
    }

    #[test]
    fn the_answer_is_json_with_nulls_when_available() {
        let json = serde_json::to_value(api("meadow", false, false)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "meadow", "available": true, "reason": null, "code": null})
        );
    }

    #[test]
    fn d1_failures_of_the_sign_up_batch_name_their_field() {
        let held = "D1_ERROR: subdomain held: SQLITE_CONSTRAINT";
        let name = "D1_ERROR: UNIQUE constraint failed: tenants.subdomain: SQLITE_CONSTRAINT";
        let email = "D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT";
        assert_eq!(
            SignUpClash::from_d1_error(held),
            Some(SignUpClash::NameHeld)
        );
        assert_eq!(
            SignUpClash::from_d1_error(name),
            Some(SignUpClash::NameTaken)
        );
        assert_eq!(
            SignUpClash::from_d1_error(email),
            Some(SignUpClash::EmailTaken)
        );
        assert_eq!(SignUpClash::from_d1_error("D1_ERROR: network lost"), None);
        assert_eq!(SignUpClash::NameTaken.field(), "subdomain");
        assert_eq!(SignUpClash::NameHeld.field(), "subdomain");
        assert_eq!(SignUpClash::EmailTaken.field(), "email");
        assert!(SignUpClash::NameTaken.message().contains("a moment ago"));
    }
}
