//! One GCRA bucket (governor) behind an injected clock, that can be saved
//! and restored so a limit outlives its actor.
//!
//! The clock's instants are durations since the Unix epoch: the actor's
//! clock reads the Workers time (std time panics in wasm), tests use
//! [`ManualClock`]. A saved bucket is "`remaining` tokens at `at_ms`";
//! restoring spends what had not refilled by now, so a restored bucket is
//! within one token of the one that was saved.

use std::cell::Cell;
use std::num::NonZeroU32;
use std::rc::Rc;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::StateInformationMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use serde::{Deserialize, Serialize};

use super::policy::Limit;

/// A clock for tests, set by hand (milliseconds since the epoch).
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Rc<Cell<u64>>);

impl ManualClock {
    pub fn at(ms: u64) -> Self {
        ManualClock(Rc::new(Cell::new(ms)))
    }
    pub fn advance_ms(&self, ms: u64) {
        self.0.set(self.0.get() + ms);
    }
    pub fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

impl Clock for ManualClock {
    type Instant = Duration;
    fn now(&self) -> Duration {
        Duration::from_millis(self.0.get())
    }
}

/// The outcome of asking for tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Tokens granted (0 when refused).
    pub granted: u32,
    /// Tokens left after this decision.
    pub remaining: u32,
    /// When refused: milliseconds until one token is available.
    pub retry_after_ms: u64,
    /// Milliseconds until the bucket is full again.
    pub reset_ms: u64,
}

/// A bucket's saved state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedBucket {
    pub limit: Limit,
    pub remaining: u32,
    pub at_ms: u64,
}

type Limiter<C> = RateLimiter<NotKeyed, InMemoryState, C, StateInformationMiddleware>;

/// At most `limit.max` tokens per `limit.window_secs`, GCRA.
pub struct Bucket<C: Clock<Instant = Duration> + Clone> {
    limit: Limit,
    clock: C,
    limiter: Limiter<C>,
    /// Tokens left after the last decision, and when it was made.
    remaining: u32,
    last_ms: u64,
}

fn quota(limit: Limit) -> Quota {
    let max = NonZeroU32::new(limit.max.max(1)).unwrap_or(NonZeroU32::MIN);
    let period = Duration::from_nanos((limit.period_ms() * 1_000_000.0).max(1.0) as u64);
    Quota::with_period(period).map_or_else(|| Quota::per_second(max), |q| q.allow_burst(max))
}

impl<C: Clock<Instant = Duration> + Clone> Bucket<C> {
    /// A full bucket.
    pub fn new(limit: Limit, clock: C) -> Self {
        let limiter = RateLimiter::direct_with_clock(quota(limit), clock.clone())
            .with_middleware::<StateInformationMiddleware>();
        let last_ms = clock.now().as_millis() as u64;
        Bucket {
            limit,
            clock,
            limiter,
            remaining: limit.max,
            last_ms,
        }
    }

    /// A bucket with `consumed` tokens already spent now.
    pub fn with_consumed(limit: Limit, consumed: u32, clock: C) -> Self {
        let mut bucket = Bucket::new(limit, clock);
        if let Some(n) = NonZeroU32::new(consumed.min(limit.max)) {
            if let Ok(Ok(snapshot)) = bucket.limiter.check_n(n) {
                bucket.remaining = snapshot.remaining_burst_capacity();
            }
        }
        bucket
    }

    /// Restores a saved bucket: what was spent and has not refilled since is spent again.
    pub fn restore(saved: SavedBucket, clock: C) -> Self {
        let now = clock.now().as_millis() as u64;
        let elapsed = now.saturating_sub(saved.at_ms) as f64;
        let refilled = (elapsed / saved.limit.period_ms()).floor();
        let spent = f64::from(saved.limit.max.saturating_sub(saved.remaining));
        let still_spent = (spent - refilled).max(0.0) as u32;
        Bucket::with_consumed(saved.limit, still_spent, clock)
    }

    pub fn limit(&self) -> Limit {
        self.limit
    }

    fn now_ms(&self) -> u64 {
        self.clock.now().as_millis() as u64
    }

    /// Tokens available now, without spending any (last decision plus refill).
    pub fn remaining_now(&self) -> u32 {
        let refill =
            (self.now_ms().saturating_sub(self.last_ms) as f64 / self.limit.period_ms()).floor();
        ((f64::from(self.remaining) + refill).min(f64::from(self.limit.max))) as u32
    }

