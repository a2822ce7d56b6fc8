//! The buckets and overrides one ThresholdDO holds, and the messages it
//! answers. Pure: the actor supplies the clock and saves what
//! [`LimiterSet::saved`] (and, after a reset, [`LimiterSet::resets`])
//! returns after every change.
//!
//! Besides spending tokens, a class can be reset: its bucket is full again
//! and the time is remembered and reported with every later `Take`. Sign-in
//! uses it: a correct password resets the client's failure count, and the
//! time of that success marks the address as one the owner signs in from
//! (see [`super::sign_in`]).

use std::collections::BTreeMap;
use std::time::Duration;

use governor::clock::Clock;
use serde::{Deserialize, Serialize};

use super::bucket::{Bucket, Decision, SavedBucket};
use super::policy::{effective, Limit, LimitClass, LimitSource, Overrides, Plan};

/// Binding name of the ThresholdDO namespace.
pub const THRESHOLD_DO_BINDING: &str = "THRESHOLD_DO";
/// URL every ThresholdDO message is posted to.
pub const THRESHOLD_URL: &str = "https://threshold.internal/v1";

/// The actor that holds a tenant's limits.
pub fn tenant_key(tenant_id: &str) -> String {
    format!("tenant:{tenant_id}")
}

/// The actor that counts failed sign-ins of one client IP on one account.
pub fn sign_in_key(ip: &str, email: &str) -> String {
    format!("signin:{ip}:{email}")
}

/// The actor that counts sign-in attempts on one account from addresses
/// it has not signed in from lately, whatever the address.
pub fn sign_in_account_key(email: &str) -> String {
    format!("signin-account:{email}")
}

/// The actor that counts accounts created from one client IP.
pub fn sign_up_key(ip: &str) -> String {
    format!("signup:{ip}")
}

/// The actor that counts sign-up form submissions from one client IP.
pub fn sign_up_attempts_key(ip: &str) -> String {
    format!("signup-attempts:{ip}")
}

/// The actor that counts admin submissions held for one client IP.
pub fn held_key(ip: &str) -> String {
    format!("held:{ip}")
}

/// The actor that counts password-reset links asked for from one client IP.
pub fn reset_key(ip: &str) -> String {
    format!("reset:{ip}")
}

/// The actor that counts password-reset links asked for one (normalised)
/// email address.
pub fn reset_address_key(email: &str) -> String {
    format!("reset-address:{email}")
}

/// A message to a ThresholdDO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum ThresholdRequest {
    /// Spend `n` tokens of `class` (all or nothing), or up to `n` if `up_to`.
    Take {
        class: LimitClass,
        plan: Plan,
        n: u32,
        up_to: bool,
    },
    /// The effective limits of the tenant classes and what is left of each.
    Status { plan: Plan },
    /// Set (merge) operator overrides.
    SetOverrides { overrides: Overrides },
    /// Remove the override of one class.
    RemoveOverride { class: LimitClass },
    /// Refill the bucket of `class` and remember when (answers `true`).
    Reset { class: LimitClass },
    /// Forget everything: buckets, overrides, resets (a deleted tenant;
    /// answers `true`). Idempotent.
    Forget,
}

/// The answer to a `Take`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeReply {
    pub class: LimitClass,
    pub limit: Limit,
    pub source: LimitSource,
    pub decision: Decision,
    /// When `class` was last reset in this actor (Unix ms), if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reset_ms: Option<u64>,
}

/// One line of a `Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitStatus {
    pub class: LimitClass,
    pub max: u32,
    pub window_secs: u32,
    pub source: LimitSource,
    pub remaining: u32,
}

/// When each class was last reset (Unix ms).
pub type Resets = BTreeMap<LimitClass, u64>;

/// A ThresholdDO's state.
pub struct LimiterSet<C: Clock<Instant = Duration> + Clone> {
    overrides: Overrides,
    buckets: BTreeMap<LimitClass, Bucket<C>>,
    resets: Resets,
    clock: C,
}

impl<C: Clock<Instant = Duration> + Clone> LimiterSet<C> {
    /// Rebuilds the set from what was saved.
    pub fn restore(
        overrides: Overrides,
        saved: &[(LimitClass, SavedBucket)],
        resets: Resets,
        clock: C,
    ) -> Self {
        let buckets = saved
            .iter()
            .map(|(class, s)| (*class, Bucket::restore(*s, clock.clone())))
            .collect();
        LimiterSet {
            overrides,
            buckets,
            resets,
            clock,
        }
    }

    pub fn overrides(&self) -> &Overrides {
        &self.overrides
    }

