//! Which pages the actor has handed to the edge since they were last
//! purged, so a write purges only pages the edge can hold.
//!
//! A new post changes every list page (about 200 at 1,000 posts); purging
//! all of them at the edge costs a Cache API delete per page and host on
//! every write. The edge can only hold a page the actor served for it, so
//! the actor remembers those and a purge names only them. After the actor
//! starts (what it served before is unknown) or when the set outgrows
//! [`MAX_TRACKED`], the next purge names every changed page.

use std::collections::HashSet;

/// Most pages tracked before falling back to purging everything changed.
pub const MAX_TRACKED: usize = 20_000;

/// Canonical paths served to the edge and not purged since.
#[derive(Debug, Default)]
pub struct ServedPages {
    /// `None`: unknown (a fresh actor, or too many to track).
    paths: Option<HashSet<String>>,
}

impl ServedPages {
    /// Notes that the edge may now hold `path`.
    pub fn record(&mut self, path: &str) {
        if let Some(paths) = &mut self.paths {
            if paths.len() >= MAX_TRACKED && !paths.contains(path) {
                self.paths = None;
            } else if !paths.contains(path) {
                paths.insert(path.to_string());
            }
        }
    }

    /// Of the `changed` paths, those the edge may hold (all of them when
    /// unknown); they are purged, so tracking starts again for them.
    pub fn to_purge(&mut self, changed: Vec<String>) -> Vec<String> {
        match &mut self.paths {
            Some(paths) => changed.into_iter().filter(|p| paths.remove(p)).collect(),
            None => {
                self.paths = Some(HashSet::new());
                changed
            }
        }
    }

    /// Everything was purged: the edge holds nothing served before now.
    pub fn all_purged(&mut self) {
        self.paths = Some(HashSet::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_fresh_actor_purges_everything_changed_once() {
        let mut s = ServedPages::default();
        s.record("/blog/a");
        assert_eq!(
            s.to_purge(paths(&["/", "/blog?page=9"])),
            paths(&["/", "/blog?page=9"])
        );
        assert_eq!(
            s.to_purge(paths(&["/", "/blog?page=9"])),
            Vec::<String>::new()
        );
    }

    #[test]
    fn only_pages_served_to_the_edge_are_purged_and_then_forgotten() {
        let mut s = ServedPages::default();
        s.all_purged();
        s.record("/");
        s.record("/blog/a");
        assert_eq!(
            s.to_purge(paths(&["/", "/blog?page=2", "/blog?page=3"])),
            paths(&["/"])
        );
        assert_eq!(
            s.to_purge(paths(&["/"])),
            Vec::<String>::new(),
            "purged once"
        );
        s.record("/");
        assert_eq!(
            s.to_purge(paths(&["/", "/blog/a"])),
            paths(&["/", "/blog/a"])
        );
    }

    #[test]
    fn too_many_to_track_falls_back_to_purging_everything() {
        let mut s = ServedPages::default();
        s.all_purged();
        for i in 0..=MAX_TRACKED {
            s.record(&format!("/blog/p{i}"));
        }
        assert_eq!(s.to_purge(paths(&["/x"])), paths(&["/x"]));
    }
}
