//! A map bounded by bytes, least recently used out first: the shape of
//! every page cache in Grove (the actor's rendered pages, the router's
//! in-isolate copy of hot edge pages). Callers say what an entry weighs.

use std::collections::HashMap;

/// Entries by key, each with its weight in bytes, under a byte budget.
#[derive(Debug)]
pub struct ByteLru<V> {
    entries: HashMap<String, Entry<V>>,
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
            tick: 0,
            bytes: 0,
            budget: budget_bytes,
            evictions: 0,
        }
    }

    /// The entry for `key`, marking it recently used.
    pub fn get(&mut self, key: &str) -> Option<&V> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|e| {
            e.used = tick;
            &e.value
        })
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
        self.entries.insert(
            key,
            Entry {
                value,
                used: self.tick,
                weight,
            },
        );
        while self.bytes > self.budget {
            let Some(lru) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.remove(&lru);
            self.evictions += 1;
        }
        true
    }

    /// Forgets one entry; true if there was one.
    pub fn remove(&mut self, key: &str) -> bool {
        match self.entries.remove(key) {
            Some(old) => {
                self.bytes -= old.weight;
                true
            }
            None => false,
        }
    }

    /// Keeps only the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &V) -> bool) {
        let bytes = &mut self.bytes;
        self.entries.retain(|k, e| {
            let kept = keep(k, &e.value);
            if !kept {
                *bytes -= e.weight;
            }
            kept
        });
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
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
}
