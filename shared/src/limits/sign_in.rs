//! Who is counted at sign-in and sign-up, when, and what the user is told.
//!
//! Sign-in has two bounds, and a correct password from a known address
//! costs nothing:
//! - **Brute force, per client IP and account** (`sign_in`, 5 per 5 min):
//!   a token is taken *before* the password is checked, so concurrent
//!   guesses can never exceed it, and a correct password resets the
//!   bucket. Successes therefore never add up, and after a good sign-in
//!   the owner has all five tries again.
//! - **Distributed guessing, per account** (`sign_in_account`, 50 per
//!   hour, across all addresses): it applies only to addresses the account
//!   has not signed in from lately, and counts their attempts (a token is
//!   taken before the check, for the same reason; an owner's first sign-in
//!   from a new network is one of them, which is rare enough not to matter). The time of the last correct password
//!   from an IP on an account is kept with that IP+account's bucket (the
//!   reset time); such an address is *known* for [`KNOWN_FOR_MS`]. So a
//!   guesser spreading attempts over many addresses runs into the account
//!   bound, while the owner's own address, where they signed in (or signed
//!   up) before, is never blocked by what others do: only its own five
//!   failures can pause it. The price: during such an attack the owner
//!   signing in from a new network waits for the account bound like
//!   everyone else, and is told so.
//!
//! "Only addresses that failed before" would not do: every fresh address
//! of a guesser would get its first guess free, which is the whole attack.
//!
//! Sign-up counts accounts created (`sign_up`, 5 per hour per IP), taken
//! only once the form is valid and the address free, plus a generous bound
//! on raw submissions (`sign_up_attempts`, 60 per hour per IP) against
//! scripts. A newcomer's fixable mistakes cost nothing but that.

use super::bucket::Decision;
use super::policy::Limit;
use super::set::TakeReply;

/// How long an address stays known to an account after a correct password
/// (or the sign-up) from it: 30 days.
pub const KNOWN_FOR_MS: u64 = 30 * 86_400_000;

/// Whether the IP+account bucket's reply says this address signed in to
/// the account within [`KNOWN_FOR_MS`] of `now_ms`.
pub fn known_address(pair: &TakeReply, now_ms: u64) -> bool {
    pair.last_reset_ms
        .is_some_and(|at| now_ms.saturating_sub(at) < KNOWN_FOR_MS)
}

/// What to do after taking the IP+account token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Refused: five failures from this address on this account.
    TooManyHere,
    /// Check the password; `account_bound`: take the account's token first
    /// (the address is not known to the account).
    Proceed { account_bound: bool },
}

/// The gate for one sign-in attempt, from the IP+account take.
pub fn gate(pair: &TakeReply, now_ms: u64) -> Gate {
    if pair.decision.granted == 0 {
        Gate::TooManyHere
    } else {
        Gate::Proceed {
            account_bound: !known_address(pair, now_ms),
        }
    }
}

