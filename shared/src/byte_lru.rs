//! A map bounded by bytes, least recently used out first: the shape of
//! every page cache in Grove (the actor's rendered pages, the router's
//! in-isolate copy of hot edge pages). Callers say what an entry weighs.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Entries by key, each with its weight in bytes, under a byte budget.
/// Lookups, inserts and evictions cost O(log n): an ordered index of last
/// use sits beside the map (one cache may hold every page of an isolate).
#[derive(Debug)]
pub struct ByteLru<V> {
    entries: HashMap<Rc<str>, Entry<V>>,
    /// Keys by last use, oldest first.
    order: BTreeMap<u64, Rc<str>>,
    tick: u64,
    bytes: usize,
    budget: usize,
    evictions: u64,
}

#[derive(Debug)]
struct Entry<V> {
    value: V,
    used: u64,
    weight: usize,
}

impl<V> ByteLru<V> {
    pub fn with_budget(budget_bytes: usize) -> Self {
        ByteLru {
            entries: HashMap::new(),
            order: BTreeMap::new(),
            tick: 0,
            bytes: 0,
            budget: budget_bytes,
            evictions: 0,
        }
    }

    /// The entry for `key`, marking it recently used.
    pub fn get(&mut self, key: &str) -> Option<&V> {
        let entry = self.entries.get_mut(key)?;
        self.tick += 1;
        if let Some(k) = self.order.remove(&entry.used) {
            self.order.insert(self.tick, k);
        }
        entry.used = self.tick;
        Some(&entry.value)
    }

    /// The entry for `key`, without marking it used.
    pub fn peek(&self, key: &str) -> Option<&V> {
        self.entries.get(key).map(|e| &e.value)
    }

    /// Keeps `value` under `key` (its weight is `weight` bytes plus the
    /// key's), evicting the least recently used while over budget. Returns
    /// false, keeping nothing, if it alone is over the whole budget.
    pub fn insert(&mut self, key: String, value: V, weight: usize) -> bool {
        self.remove(&key);
        let weight = weight + key.len();
        if weight > self.budget {
            return false;
        }
        self.tick += 1;
        self.bytes += weight;
        let key: Rc<str> = key.into();
        self.order.insert(self.tick, Rc::clone(&key));
        self.entries.insert(
            key,
            Entry {
                value,
                used: self.tick,
                weight,
            },
        );
        while self.bytes > self.budget {
            let Some((_, lru)) = self.order.pop_first() else {
                break;
            };
            if let Some(old) = self.entries.remove(&lru) {
                self.bytes -= old.weight;
            }
            self.evictions += 1;
        }
        true
    }

    /// Forgets one entry; true if there was one.
    pub fn remove(&mut self, key: &str) -> bool {
        match self.entries.remove(key) {
            Some(old) => {
                self.order.remove(&old.used);
                self.bytes -= old.weight;
                true
            }
            None => false,
        }
    }

    /// Keeps only the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &V) -> bool) {
        let bytes = &mut self.bytes;
        let order = &mut self.order;
        self.entries.retain(|k, e| {
            let kept = keep(k, &e.value);
            if !kept {
                *bytes -= e.weight;
                order.remove(&e.used);
            }
            kept
        });
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
        self.bytes = 0;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Entries pushed out by the budget so far.
    pub fn evictions(&self) -> u64 {
        self.evictions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_tracked_through_insert_replace_remove_and_retain() {
        let mut l = ByteLru::with_budget(1_000);
        assert!(l.insert("a".into(), 1, 99));
        assert!(l.insert("b".into(), 2, 9));
        assert_eq!((l.len(), l.bytes()), (2, 110));
        assert!(l.insert("a".into(), 3, 49));
        assert_eq!(l.get("a"), Some(&3));
        assert_eq!(l.bytes(), 60);
        assert!(l.remove("a") && !l.remove("a"));
        assert_eq!(l.bytes(), 10);
        l.retain(|k, _| k != "b");
        assert!(l.is_empty() && l.bytes() == 0);
    }

    #[test]
    fn the_budget_evicts_the_least_recently_used() {
        let mut l = ByteLru::with_budget(300);
        for k in ["a", "b", "c"] {
            l.insert(k.into(), (), 99);
        }
        l.get("a"); // b is now the least recently used
        l.insert("d".into(), (), 99);
        assert_eq!((l.len(), l.evictions()), (3, 1));
        assert!(l.get("b").is_none() && l.get("a").is_some());
        assert!(!l.insert("huge".into(), (), 300), "over the whole budget");
        assert!(l.bytes() <= l.budget());
    }

    #[test]
    fn eviction_follows_use_through_many_entries() {
        let mut l = ByteLru::with_budget(100 * 11);
        for i in 0..100 {
            l.insert(format!("k{i:03}"), i, 7);
        }
        // Touch the even ones: the odd ones are now the oldest.
        for i in (0..100).step_by(2) {
            assert_eq!(l.get(&format!("k{i:03}")), Some(&i));
        }
        for i in 100..150 {
            l.insert(format!("k{i:03}"), i, 7);
        }
        assert_eq!(l.evictions(), 50);
        assert!((0..100)
            .step_by(2)
            .all(|i| l.peek(&format!("k{i:03}")).is_some()));
        assert!((1..100)
            .step_by(2)
            .all(|i| l.peek(&format!("k{i:03}")).is_none()));
        l.retain(|_, v| *v >= 100);
        assert_eq!((l.len(), l.bytes()), (50, 50 * 11));
        l.insert("k200".into(), 200, 7);
        assert_eq!(l.evictions(), 50, "room was made by retain");
    }
}
