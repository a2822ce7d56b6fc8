//! The paths the edge must purge after recent writes, kept in the actor's
//! storage for as long as the edge may hold a page ([`EDGE_TTL_SECS`]).
//!
//! A write's purge is carried out by the router after the actor answers.
//! If the router dies in between (the owner sees no answer, but the write
//! landed), nobody would purge, and that location would serve the old page
//! until it expires. So the actor journals each write's paths and hands
//! every recent entry to the router with each admin answer: the next admin
//! request (the owner reloading the editor, say) purges them again. Purges
//! are idempotent; an entry older than the edge TTL is dropped, since no
//! copy can outlive it.

use serde::{Deserialize, Serialize};

use super::schedule::EDGE_TTL_SECS;

/// Recent purges: `(when, path)`, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeJournal {
    entries: Vec<(i64, String)>,
}

impl PurgeJournal {
    /// Records `paths` purged at `now`; forgets entries no edge copy can
    /// outlive. `true` if the journal changed (and must be saved).
    pub fn record(&mut self, paths: &[String], now: i64) -> bool {
        let before = self.entries.len();
        self.entries
            .retain(|(at, _)| *at > now - EDGE_TTL_SECS * 1000);
        let pruned = self.entries.len() != before;
        for path in paths {
            self.entries.retain(|(_, p)| p != path);
            self.entries.push((now, path.clone()));
        }
        pruned || !paths.is_empty()
    }

    /// Every path purged within the edge TTL before `now`, sorted.
    pub fn recent(&self, now: i64) -> Vec<String> {
        let mut paths: Vec<String> = self
            .entries
            .iter()
            .filter(|(at, _)| *at > now - EDGE_TTL_SECS * 1000)
            .map(|(_, p)| p.clone())
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn recent_purges_are_handed_on_until_the_edge_ttl_has_passed() {
        let mut j = PurgeJournal::default();
        assert!(!j.record(&[], 0), "nothing to save");
        assert!(j.record(&[p("/blog/a"), p("/")], 1_000));
        assert!(j.record(&[p("/blog/b"), p("/")], 30_000));
        assert_eq!(j.recent(30_000), vec![p("/"), p("/blog/a"), p("/blog/b")]);
        // /blog/a's copy has expired everywhere by 61 s; "/" was purged again at 30 s.
        assert_eq!(j.recent(61_001), vec![p("/"), p("/blog/b")]);
        assert!(j.record(&[], 61_001), "the old entry is dropped");
        assert!(j.recent(91_000).is_empty());
        assert!(j.record(&[], 91_000));
        assert!(j.is_empty());
    }
}
