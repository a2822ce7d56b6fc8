//! The TenantDO's lease of reader tokens: it takes a few at a time from
//! its ThresholdDO (about 1 % of the limit) and spends them locally, so a
//! reader view costs an extra actor call only once per lease.
//!
//! The next lease is asked for in the background once half of the current
//! one is spent ([`ReaderLease::prefetch`]), so under steady traffic no
//! view waits for the ThresholdDO (whose reply waits for its durable
//! write). Only a view that finds the lease empty asks and waits itself.
//!
//! Accuracy: tokens are debited from the bucket when leased, before any is
//! spent, so readers are never admitted beyond the limit. A lease lost
//! with its actor (eviction) or dropped after an operator's change leaves
//! its tokens unspent, at most two leases' worth (the current one and the
//! one asked for ahead): the limit can undershoot by that, never overshoot.

use super::policy::{reader_lease_size, Limit};
use super::set::TakeReply;

/// Unspent reader tokens held by a tenant's actor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReaderLease {
    tokens: u32,
    limit: Option<Limit>,
    /// A background ask for the next lease is in flight.
    prefetching: bool,
    /// Bumped by [`ReaderLease::drop_all`]: a grant asked for before it is
    /// discarded when it lands.
    generation: u32,
}

/// A background ask for the next lease: how many tokens, and which lease
/// it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefetch {
    pub ask: u32,
    generation: u32,
}

impl ReaderLease {
    /// Spends one token if the lease has one.
    pub fn try_spend(&mut self) -> bool {
        if self.tokens > 0 {
            self.tokens -= 1;
            true
        } else {
            false
        }
    }

    /// How many tokens to ask for next: one until the limit is known.
    pub fn next_ask(&self) -> u32 {
        self.limit.map_or(1, reader_lease_size)
    }

    /// Adds a grant and spends one token of it for the current view;
    /// `false` if nothing was granted (the view is over the limit).
    pub fn refill(&mut self, reply: &TakeReply) -> bool {
        self.limit = Some(reply.limit);
        if reply.decision.granted == 0 {
            return false;
        }
        self.tokens += reply.decision.granted - 1;
        true
    }

    /// The next lease to ask for in the background, if it is time: the
    /// limit is known, at most half of a lease is left and no ask is in
    /// flight. The caller sends it and reports with [`Self::prefetched`].
    pub fn prefetch(&mut self) -> Option<Prefetch> {
        let limit = self.limit?;
        let ask = reader_lease_size(limit);
        if self.prefetching || self.tokens > ask / 2 {
            return None;
        }
        self.prefetching = true;
        Some(Prefetch {
            ask,
            generation: self.generation,
        })
    }

    /// The outcome of a background ask (`None`: no answer). A grant adds
    /// its tokens unless the lease was dropped meanwhile.
    pub fn prefetched(&mut self, prefetch: Prefetch, reply: Option<&TakeReply>) {
        if prefetch.generation != self.generation {
            return;
        }
        self.prefetching = false;
        if let Some(reply) = reply {
            self.limit = Some(reply.limit);
            self.tokens += reply.decision.granted;
        }
    }

    /// Drops the lease (an operator changed the limits); a grant still in
    /// flight is discarded when it lands.
    pub fn drop_all(&mut self) {
        *self = ReaderLease {
            generation: self.generation.wrapping_add(1),
            ..ReaderLease::default()
        };
    }

    pub fn tokens(&self) -> u32 {
        self.tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::bucket::Decision;
    use crate::limits::policy::{LimitClass, LimitSource};

    fn reply(granted: u32, max: u32) -> TakeReply {
        TakeReply {
            class: LimitClass::ReaderRequests,
            limit: Limit::new(max, 60),
            source: LimitSource::Plan,
            decision: Decision {
                granted,
                remaining: 0,
                retry_after_ms: 0,
                reset_ms: 0,
            },
            last_reset_ms: None,
        }
    }

    #[test]
    fn leases_are_spent_locally_then_renewed() {
        let mut lease = ReaderLease::default();
        assert!(!lease.try_spend());
        assert_eq!(lease.next_ask(), 1);
        assert!(lease.refill(&reply(1, 6_000)));
        assert_eq!(lease.next_ask(), 60, "about 1 % of the limit once known");
        assert!(lease.refill(&reply(60, 6_000)));
        for _ in 0..59 {
            assert!(lease.try_spend());
        }
        assert!(!lease.try_spend());
        assert!(
            !lease.refill(&reply(0, 6_000)),
            "nothing granted: over the limit"
        );
        lease.drop_all();
        assert_eq!((lease.tokens(), lease.next_ask()), (0, 1));
    }

    #[test]
    fn the_next_lease_is_asked_for_once_half_is_spent() {
        let mut lease = ReaderLease::default();
        assert_eq!(lease.prefetch(), None, "not before the limit is known");
        assert!(lease.refill(&reply(60, 6_000)));
        while lease.tokens() > 30 {
            assert_eq!(lease.prefetch(), None, "{} left", lease.tokens());
            assert!(lease.try_spend());
        }
        let ask = lease.prefetch().expect("half spent");
        assert_eq!(ask.ask, 60);
        assert_eq!(lease.prefetch(), None, "one ask in flight at a time");
        assert!(lease.try_spend());
        lease.prefetched(ask, Some(&reply(60, 6_000)));
        assert_eq!(lease.tokens(), 29 + 60);
        assert_eq!(lease.prefetch(), None);
    }

    #[test]
    fn a_failed_ask_can_be_retried() {
        let mut lease = ReaderLease::default();
        assert!(lease.refill(&reply(1, 6_000)));
        let ask = lease.prefetch().expect("empty lease");
        lease.prefetched(ask, None);
        assert_eq!(lease.tokens(), 0);
        assert!(lease.prefetch().is_some(), "asked again");
    }

    #[test]
    fn a_grant_for_a_dropped_lease_is_discarded() {
        let mut lease = ReaderLease::default();
        assert!(lease.refill(&reply(1, 6_000)));
        let ask = lease.prefetch().expect("empty lease");
        lease.drop_all();
        lease.prefetched(ask, Some(&reply(60, 6_000)));
        assert_eq!(lease.tokens(), 0, "granted under the old limits");
        assert_eq!(lease.prefetch(), None, "the limit is unknown again");
    }
}
