//! View counts: buffered in the tenant's actor and flushed to D1 in
//! batches (one D1 round trip per flush, not one write per view).
//!
//! The buffer lives in the actor's memory and is written to the actor's
//! storage [`SAVE_AFTER_MS`] after a view, in one write for every view of
//! that window (not one write per view); the alarm flushes it to D1 at
//! most [`FLUSH_AFTER_MS`] after its first pending view. The guarantee: a
//! restart or an eviction loses no view that is [`SAVE_AFTER_MS`] old (an
//! actor is only evicted after being idle for seconds); only a crash or a
//! hard stop of the runtime can lose the views of its last
//! [`SAVE_AFTER_MS`]. A flush is at least once: a crash between the D1
//! write and the buffer's save can count that batch twice.
//!
//! Views served by the edge never reach the actor, so the router counts
//! them in its isolate ([`EdgeViews`]) and hands them to the actor in
//! batches: [`EDGE_MAX_AGE_MS`] after a tenant's first pending view (a
//! timer kept alive by the request's `waitUntil`), or sooner once it has
//! [`EDGE_BATCH`]. Those are the only views that can be lost: an isolate
//! that dies within that window loses its pending batch.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How long after a view the buffer is written to the actor's storage.
pub const SAVE_AFTER_MS: u64 = 100;
/// Longest a view waits in the buffer before the alarm flushes it.
pub const FLUSH_AFTER_MS: i64 = 5_000;
/// Edge-served views a router isolate batches per tenant before handing them over early.
pub const EDGE_BATCH: u64 = 1_000;
/// Oldest an edge-served view gets in a router isolate before it is handed over.
pub const EDGE_MAX_AGE_MS: i64 = 2_000;
/// Most tenants an isolate buffers before handing everything over.
const EDGE_MAX_TENANTS: usize = 1_000;

/// Views not yet in D1, by post slug.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewBuffer {
    pending: BTreeMap<String, u64>,
    /// When the oldest pending view was counted.
    since: Option<i64>,
}

impl ViewBuffer {
    /// Counts one view; returns `true` if it is the first pending one (the
    /// caller then sets the flush alarm).
    pub fn record(&mut self, slug: &str, now: i64) -> bool {
        *self.pending.entry(slug.to_string()).or_insert(0) += 1;
        let first = self.since.is_none();
        self.since.get_or_insert(now);
        first
    }

    /// When the buffer must be flushed, if it holds anything.
    pub fn flush_at(&self) -> Option<i64> {
        self.since.map(|t| t + FLUSH_AFTER_MS)
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn total(&self) -> u64 {
        self.pending.values().sum()
    }

    /// Counts `n` views at once (a batch from the edge).
    pub fn add(&mut self, slug: &str, n: u64, now: i64) -> bool {
        *self.pending.entry(slug.to_string()).or_insert(0) += n;
        let first = self.since.is_none();
        self.since.get_or_insert(now);
        first
    }

    /// Everything pending, emptying the buffer.
    pub fn drain(&mut self) -> Vec<(String, u64)> {
        self.since = None;
        std::mem::take(&mut self.pending).into_iter().collect()
    }

    /// Puts a drained batch back (its flush failed).
    pub fn restore(&mut self, batch: Vec<(String, u64)>, now: i64) {
        for (slug, n) in batch {
            *self.pending.entry(slug).or_insert(0) += n;
        }
        if !self.pending.is_empty() {
            self.since.get_or_insert(now);
        }
    }
}

/// Edge-cached post views counted by one router isolate, per tenant.
#[derive(Debug, Default)]
pub struct EdgeViews {
    tenants: BTreeMap<String, ViewBuffer>,
}

impl EdgeViews {
    /// Counts a view; true if it is the tenant's first pending one (the
    /// caller then hands the batch over [`EDGE_MAX_AGE_MS`] later).
    pub fn record(&mut self, tenant_id: &str, slug: &str, now: i64) -> bool {
        self.tenants
            .entry(tenant_id.to_string())
            .or_default()
            .record(slug, now)
    }

    /// The tenant's pending views, if any (removed from the buffer).
    pub fn take(&mut self, tenant_id: &str) -> Option<Vec<(String, u64)>> {
        self.tenants.remove(tenant_id).map(|mut b| b.drain())
    }

    /// The batches to hand to their actors now (removed from the buffer).
    pub fn due(&mut self, now: i64) -> Vec<(String, Vec<(String, u64)>)> {
        let everything = self.tenants.len() > EDGE_MAX_TENANTS;
        let ready: Vec<String> = self
            .tenants
            .iter()
            .filter(|(_, b)| {
                everything
                    || b.total() >= EDGE_BATCH
                    || b.since.is_some_and(|t| now - t >= EDGE_MAX_AGE_MS)
            })
            .map(|(t, _)| t.clone())
            .collect();
        ready
            .into_iter()
            .filter_map(|t| self.tenants.remove(&t).map(|mut b| (t, b.drain())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_views_are_handed_over_by_count_or_age() {
        let mut e = EdgeViews::default();
        assert!(e.record("t_a", "post", 1_000), "the first arms the timer");
        for _ in 1..EDGE_BATCH - 1 {
            assert!(!e.record("t_a", "post", 1_000));
        }
        e.record("t_b", "other", 1_000);
        assert!(e.due(1_000).is_empty());
        e.record("t_a", "post", 1_001);
        assert_eq!(
            e.due(1_001),
            vec![("t_a".to_string(), vec![("post".to_string(), EDGE_BATCH)])]
        );
        assert!(e.due(1_000 + EDGE_MAX_AGE_MS - 1).is_empty());
        assert_eq!(
            e.due(1_000 + EDGE_MAX_AGE_MS),
            vec![("t_b".to_string(), vec![("other".to_string(), 1)])]
        );
        assert!(e.due(i64::MAX).is_empty(), "handed over once");
        e.record("t_c", "x", 5_000);
        assert_eq!(e.take("t_c"), Some(vec![("x".to_string(), 1)]));
        assert_eq!(e.take("t_c"), None, "taken once");
    }

    #[test]
    fn views_buffer_then_drain_in_one_batch() {
        let mut b = ViewBuffer::default();
        assert!(
            b.record("a", 1_000),
            "the first pending view arms the flush"
        );
        assert!(!b.record("a", 1_500));
        assert!(!b.record("b", 2_000));
        assert_eq!((b.total(), b.flush_at()), (3, Some(1_000 + FLUSH_AFTER_MS)));
        let batch = b.drain();
        assert_eq!(batch, vec![("a".to_string(), 2), ("b".to_string(), 1)]);
        assert!(b.is_empty() && b.flush_at().is_none());
        b.restore(batch, 9_000);
        assert_eq!(
            (b.total(), b.flush_at()),
            (3, Some(9_000 + FLUSH_AFTER_MS)),
            "a failed flush is retried"
        );
    }

    #[test]
    fn the_buffer_round_trips_through_storage_json() {
        let mut b = ViewBuffer::default();
        b.record("post", 5);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<ViewBuffer>(&json).unwrap(), b);
    }
}