    /// The bucket for `class` under `limit`. A changed limit starts a new
    /// bucket that keeps what was already spent, so lowering a limit below
    /// current use takes effect at once.
    fn bucket(&mut self, class: LimitClass, limit: Limit) -> &mut Bucket<C> {
        let spent = match self.buckets.get(&class) {
            Some(b) if b.limit() == limit => None,
            Some(b) => Some(b.limit().max.saturating_sub(b.remaining_now())),
            None => Some(0),
        };
        if let Some(spent) = spent {
            self.buckets.insert(
                class,
                Bucket::with_consumed(limit, spent, self.clock.clone()),
            );
        }
        self.buckets
            .entry(class)
            .or_insert_with(|| Bucket::new(limit, self.clock.clone()))
    }

    /// Spends tokens.
    pub fn take(&mut self, class: LimitClass, plan: Plan, n: u32, up_to: bool) -> TakeReply {
        let (limit, source) = effective(plan, &self.overrides, class);
        let bucket = self.bucket(class, limit);
        let decision = if up_to {
            bucket.take_up_to(n)
        } else {
            bucket.take(n)
        };
        TakeReply {
            class,
            limit,
            source,
            decision,
            last_reset_ms: self.resets.get(&class).copied(),
        }
    }

    /// Refills the bucket of `class` (the next `Take` finds it full) and
    /// remembers when.
    pub fn reset(&mut self, class: LimitClass) {
        self.buckets.remove(&class);
        let now = self.clock.now().as_millis() as u64;
        self.resets.insert(class, now);
    }

    /// When each class was last reset: what to persist after a reset.
    pub fn resets(&self) -> &Resets {
        &self.resets
    }

    /// The tenant classes' effective limits and what is left now.
    pub fn status(&mut self, plan: Plan) -> Vec<LimitStatus> {
        LimitClass::TENANT
            .into_iter()
            .map(|class| {
                let (limit, source) = effective(plan, &self.overrides, class);
                let remaining = match self.buckets.get(&class) {
                    Some(b) if b.limit() == limit => b.remaining_now(),
                    Some(b) => limit
                        .max
                        .saturating_sub(b.limit().max.saturating_sub(b.remaining_now())),
                    None => limit.max,
                };
                LimitStatus {
                    class,
                    max: limit.max,
                    window_secs: limit.window_secs,
                    source,
                    remaining,
                }
            })
            .collect()
    }

    pub fn set_overrides(&mut self, overrides: &Overrides) {
        self.overrides
            .extend(overrides.iter().map(|(c, l)| (*c, *l)));
    }

    pub fn remove_override(&mut self, class: LimitClass) -> bool {
        self.overrides.remove(&class).is_some()
    }