    /// Asks for exactly `n` tokens: all or nothing.
    pub fn take(&mut self, n: u32) -> Decision {
        let now = self.clock.now();
        let Some(count) = NonZeroU32::new(n) else {
            return self.decision(0, 0);
        };
        match self.limiter.check_n(count) {
            Ok(Ok(snapshot)) => {
                self.remaining = snapshot.remaining_burst_capacity();
                self.last_ms = now.as_millis() as u64;
                self.decision(n, 0)
            }
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(now).as_millis() as u64;
                // n tokens conform after `wait`: all but that many periods' worth are here now.
                let short = (wait as f64 / self.limit.period_ms()).ceil() as u32;
                self.remaining = n.saturating_sub(short);
                self.last_ms = now.as_millis() as u64;
                self.decision(0, wait.max(1))
            }
            Err(_) => {
                let wait = (self.limit.period_ms() * f64::from(n.saturating_sub(self.limit.max)))
                    .ceil() as u64;
                self.decision(0, wait.max(1))
            }
        }
    }

    /// Asks for up to `n` tokens: as many as are available now.
    pub fn take_up_to(&mut self, n: u32) -> Decision {
        let first = self.take(n.clamp(1, self.limit.max));
        if first.granted > 0 || first.remaining == 0 {
            return first;
        }
        let available = first.remaining;
        let second = self.take(available);
        if second.granted > 0 {
            second
        } else {
            first
        }
    }

    fn decision(&self, granted: u32, retry_after_ms: u64) -> Decision {
        let missing = self.limit.max.saturating_sub(self.remaining);
        Decision {
            granted,
            remaining: self.remaining,
            retry_after_ms,
            reset_ms: (self.limit.period_ms() * f64::from(missing)).ceil() as u64,
        }
    }

    /// The state to save.
    pub fn save(&self) -> SavedBucket {
        SavedBucket {
            limit: self.limit,
            remaining: self.remaining,
            at_ms: self.last_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_800_000_000_000;

    #[test]
    fn a_burst_up_to_the_limit_then_refusal_with_retry_after() {
        let clock = ManualClock::at(T0);
        let mut b = Bucket::new(Limit::new(5, 300), clock.clone()); // one token per 60 s
        for i in 0..5 {
            let d = b.take(1);
            assert_eq!((d.granted, d.remaining), (1, 4 - i));
        }
        let refused = b.take(1);
        assert_eq!(refused.granted, 0);
        assert!(
            (59_000..=60_000).contains(&refused.retry_after_ms),
            "{refused:?}"
        );
        assert_eq!(refused.reset_ms, 300_000);
    }

    #[test]
    fn tokens_refill_evenly_over_the_window() {
        let clock = ManualClock::at(T0);
        let mut b = Bucket::new(Limit::new(10, 60), clock.clone()); // one per 6 s
        assert_eq!(b.take(10).granted, 10);
        assert_eq!(b.take(1).granted, 0);
        clock.advance_ms(5_999);
        assert_eq!(b.take(1).granted, 0);
        clock.advance_ms(1);
        assert_eq!(b.take(1).granted, 1);
        clock.advance_ms(60_000);
        assert_eq!(
            b.remaining_now(),
            10,
            "a full window refills everything, never more"
        );
        assert_eq!(
            b.take(11).granted,
            0,
            "more than the burst is never granted"
        );
    }

    #[test]
    fn take_up_to_grants_what_is_left() {
        let clock = ManualClock::at(T0);
        let mut b = Bucket::new(Limit::new(10, 60), clock);
        assert_eq!(b.take(7).granted, 7);
        let d = b.take_up_to(8);
        assert_eq!((d.granted, d.remaining), (3, 0), "{d:?}");
        assert_eq!(b.take_up_to(8).granted, 0);
    }

    #[test]
    fn a_saved_bucket_restores_within_one_token() {
        let clock = ManualClock::at(T0);
        let mut b = Bucket::new(Limit::new(100, 3_600), clock.clone()); // one per 36 s
        assert_eq!(b.take(80).granted, 80);
        let saved = b.save();
        clock.advance_ms(36_000 * 10); // ten tokens refill while "evicted"
        let mut restored = Bucket::restore(saved, clock.clone());
        assert_eq!(restored.remaining_now(), 30);
        assert_eq!(restored.take(30).granted, 30);
        assert_eq!(restored.take(1).granted, 0);
    }
}
