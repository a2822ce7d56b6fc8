//! A small, bounded, TTL'd memo: the only state the stateless router keeps.
//!
//! Time is passed in, so expiry is tested with a fake clock. When full, the
//! memo drops expired entries and, if still full, everything: a memo is a
//! cache of a lookup, and a cold lookup is always correct.

use std::collections::HashMap;
use std::hash::Hash;

/// Memoised values with an expiry time each.
#[derive(Debug)]
pub struct TtlMemo<K, V> {
    entries: HashMap<K, (V, i64)>,
    max_entries: usize,
}

impl<K: Eq + Hash, V: Clone> TtlMemo<K, V> {
    pub fn new(max_entries: usize) -> Self {
        TtlMemo {
            entries: HashMap::new(),
            max_entries: max_entries.max(1),
        }
    }

    /// The value for `key` if it has not expired at `now`.
    pub fn get(&self, key: &K, now: i64) -> Option<V> {
        self.entries
            .get(key)
            .filter(|(_, expires)| *expires > now)
            .map(|(v, _)| v.clone())
    }

    /// Remembers `value` until `now + ttl_ms`.
    pub fn insert(&mut self, key: K, value: V, now: i64, ttl_ms: i64) {
        if self.entries.len() >= self.max_entries && !self.entries.contains_key(&key) {
            self.entries.retain(|_, (_, expires)| *expires > now);
            if self.entries.len() >= self.max_entries {
                self.entries.clear();
            }
        }
        self.entries.insert(key, (value, now + ttl_ms));
    }

    /// Forgets `key` (e.g. after a mapping changed).
    pub fn remove(&mut self, key: &K) {
        self.entries.remove(key);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let mut m = TtlMemo::new(10);
        m.insert("a", 1, 1_000, 500);
        assert_eq!(m.get(&"a", 1_499), Some(1));
        assert_eq!(m.get(&"a", 1_500), None);
    }

    #[test]
    fn stays_bounded() {
        let mut m = TtlMemo::new(3);
        for (i, k) in ["a", "b", "c"].into_iter().enumerate() {
            m.insert(k, i, 0, if k == "a" { 10 } else { 1_000 });
        }
        m.insert("d", 3, 100, 1_000); // "a" has expired: only it goes
        assert_eq!(m.len(), 3);
        assert_eq!(m.get(&"b", 100), Some(1));
        m.insert("e", 4, 100, 1_000); // nothing expired: start again
        assert_eq!(m.len(), 1);
        assert_eq!(m.get(&"e", 100), Some(4));
    }
}