    /// What to persist.
    pub fn saved(&self) -> Vec<(LimitClass, SavedBucket)> {
        self.buckets.iter().map(|(c, b)| (*c, b.save())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::bucket::ManualClock;

    const T0: u64 = 1_800_000_000_000;

    #[test]
    fn an_override_applies_to_the_next_take_and_keeps_what_was_spent() {
        let clock = ManualClock::at(T0);
        let mut set = LimiterSet::restore(Overrides::new(), &[], Resets::new(), clock.clone());
        for _ in 0..8 {
            assert_eq!(
                set.take(LimitClass::AdminWrites, Plan::Free, 1, false)
                    .decision
                    .granted,
                1
            );
        }
        let mut o = Overrides::new();
        o.insert(LimitClass::AdminWrites, Limit::new(10, 3_600));
        set.set_overrides(&o);
        let r = set.take(LimitClass::AdminWrites, Plan::Free, 1, false);
        assert_eq!(
            (
                r.source,
                r.limit.max,
                r.decision.granted,
                r.decision.remaining
            ),
            (LimitSource::Override, 10, 1, 1)
        );
        assert_eq!(
            set.take(LimitClass::AdminWrites, Plan::Free, 1, false)
                .decision
                .granted,
            1
        );
        assert_eq!(
            set.take(LimitClass::AdminWrites, Plan::Free, 1, false)
                .decision
                .granted,
            0,
            "over the new limit"
        );
        assert!(set.remove_override(LimitClass::AdminWrites));
        assert_eq!(
            set.take(LimitClass::AdminWrites, Plan::Free, 1, false)
                .decision
                .granted,
            1,
            "back to the plan's 300"
        );
    }

    #[test]
    fn classes_are_independent_and_status_reports_sources() {
        let clock = ManualClock::at(T0);
        let mut o = Overrides::new();
        o.insert(LimitClass::ReaderRequests, Limit::new(3, 60));
        let mut set = LimiterSet::restore(o, &[], Resets::new(), clock);
        assert_eq!(
            set.take(LimitClass::ReaderRequests, Plan::Paid, 5, true)
                .decision
                .granted,
            3
        );
        assert_eq!(
            set.take(LimitClass::ReaderRequests, Plan::Paid, 1, false)
                .decision
                .granted,
            0
        );
        assert_eq!(
            set.take(LimitClass::SearchQueries, Plan::Paid, 1, false)
                .decision
                .granted,
            1
        );
        let status = set.status(Plan::Paid);
        let reader = status
            .iter()
            .find(|s| s.class == LimitClass::ReaderRequests)
            .unwrap();
        assert_eq!(
            (reader.max, reader.source, reader.remaining),
            (3, LimitSource::Override, 0)
        );
        let search = status
            .iter()
            .find(|s| s.class == LimitClass::SearchQueries)
            .unwrap();
        assert_eq!(
            (search.max, search.source, search.remaining),
            (1_200, LimitSource::Plan, 1_199)
        );
    }

    #[test]
    fn saved_state_survives_a_restart() {
        let clock = ManualClock::at(T0);
        let mut set = LimiterSet::restore(Overrides::new(), &[], Resets::new(), clock.clone());
        for _ in 0..5 {
            set.take(LimitClass::SignIn, Plan::Free, 1, false);
        }
        let saved = set.saved();
        clock.advance_ms(1_000);
        let mut again = LimiterSet::restore(Overrides::new(), &saved, Resets::new(), clock.clone());
        assert_eq!(
            again
                .take(LimitClass::SignIn, Plan::Free, 1, false)
                .decision
                .granted,
            0,
            "still locked out"
        );
        clock.advance_ms(60_000);
        assert_eq!(
            again
                .take(LimitClass::SignIn, Plan::Free, 1, false)
                .decision
                .granted,
            1,
            "one attempt back per minute"
        );
    }

    #[test]
    fn a_reset_refills_the_class_and_is_reported_by_later_takes() {
        let clock = ManualClock::at(T0);
        let mut set = LimiterSet::restore(Overrides::new(), &[], Resets::new(), clock.clone());
        for _ in 0..4 {
            set.take(LimitClass::SignIn, Plan::Free, 1, false);
        }
        set.take(LimitClass::SignUp, Plan::Free, 1, false);
        let before = set.take(LimitClass::SignIn, Plan::Free, 1, false);
        assert_eq!((before.decision.remaining, before.last_reset_ms), (0, None));
        clock.advance_ms(1_000);
        set.reset(LimitClass::SignIn);
        let after = set.take(LimitClass::SignIn, Plan::Free, 1, false);
        assert_eq!(
            (after.decision.granted, after.decision.remaining),
            (1, 4),
            "full again: this take spent one of five"
        );
        assert_eq!(after.last_reset_ms, Some(T0 + 1_000));
        let other = set.take(LimitClass::SignUp, Plan::Free, 1, false);
        assert_eq!(
            (other.decision.remaining, other.last_reset_ms),
            (3, None),
            "other classes keep their state"
        );

        // The reset time outlives the actor; the buckets restore as saved.
        let saved = set.saved();
        let resets = set.resets().clone();
        let mut again = LimiterSet::restore(Overrides::new(), &saved, resets, clock);
        let r = again.take(LimitClass::SignIn, Plan::Free, 1, false);
        assert_eq!(
            (r.decision.remaining, r.last_reset_ms),
            (3, Some(T0 + 1_000))
        );
    }

    #[test]
    fn messages_round_trip_as_json() {
        let m = ThresholdRequest::Take {
            class: LimitClass::SignIn,
            plan: Plan::Free,
            n: 1,
            up_to: false,
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            r#"{"op":"take","class":"sign_in","plan":"free","n":1,"up_to":false}"#
        );
        assert_eq!(serde_json::from_str::<ThresholdRequest>(&json).unwrap(), m);
        let reset = ThresholdRequest::Reset {
            class: LimitClass::SignIn,
        };
        let json = serde_json::to_string(&reset).unwrap();
        assert_eq!(json, r#"{"op":"reset","class":"sign_in"}"#);
        assert_eq!(
            serde_json::from_str::<ThresholdRequest>(&json).unwrap(),
            reset
        );
        // A reply without a reset time (an older actor's) still reads.
        let reply: TakeReply = serde_json::from_str(
            r#"{"class":"sign_in","limit":{"max":5,"window_secs":300},"source":"plan","decision":{"granted":1,"remaining":4,"retry_after_ms":0,"reset_ms":60000}}"#,
        )
        .unwrap();
        assert_eq!(reply.last_reset_ms, None);
    }
}
