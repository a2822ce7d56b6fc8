//! The TenantDO's hot cache of rendered pages.
//!
//! A page is rendered the first time it is asked for and then served from
//! memory; error pages (404/400) are cheap and unbounded in number, so they
//! are rendered each time and never stored. The counters let tests and the
//! benchmark see that a repeated view renders nothing.

use std::collections::HashMap;
use std::rc::Rc;

use crate::site::{reader_route, Rendered, RouteMiss, Site};

/// Hit, miss and size figures of a [`ReaderCache`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub renders: u64,
    pub entries: usize,
    pub bytes: usize,
}

/// A site plus its memoised rendered pages.
#[derive(Debug)]
pub struct ReaderCache {
    site: Site,
    pages: HashMap<String, Rc<Rendered>>,
    stats: CacheStats,
}

impl ReaderCache {
    pub fn new(site: Site) -> Self {
        ReaderCache {
            site,
            pages: HashMap::new(),
            stats: CacheStats::default(),
        }
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn stats(&self) -> CacheStats {
        self.stats
    }

    /// The page for a reader's path and query, from memory when possible.
    pub fn serve(&mut self, path: &str, query: Option<&str>) -> Rc<Rendered> {
        let route = match reader_route(path, query) {
            Ok(route) => route,
            Err(RouteMiss::NotFound) => return Rc::new(self.site.render_not_found()),
            Err(RouteMiss::BadRequest(message)) => {
                return Rc::new(self.site.render_bad_request(&message))
            }
        };
        let key = route.cache_key();
        if let Some(page) = self.pages.get(&key) {
            self.stats.hits += 1;
            return Rc::clone(page);
        }
        let rendered = Rc::new(self.site.render(&route));
        self.stats.renders += 1;
        if rendered.status == 200 {
            self.stats.entries += 1;
            self.stats.bytes += rendered.html.len();
            self.pages.insert(key, Rc::clone(&rendered));
        }
        rendered
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
        let second = cache.serve("/blog/a/", None);
        assert_eq!(first, second);
        assert_eq!(cache.stats().renders, 1);
        assert_eq!(cache.stats().hits, 1);
        assert_eq!(cache.stats().bytes, first.html.len());
    }

    #[test]
    fn misses_are_not_stored() {
        let mut cache = ReaderCache::new(site_with(vec![], vec![]));
        for i in 0..5 {
            assert_eq!(cache.serve(&format!("/blog/nope-{i}"), None).status, 404);
        }
        assert_eq!(cache.serve("/blog", Some("page=zero")).status, 400);
        assert_eq!(cache.stats().entries, 0);
    }
}
