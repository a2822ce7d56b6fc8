//! The TenantDO's lease of reader tokens: it takes a few at a time from
//! its ThresholdDO (about 1 % of the limit) and spends them locally, so a
//! reader view costs an extra actor call only once per lease.
//!
//! Accuracy: tokens are debited from the bucket when leased, before any is
//! spent, so readers are never admitted beyond the limit. A lease lost
//! with its actor (eviction) or dropped after an operator's change leaves
//! at most one lease of tokens unspent: the limit can undershoot by that,
//! never overshoot.

use super::policy::{reader_lease_size, Limit};
use super::set::TakeReply;

/// Unspent reader tokens held by a tenant's actor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReaderLease {
    tokens: u32,
    limit: Option<Limit>,
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

    /// Drops the lease (an operator changed the limits).
    pub fn drop_all(&mut self) {
        *self = ReaderLease::default();
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
}
