//! The buckets and overrides one ThresholdDO holds, and the messages it
//! answers. Pure: the actor supplies the clock and saves what
//! [`LimiterSet::saved`] returns after every change.

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

/// The actor that counts sign-in attempts of one client IP on one account.
pub fn sign_in_key(ip: &str, email: &str) -> String {
    format!("signin:{ip}:{email}")
}

/// The actor that counts sign-ups from one client IP.
pub fn sign_up_key(ip: &str) -> String {
    format!("signup:{ip}")
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
}

/// The answer to a `Take`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeReply {
    pub class: LimitClass,
    pub limit: Limit,
    pub source: LimitSource,
    pub decision: Decision,
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

/// A ThresholdDO's state.
pub struct LimiterSet<C: Clock<Instant = Duration> + Clone> {
    overrides: Overrides,
    buckets: BTreeMap<LimitClass, Bucket<C>>,
    clock: C,
}

impl<C: Clock<Instant = Duration> + Clone> LimiterSet<C> {
    /// Rebuilds the set from what was saved.
    pub fn restore(overrides: Overrides, saved: &[(LimitClass, SavedBucket)], clock: C) -> Self {
        let buckets = saved
            .iter()
            .map(|(class, s)| (*class, Bucket::restore(*s, clock.clone())))
            .collect();
        LimiterSet {
            overrides,
            buckets,
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
        }
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
        let mut set = LimiterSet::restore(Overrides::new(), &[], clock.clone());
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
        let mut set = LimiterSet::restore(o, &[], clock);
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
        let mut set = LimiterSet::restore(Overrides::new(), &[], clock.clone());
        for _ in 0..5 {
            set.take(LimitClass::SignIn, Plan::Free, 1, false);
        }
        let saved = set.saved();
        clock.advance_ms(1_000);
        let mut again = LimiterSet::restore(Overrides::new(), &saved, clock.clone());
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
    }
}
