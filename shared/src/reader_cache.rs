//! The TenantDO's hot cache of rendered pages: an LRU bounded by a byte
//! budget, with hit and miss counts.
//!
//! A page is rendered the first time it is asked for (or handed in,
//! already rendered, from the actor's storage) and then served from memory
//! until it is the least recently used page and the budget needs its room.
//! Error pages (404/400) are cheap and unbounded in number, so they are
//! rendered each time and never stored.

use std::collections::HashMap;
use std::rc::Rc;

use crate::site::{reader_route, Rendered, RouteMiss, Site};

/// Default memory budget for one tenant's rendered pages.
pub const DEFAULT_BUDGET_BYTES: usize = 8 * 1024 * 1024;

/// Hit, miss and size figures of a [`ReaderCache`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    pub hits: u64,
    /// Pages rendered (misses that were not in storage either).
    pub renders: u64,
    pub evictions: u64,
    pub entries: usize,
    pub bytes: usize,
    pub budget_bytes: usize,
}

/// What serving a path did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// From memory.
    Hit(Rc<Rendered>),
    /// Rendered now; `key` names it for storage (`None` for error pages).
    Rendered {
        page: Rc<Rendered>,
        key: Option<String>,
    },
}

impl Served {
    pub fn page(&self) -> &Rc<Rendered> {
        match self {
            Served::Hit(page) | Served::Rendered { page, .. } => page,
        }
    }
}

/// A site plus its memoised rendered pages.
#[derive(Debug)]
pub struct ReaderCache {
    site: Site,
    pages: HashMap<String, (Rc<Rendered>, u64)>,
    tick: u64,
    stats: CacheStats,
}

impl ReaderCache {
    pub fn new(site: Site) -> Self {
        ReaderCache::with_budget(site, DEFAULT_BUDGET_BYTES)
    }

    pub fn with_budget(site: Site, budget_bytes: usize) -> Self {
        let stats = CacheStats {
            budget_bytes,
            ..CacheStats::default()
        };
        ReaderCache {
            site,
            pages: HashMap::new(),
            tick: 0,
            stats,
        }
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn stats(&self) -> CacheStats {
        self.stats
    }

    /// The memory key of a path, or `None` if it names no cacheable page.
    pub fn key_of(path: &str, query: Option<&str>) -> Option<String> {
        reader_route(path, query).ok().map(|r| r.cache_key())
    }

    /// The page for a reader's path and query, from memory when possible.
    pub fn serve(&mut self, path: &str, query: Option<&str>) -> Served {
        let route = match reader_route(path, query) {
            Ok(route) => route,
            Err(RouteMiss::NotFound) => {
                return Served::Rendered {
                    page: Rc::new(self.site.render_not_found()),
                    key: None,
                }
            }
            Err(RouteMiss::BadRequest(message)) => {
                return Served::Rendered {
                    page: Rc::new(self.site.render_bad_request(&message)),
                    key: None,
                }
            }
        };
        let key = route.cache_key();
        if let Some(page) = self.get(&key) {
            self.stats.hits += 1;
            return Served::Hit(page);
        }
        let rendered = Rc::new(self.site.render(&route));
        self.stats.renders += 1;
        if rendered.status == 200 {
            self.insert(key.clone(), Rc::clone(&rendered));
            return Served::Rendered {
                page: rendered,
                key: Some(key),
            };
        }
        Served::Rendered {
            page: rendered,
            key: None,
        }
    }

    /// A page from memory, marking it recently used.
    pub fn get(&mut self, key: &str) -> Option<Rc<Rendered>> {
        self.tick += 1;
        let tick = self.tick;
        self.pages.get_mut(key).map(|(page, used)| {
            *used = tick;
            Rc::clone(page)
        })
    }

    /// Keeps a rendered page (e.g. read back from storage), evicting the
    /// least recently used pages while over budget. A page larger than the
    /// whole budget is not kept.
    pub fn insert(&mut self, key: String, page: Rc<Rendered>) {
        let size = page.html.len() + key.len();
        if size > self.stats.budget_bytes {
            return;
        }
        self.tick += 1;
        if let Some((old, _)) = self.pages.insert(key.clone(), (page, self.tick)) {
            self.stats.bytes -= old.html.len() + key.len();
        } else {
            self.stats.entries += 1;
        }
        self.stats.bytes += size;
        while self.stats.bytes > self.stats.budget_bytes {
            let Some(lru) = self
                .pages
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((old, _)) = self.pages.remove(&lru) {
                self.stats.bytes -= old.html.len() + lru.len();
                self.stats.entries -= 1;
                self.stats.evictions += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostStatus;
    use crate::test_support::{post, site_with};

    #[test]
    fn renders_each_page_once_then_serves_from_memory() {
        let mut cache = ReaderCache::new(site_with(
            vec![post("a", PostStatus::Published, Some(1))],
            vec![],
        ));
        let first = cache.serve("/blog/a", None);
        assert!(matches!(&first, Served::Rendered { key: Some(k), .. } if k == "post:a"));
        let second = cache.serve("/blog/a/", None);
        assert!(matches!(second, Served::Hit(_)));
        assert_eq!(first.page(), second.page());
        let stats = cache.stats();
        assert_eq!((stats.renders, stats.hits, stats.entries), (1, 1, 1));
        assert_eq!(stats.bytes, first.page().html.len() + "post:a".len());
    }

    #[test]
    fn misses_are_not_stored() {
        let mut cache = ReaderCache::new(site_with(vec![], vec![]));
        for i in 0..5 {
            assert_eq!(
                cache.serve(&format!("/blog/nope-{i}"), None).page().status,
                404
            );
        }
        assert_eq!(cache.serve("/blog", Some("page=zero")).page().status, 400);
        assert_eq!(cache.stats().entries, 0);
    }

    #[test]
    fn the_byte_budget_evicts_the_least_recently_used() {
        let posts = (0..20)
            .map(|i| post(&format!("p{i}"), PostStatus::Published, Some(i)))
            .collect();
        let site = site_with(posts, vec![]);
        let one_page = site
            .render(&crate::site::ReaderRoute::Post("p0".into()))
            .html
            .len()
            + 8;
        let mut cache = ReaderCache::with_budget(site, one_page * 3);
        for i in 0..3 {
            cache.serve(&format!("/blog/p{i}"), None);
        }
        cache.serve("/blog/p0", None); // p0 is now the most recent; p1 the least
        cache.serve("/blog/p3", None);
        let stats = cache.stats();
        assert!(stats.bytes <= stats.budget_bytes, "{stats:?}");
        assert_eq!(stats.evictions, 1);
        assert!(
            cache.get("post:p1").is_none(),
            "the least recently used went"
        );
        assert!(cache.get("post:p0").is_some() && cache.get("post:p3").is_some());
        for i in 0..20 {
            cache.serve(&format!("/blog/p{i}"), None);
            assert!(cache.stats().bytes <= cache.stats().budget_bytes);
        }
    }
}
