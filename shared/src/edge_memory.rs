//! The router's in-isolate copy of hot edge pages: the first layer of the
//! read path, in front of the Cache API.
//!
//! A page the edge may cache (an anonymous GET of a public page) is also
//! kept in the isolate's memory for at most [`TTL_MS`], so a hot post is
//! served with no subrequest at all. Staleness:
//! - a write purges this isolate's copies (and the location's Cache API)
//!   before it is acknowledged, and a page fetched before a purge of its
//!   tenant is never kept after it ([`EdgeMemory::keep`]);
//! - other isolates of the same location may serve their copy for up to
//!   [`TTL_MS`] more, after which they read the purged Cache API;
//! - other locations are bounded by the edge TTL (60 s), as before.
//!
//! Memory is bounded by [`BUDGET_BYTES`] per isolate, least recently used
//! out first.

use std::collections::HashMap;
use std::rc::Rc;

use crate::byte_lru::ByteLru;

/// Longest an isolate serves its own copy of a page.
pub const TTL_MS: i64 = 1_000;
/// Memory for hot pages per router isolate.
pub const BUDGET_BYTES: usize = 4 * 1024 * 1024;
/// Most tenants whose last purge time an isolate remembers.
const MAX_PURGE_MARKS: usize = 10_000;

/// What the memory needs to know of a page it keeps (the router keeps
/// pages as ready-made runtime objects).
pub trait EdgePage {
    fn tenant_id(&self) -> &str;
    /// When this copy stops being served (Unix ms).
    fn expires_at(&self) -> i64;
    /// Bytes it holds.
    fn weight(&self) -> usize;
}

/// When a copy kept at `now` expires: [`TTL_MS`], or sooner if the edge
/// may keep the page for less (`edge_ttl_secs`).
pub fn expires_at(now: i64, edge_ttl_secs: i64) -> i64 {
    now + TTL_MS.min(edge_ttl_secs.max(0) * 1000)
}

/// Hot pages by URL, with the time each tenant was last purged.
#[derive(Debug)]
pub struct EdgeMemory<P> {
    pages: ByteLru<Rc<P>>,
    purged_at: HashMap<String, i64>,
}

impl<P: EdgePage> Default for EdgeMemory<P> {
    fn default() -> Self {
        EdgeMemory::with_budget(BUDGET_BYTES)
    }
}

impl<P: EdgePage> EdgeMemory<P> {
    pub fn with_budget(budget_bytes: usize) -> Self {
        EdgeMemory {
            pages: ByteLru::with_budget(budget_bytes),
            purged_at: HashMap::new(),
        }
    }

    /// The page for `url`, unless there is none or it expired by `now`.
    pub fn get(&mut self, url: &str, now: i64) -> Option<Rc<P>> {
        let page = self.pages.get(url).map(Rc::clone)?;
        if page.expires_at() <= now {
            self.pages.remove(url);
            return None;
        }
        Some(page)
    }

    /// Keeps `page`, fetched at `fetched_at`, unless its tenant was purged
    /// since (the fetch may have raced a write) or it has already expired.
    pub fn keep(&mut self, url: String, page: P, fetched_at: i64) -> bool {
        if !self.may_keep(page.tenant_id(), fetched_at) || page.expires_at() <= fetched_at {
            return false;
        }
        let weight = page.weight();
        self.pages.insert(url, Rc::new(page), weight)
    }

    /// Whether a page of `tenant_id` fetched at `fetched_at` may be kept (at
    /// the edge too): false if the tenant was purged at or after that time.
    pub fn may_keep(&self, tenant_id: &str, fetched_at: i64) -> bool {
        self.purged_at
            .get(tenant_id)
            .is_none_or(|purged| fetched_at > *purged)
    }

    /// Forgets `urls` of `tenant_id` (all its pages when `urls` is `None`)
    /// after a write at `now`.
    pub fn purge(&mut self, tenant_id: &str, urls: Option<&[String]>, now: i64) {
        if self.purged_at.len() >= MAX_PURGE_MARKS && !self.purged_at.contains_key(tenant_id) {
            // Marks older than any copy's lifetime no longer matter.
            self.purged_at.retain(|_, at| *at > now - TTL_MS * 60);
        }
        self.purged_at.insert(tenant_id.to_string(), now);
        match urls {
            Some(urls) => urls.iter().for_each(|u| {
                self.pages.remove(u);
            }),
            None => self.pages.retain(|_, p| p.tenant_id() != tenant_id),
        }
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    pub fn bytes(&self) -> usize {
        self.pages.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Page {
        tenant: String,
        body: Vec<u8>,
        expires_at: i64,
    }

    impl EdgePage for Page {
        fn tenant_id(&self) -> &str {
            &self.tenant
        }
        fn expires_at(&self) -> i64 {
            self.expires_at
        }
        fn weight(&self) -> usize {
            self.body.len()
        }
    }

    fn page(tenant: &str, body: &str, expires_at: i64) -> Page {
        Page {
            tenant: tenant.into(),
            body: body.as_bytes().to_vec(),
            expires_at,
        }
    }

    #[test]
    fn a_copy_is_served_until_it_expires() {
        let mut m = EdgeMemory::<Page>::default();
        assert!(m.keep("http://a/x".into(), page("a", "hi", 2_000), 1_000));
        assert_eq!(
            m.get("http://a/x", 1_999).map(|p| p.body.clone()),
            Some(b"hi".to_vec())
        );
        assert!(m.get("http://a/x", 2_000).is_none());
        assert!(m.is_empty(), "an expired copy is dropped");
    }

    #[test]
    fn lifetime_is_the_shorter_of_the_memory_ttl_and_the_edge_ttl() {
        assert_eq!(expires_at(10_000, 60), 10_000 + TTL_MS);
        assert_eq!(expires_at(10_000, 0), 10_000);
        assert_eq!(expires_at(10_000, -5), 10_000);
    }

    #[test]
    fn a_purge_drops_the_tenants_pages_and_refuses_pages_fetched_before_it() {
        let mut m = EdgeMemory::<Page>::default();
        m.keep("http://a/1".into(), page("a", "1", 9_000), 1_000);
        m.keep("http://a/2".into(), page("a", "2", 9_000), 1_000);
        m.keep("http://b/1".into(), page("b", "1", 9_000), 1_000);
        m.purge("a", Some(&["http://a/1".to_string()]), 2_000);
        assert!(m.get("http://a/1", 2_000).is_none());
        assert!(m.get("http://a/2", 2_000).is_some(), "only the listed URL");
        // A page fetched before the write must not come back after it.
        assert!(!m.keep("http://a/1".into(), page("a", "old", 9_000), 1_500));
        assert!(!m.may_keep("a", 2_000));
        assert!(m.keep("http://a/1".into(), page("a", "new", 9_000), 2_001));
        m.purge("a", None, 3_000);
        assert!(m.get("http://a/1", 3_000).is_none() && m.get("http://a/2", 3_000).is_none());
        assert!(
            m.get("http://b/1", 3_000).is_some(),
            "other tenants keep theirs"
        );
    }

    #[test]
    fn memory_stays_within_its_budget() {
        let mut m = EdgeMemory::with_budget(10_000);
        for i in 0..100 {
            m.keep(
                format!("http://a/{i}"),
                page("a", &"x".repeat(900), 9_000),
                1,
            );
            assert!(m.bytes() <= 10_000);
        }
        assert!(m.len() < 100);
    }
}