/// "90 seconds" or "12 minutes": a wait, rounded up.
pub fn wait_phrase(ms: u64) -> String {
    let secs = ms.div_ceil(1000).max(1);
    if secs < 120 {
        format!("{secs} second{}", plural(secs))
    } else {
        let mins = secs.div_ceil(60);
        format!("{mins} minutes")
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The wait for one token of `limit` to come back, as "1-minute".
fn one_token_wait(limit: Limit) -> String {
    let mins = (limit.period_ms() / 60_000.0).ceil().max(1.0) as u64;
    format!("{mins}-minute")
}

/// What a failed sign-in tells the user about the attempts left before the
/// limit bites: the tighter of the two buckets it spent from.
pub fn attempts_left(pair: &TakeReply, account: Option<&TakeReply>) -> String {
    let tighter = match account {
        Some(a) if a.decision.remaining < pair.decision.remaining => a,
        _ => pair,
    };
    let left = tighter.decision.remaining;
    let wait = one_token_wait(tighter.limit);
    match left {
        0 => format!("No attempts left for now: wait about a {wait} before the next one.")
            .replace("about a 1-minute", "a minute"),
        1 => format!("1 attempt left before a {wait} wait."),
        n => format!("{n} attempts left before a {wait} wait."),
    }
}

/// The 429 message when this address used up its tries on the account.
pub fn too_many_here(decision: &Decision) -> String {
    format!(
        "Too many sign-in attempts for this account from your address. Try again in {}.",
        wait_phrase(decision.retry_after_ms)
    )
}

/// The 429 message when the account is being guessed at from many
/// addresses and this one is new to it.
pub fn too_many_for_account(decision: &Decision) -> String {
    format!(
        "Too many sign-in attempts for this account from many addresses, so sign-in from \
         addresses new to it is paused. Try again in {}, or from a network you signed in from before.",
        wait_phrase(decision.retry_after_ms)
    )
}

/// The 429 message when an address created its hourly share of blogs.
pub fn too_many_sign_ups(reply: &TakeReply) -> String {
    format!(
        "{} blogs were created from your address in the last hour, the most we allow. Try again in {}.",
        reply.limit.max,
        wait_phrase(reply.decision.retry_after_ms)
    )
}

/// The 429 message when an address sent the sign-up form too often.
pub fn too_many_sign_up_attempts(decision: &Decision) -> String {
    format!(
        "Too many sign-up attempts from your address. Try again in {}.",
        wait_phrase(decision.retry_after_ms)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::policy::{plan_default, LimitClass, LimitSource, Plan};

    const NOW: u64 = 1_800_000_000_000;

    fn reply(class: LimitClass, granted: u32, remaining: u32, reset: Option<u64>) -> TakeReply {
        TakeReply {
            class,
            limit: plan_default(Plan::Free, class),
            source: LimitSource::Plan,
            decision: Decision {
                granted,
                remaining,
                retry_after_ms: if granted == 0 { 59_500 } else { 0 },
                reset_ms: 0,
            },
            last_reset_ms: reset,
        }
    }

    fn pair(granted: u32, remaining: u32, reset: Option<u64>) -> TakeReply {
        reply(LimitClass::SignIn, granted, remaining, reset)
    }

    #[test]
    fn an_address_is_known_for_thirty_days_after_a_success() {
        assert!(!known_address(&pair(1, 4, None), NOW));
        assert!(known_address(&pair(1, 4, Some(NOW - 1)), NOW));
        assert!(known_address(
            &pair(1, 4, Some(NOW - KNOWN_FOR_MS + 1)),
            NOW
        ));
        assert!(!known_address(&pair(1, 4, Some(NOW - KNOWN_FOR_MS)), NOW));
        // A reset time from the future (clock skew) still counts as known.
        assert!(known_address(&pair(1, 4, Some(NOW + 5)), NOW));
    }

    #[test]
    fn the_gate_refuses_an_exhausted_address_and_bounds_only_new_ones() {
        assert_eq!(gate(&pair(0, 0, Some(NOW)), NOW), Gate::TooManyHere);
        assert_eq!(gate(&pair(0, 0, None), NOW), Gate::TooManyHere);
        assert_eq!(
            gate(&pair(1, 4, None), NOW),
            Gate::Proceed {
                account_bound: true
            }
        );
        assert_eq!(
            gate(&pair(1, 2, Some(NOW - 60_000)), NOW),
            Gate::Proceed {
                account_bound: false
            },
            "the owner's own address is never held by the account bound"
        );
    }

    #[test]
    fn attempts_left_says_what_is_left_of_the_tighter_bound() {
        assert_eq!(
            attempts_left(&pair(1, 4, None), None),
            "4 attempts left before a 1-minute wait."
        );
        assert_eq!(
            attempts_left(&pair(1, 1, None), None),
            "1 attempt left before a 1-minute wait."
        );
        assert_eq!(
            attempts_left(&pair(1, 0, None), None),
            "No attempts left for now: wait a minute before the next one."
        );
        let account = reply(LimitClass::SignInAccount, 1, 2, None);
        assert_eq!(
            attempts_left(&pair(1, 4, None), Some(&account)),
            "2 attempts left before a 2-minute wait.",
            "50 per hour: one comes back every 72 s"
        );
        let roomy = reply(LimitClass::SignInAccount, 1, 40, None);
        assert_eq!(
            attempts_left(&pair(1, 3, None), Some(&roomy)),
            "3 attempts left before a 1-minute wait."
        );
    }

    #[test]
    fn refusals_say_when_to_come_back() {
        let d = Decision {
            granted: 0,
            remaining: 0,
            retry_after_ms: 59_500,
            reset_ms: 300_000,
        };
        assert_eq!(
            too_many_here(&d),
            "Too many sign-in attempts for this account from your address. Try again in 60 seconds."
        );
        assert!(too_many_for_account(&d).contains("from a network you signed in from before"));
        let long = Decision {
            retry_after_ms: 11 * 60_000 + 1,
            ..d
        };
        assert_eq!(
            too_many_sign_up_attempts(&long),
            "Too many sign-up attempts from your address. Try again in 12 minutes."
        );
        let created = TakeReply {
            decision: long,
            ..reply(LimitClass::SignUp, 0, 0, None)
        };
        assert_eq!(
            too_many_sign_ups(&created),
            "5 blogs were created from your address in the last hour, the most we allow. Try again in 12 minutes."
        );
        assert_eq!(wait_phrase(0), "1 second");
        assert_eq!(wait_phrase(119_000), "119 seconds");
        assert_eq!(wait_phrase(120_000), "2 minutes");
    }
}
