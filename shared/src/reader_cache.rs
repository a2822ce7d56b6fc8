//! The TenantDO's hot cache of rendered pages: its share of the isolate's
//! page LRU ([`crate::isolate_memory`]), bounded by bytes for all tenants
//! of the isolate together, with this actor's hit and miss counts. It
//! holds pages, not the site: a page can come from a render or, after a
//! restart, from the actor's storage.

use std::cell::RefCell;
use std::rc::Rc;

use crate::byte_lru::ByteLru;
use crate::isolate_memory::{tenant_key, tenant_prefix, Shared};
use crate::site::Rendered;

/// Memory for one actor's pages when it has the budget to itself (native
/// tests); in the runtime the isolate's shared budget applies.
pub const DEFAULT_BUDGET_BYTES: usize = 8 * 1024 * 1024;

/// Hit, miss and size figures of a [`PageCache`]. The counts are this
/// actor's; entries, bytes, budget and evictions are the shared LRU's.
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

/// Rendered pages by tenant and key, least recently used first out.
#[derive(Debug)]
pub struct PageCache {
    pages: Shared<Rc<Rendered>>,
    stats: CacheStats,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::with_budget(DEFAULT_BUDGET_BYTES)
    }
}

impl CacheStats {
    /// Which of the actor's layers served one view, from its counters
    /// before (`before`) and after it (`self`): exact for one view at a
    /// time, as the benchmark's probes send them.
    pub fn layer_since(&self, before: &CacheStats) -> &'static str {
        if self.renders > before.renders {
            "actor-render"
        } else if self.storage_hits > before.storage_hits {
            "actor-storage"
        } else {
            "actor-memory"
        }
    }
}

impl PageCache {
    /// A cache with a budget of its own.
    pub fn with_budget(budget_bytes: usize) -> Self {
        PageCache::shared(Rc::new(RefCell::new(ByteLru::with_budget(budget_bytes))))
    }

    /// A cache drawing on a shared LRU (the isolate's).
    pub fn shared(pages: Shared<Rc<Rendered>>) -> Self {
        PageCache {
            pages,
            stats: CacheStats::default(),
        }
    }

    pub fn stats(&self) -> CacheStats {
        let pages = self.pages.borrow();
        CacheStats {
            evictions: pages.evictions(),
            entries: pages.len(),
            bytes: pages.bytes(),
            budget_bytes: pages.budget(),
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
    pub fn get(&mut self, tenant_id: &str, key: &str) -> Option<Rc<Rendered>> {
        let page = self
            .pages
            .borrow_mut()
            .get(&tenant_key(tenant_id, key))
            .map(Rc::clone);
        if page.is_some() {
            self.stats.hits += 1;
        }
        page
    }

    /// Keeps a page, evicting the least recently used (of any tenant)
    /// while over budget. A page larger than the whole budget is not kept.
    pub fn insert(&mut self, tenant_id: &str, key: &str, page: Rc<Rendered>) {
        let weight = page.html.len();
        self.pages
            .borrow_mut()
            .insert(tenant_key(tenant_id, key), page, weight);
    }

    /// Forgets one page.
    pub fn remove(&mut self, tenant_id: &str, key: &str) {
        self.pages.borrow_mut().remove(&tenant_key(tenant_id, key));
    }

    /// Forgets every page of a tenant.
    pub fn clear(&mut self, tenant_id: &str) {
        let prefix = tenant_prefix(tenant_id);
        self.pages
            .borrow_mut()
            .retain(|k, _| !k.starts_with(&prefix));
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
        assert!(c.get("t", "post:a").is_none());
        c.insert("t", "post:a", page(100));
        assert!(c.get("t", "post:a").is_some());
        c.insert("t", "post:a", page(50));
        let s = c.stats();
        assert_eq!((s.hits, s.entries, s.bytes), (1, 1, 50 + 8));
        c.remove("t", "post:a");
        assert_eq!((c.stats().entries, c.stats().bytes), (0, 0));
    }

    #[test]
    fn the_byte_budget_evicts_the_least_recently_used() {
        let mut c = PageCache::with_budget(3 * 108);
        for k in ["post:a", "post:b", "post:c"] {
            c.insert("t", k, page(100));
        }
        c.get("t", "post:a"); // b is now the least recently used
        c.insert("t", "post:d", page(100));
        let s = c.stats();
        assert!(s.bytes <= s.budget_bytes);
        assert_eq!((s.evictions, s.entries), (1, 3));
        assert!(c.get("t", "post:b").is_none());
        assert!(c.get("t", "post:a").is_some() && c.get("t", "post:d").is_some());
        for i in 0..100 {
            c.insert("t", &format!("post:{i}"), page(100 + i));
            assert!(c.stats().bytes <= c.stats().budget_bytes);
        }
        c.insert("t", "huge", page(10_000));
        assert!(
            c.get("t", "huge").is_none(),
            "a page over the whole budget is not kept"
        );
    }

    #[test]
    fn tenants_share_one_budget_and_never_see_each_others_pages() {
        let shared = Rc::new(RefCell::new(ByteLru::with_budget(10 * 112)));
        let mut a = PageCache::shared(Rc::clone(&shared));
        let mut b = PageCache::shared(Rc::clone(&shared));
        a.insert("t_a", "post:x", page(100));
        assert!(b.get("t_b", "post:x").is_none(), "b's key is not a's");
        for i in 0..30 {
            b.insert("t_b", &format!("post:{i}"), page(100));
            assert!(shared.borrow().bytes() <= 10 * 112);
        }
        assert!(
            a.get("t_a", "post:x").is_none(),
            "a busy tenant pushed out an idle one's page"
        );
        a.insert("t_a", "post:x", page(100));
        b.clear("t_b");
        assert_eq!(a.stats().entries, 1, "only b's pages were cleared");
        assert!(a.get("t_a", "post:x").is_some());
    }

    #[test]
    fn the_layer_of_a_view_follows_the_counter_that_moved() {
        let before = CacheStats::default();
        let mut after = before;
        assert_eq!(after.layer_since(&before), "actor-memory");
        after.storage_hits += 1;
        assert_eq!(after.layer_since(&before), "actor-storage");
        after.renders += 1;
        assert_eq!(after.layer_since(&before), "actor-render");
    }
}
