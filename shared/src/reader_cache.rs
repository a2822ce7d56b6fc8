//! The TenantDO's hot cache of rendered pages: an LRU bounded by a byte
//! budget, with hit and miss counts. It holds pages, not the site: a page
//! can come from a render or, after a restart, from the actor's storage.

use std::rc::Rc;

use crate::byte_lru::ByteLru;
use crate::site::Rendered;

/// Default memory budget for one tenant's rendered pages.
pub const DEFAULT_BUDGET_BYTES: usize = 8 * 1024 * 1024;

/// Hit, miss and size figures of a [`PageCache`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    /// Served from memory.
    pub hits: u64,
    /// Not in memory, read back from the actor's storage.
    pub storage_hits: u64,
    /// Rendered (on a write, or on a miss everywhere).
    pub renders: u64,
    pub evictions: u64,
    pub entries: usize,
    pub bytes: usize,
    pub budget_bytes: usize,
}

/// Rendered pages by key, least recently used first out.
#[derive(Debug)]
pub struct PageCache {
    pages: ByteLru<Rc<Rendered>>,
    stats: CacheStats,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::with_budget(DEFAULT_BUDGET_BYTES)
    }
}

impl PageCache {
    pub fn with_budget(budget_bytes: usize) -> Self {
        PageCache {
            pages: ByteLru::with_budget(budget_bytes),
            stats: CacheStats::default(),
        }
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            evictions: self.pages.evictions(),
            entries: self.pages.len(),
            bytes: self.pages.bytes(),
            budget_bytes: self.pages.budget(),
            ..self.stats
        }
    }

    /// Counts a page that had to be read from storage.
    pub fn note_storage_hit(&mut self) {
        self.stats.storage_hits += 1;
    }

    /// Counts a render.
    pub fn note_render(&mut self) {
        self.stats.renders += 1;
    }

    /// A page from memory (counted as a hit), marking it recently used.
    pub fn get(&mut self, key: &str) -> Option<Rc<Rendered>> {
        let page = self.pages.get(key).map(Rc::clone);
        if page.is_some() {
            self.stats.hits += 1;
        }
        page
    }

    /// Keeps a page, evicting the least recently used while over budget. A
    /// page larger than the whole budget is not kept.
    pub fn insert(&mut self, key: String, page: Rc<Rendered>) {
        let weight = page.html.len();
        self.pages.insert(key, page, weight);
    }

    /// Forgets one page.
    pub fn remove(&mut self, key: &str) {
        self.pages.remove(key);
    }

    /// Forgets every page.
    pub fn clear(&mut self) {
        self.pages.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Rc<Rendered> {
        Rc::new(Rendered::new(200, "x".repeat(n)))
    }

    #[test]
    fn hits_are_counted_and_sizes_tracked() {
        let mut c = PageCache::default();
        assert!(c.get("post:a").is_none());
        c.insert("post:a".into(), page(100));
        assert!(c.get("post:a").is_some());
        c.insert("post:a".into(), page(50));
        let s = c.stats();
        assert_eq!((s.hits, s.entries, s.bytes), (1, 1, 50 + 6));
        c.remove("post:a");
        assert_eq!((c.stats().entries, c.stats().bytes), (0, 0));
    }

    #[test]
    fn the_byte_budget_evicts_the_least_recently_used() {
        let mut c = PageCache::with_budget(3 * 106);
        for k in ["post:a", "post:b", "post:c"] {
            c.insert(k.into(), page(100));
        }
        c.get("post:a"); // b is now the least recently used
        c.insert("post:d".into(), page(100));
        let s = c.stats();
        assert!(s.bytes <= s.budget_bytes);
        assert_eq!((s.evictions, s.entries), (1, 3));
        assert!(c.get("post:b").is_none());
        assert!(c.get("post:a").is_some() && c.get("post:d").is_some());
        for i in 0..100 {
            c.insert(format!("post:{i}"), page(100 + i));
            assert!(c.stats().bytes <= c.stats().budget_bytes);
        }
        c.insert("huge".into(), page(10_000));
        assert!(
            c.get("huge").is_none(),
            "a page over the whole budget is not kept"
        );
    }
}
