//! The port to a tenant's search index: SQLite FTS5 in the actor's own
//! storage in the runtime (`tenant-do`'s `DoSearchIndex`), a recording
//! fake in native tests ([`MemorySearchIndex`]).

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::document::SearchDoc;
use crate::admin::store::StoreError;

/// The index's schema version: an index built with another is rebuilt
/// from the content before its next search. (3: the rowid carries
/// visibility and recency, see [`rowid_base`].)
pub const SCHEMA_VERSION: u32 = 3;

/// Documents that share a [`rowid_base`] (the same visibility and the same
/// second) get consecutive rowids from it, up to this many.
pub const ROWID_SLOTS: i64 = 1 << 12;

/// Every document readers may find has a rowid at or above this. Every
/// rowid stays below 2^53, so it crosses to JavaScript as an exact number.
pub const READERS_FROM: i64 = 1 << 50;

/// Where a document sits in the index's rowid order: the first rowid it
/// may take. Readers' documents come first (at or above [`READERS_FROM`]),
/// then, within each half, newer above older (to the second).
///
/// Ranking reads only the index, never a stored row, when these two facts
/// are in the rowid: "readers only" is a rowid range and "newer first on a
/// tie" is `rowid DESC`, both of which FTS5 answers from its doclists.
/// (Reading them from stored columns cost more than the ranking itself on
/// the 1,000-post bench blog.) Times more than 272 years from 1970 are
/// clamped.
pub fn rowid_base(published_at_ms: i64, visible: bool) -> i64 {
    const SPAN: i64 = 1 << 33; // seconds either side of 1970
    let at = published_at_ms.div_euclid(1000).clamp(-SPAN, SPAN - 1) + SPAN; // < 2^34
    let base = at * ROWID_SLOTS; // < 2^46
    if visible {
        READERS_FROM + base
    } else {
        base
    }
}

/// One result, as the index returns it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// `post:{id}` or `page:{id}`.
    #[serde(skip)]
    pub key: String,
    pub path: String,
    pub title: String,
    /// The title with its matches marked like the snippet's (raw).
    #[serde(skip)]
    pub title_raw: String,
    /// Text around the matches, marked with the document module's
    /// `MARK_START`/`MARK_END` (raw: escape with `snippet_html`).
    #[serde(skip)]
    pub snippet_raw: String,
    pub published_at: i64,
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// A tenant's full-text index.
#[allow(async_fn_in_trait)]
pub trait SearchIndex {
    /// The schema version the index was built with, if it exists.
    async fn version(&self) -> Result<Option<u32>, StoreError>;
    /// Replaces the whole index with `docs` at [`SCHEMA_VERSION`].
    async fn rebuild(&self, docs: &[SearchDoc]) -> Result<(), StoreError>;
    /// Marks the index stale (no version), so it is rebuilt before the
    /// next search.
    async fn discard(&self) -> Result<(), StoreError>;
    /// Adds or replaces `docs` (by key) and removes `gone` keys.
    async fn update(&self, docs: &[SearchDoc], gone: &[String]) -> Result<(), StoreError>;
    /// Ranked matches of an FTS5 expression: a title match above a body
    /// match, then newer first. `readers` keeps only what readers may find.
    async fn search(
        &self,
        fts: &str,
        limit: usize,
        offset: usize,
        readers: bool,
    ) -> Result<Found, StoreError>;
    /// The keys of the best `limit` matches among all documents (the
    /// owner's filter), in the order of [`SearchIndex::search`], without
    /// the cost of snippets.
    async fn keys(&self, fts: &str, limit: usize) -> Result<Vec<String>, StoreError>;
}

/// A fake index for native tests: it records documents, and "matches" a
/// document when its title, tags or body contain every quoted string of
/// the expression (no stemming, no prefixes: the real matching is tested
/// against the runtime).
#[derive(Debug, Default)]
pub struct MemorySearchIndex {
    pub docs: RefCell<BTreeMap<String, SearchDoc>>,
    pub version: RefCell<Option<u32>>,
    pub rebuilds: RefCell<usize>,
    pub searches: RefCell<usize>,
    /// Makes every `update` fail, as a storage fault would.
    pub fail_updates: std::cell::Cell<bool>,
}

impl SearchIndex for MemorySearchIndex {
    async fn version(&self) -> Result<Option<u32>, StoreError> {
        Ok(*self.version.borrow())
    }

    async fn rebuild(&self, docs: &[SearchDoc]) -> Result<(), StoreError> {
        *self.rebuilds.borrow_mut() += 1;
        *self.version.borrow_mut() = Some(SCHEMA_VERSION);
        *self.docs.borrow_mut() = docs.iter().map(|d| (d.key.clone(), d.clone())).collect();
        Ok(())
    }

    async fn discard(&self) -> Result<(), StoreError> {
        *self.version.borrow_mut() = None;
        Ok(())
    }

    async fn update(&self, docs: &[SearchDoc], gone: &[String]) -> Result<(), StoreError> {
        if self.fail_updates.get() {
            return Err(StoreError("injected index fault".into()));
        }
        let mut all = self.docs.borrow_mut();
        for key in gone {
            all.remove(key);
        }
        for d in docs {
            all.insert(d.key.clone(), d.clone());
        }
        Ok(())
    }

    async fn search(
        &self,
        fts: &str,
        limit: usize,
        offset: usize,
        readers: bool,
    ) -> Result<Found, StoreError> {
        *self.searches.borrow_mut() += 1;
        let terms: Vec<String> = fts
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_lowercase)
            .collect();
        let mut hits: Vec<Hit> = self
            .docs
            .borrow()
            .values()
            .filter(|d| d.visible || !readers)
            .filter(|d| {
                let text = format!("{} {} {}", d.title, d.tags, d.body).to_lowercase();
                terms.iter().all(|t| text.contains(t.as_str()))
            })
            .map(|d| Hit {
                key: d.key.clone(),
                path: d.path.clone(),
                title: d.title.clone(),
                title_raw: d.title.clone(),
                snippet_raw: d.body.chars().take(80).collect(),
                published_at: d.published_at,
            })
            .collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.published_at));
        let total = hits.len();
        Ok(Found {
            total,
            hits: hits.into_iter().skip(offset).take(limit).collect(),
        })
    }

    async fn keys(&self, fts: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let found = self.search(fts, limit, 0, false).await?;
        Ok(found.hits.into_iter().map(|h| h.key).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rowids_order_readers_first_then_newer_first() {
        let draft_new = rowid_base(2_000, false);
        let live_old = rowid_base(1_000, true);
        let live_new = rowid_base(2_000, true);
        assert!(draft_new < READERS_FROM && live_old >= READERS_FROM);
        assert!(
            live_old + ROWID_SLOTS <= live_new,
            "a second holds every slot"
        );
        assert_eq!(rowid_base(2_000, true), rowid_base(2_999, true));
        // Pages (0), pre-1970 imports and far-future dates stay in range and in order.
        let times = [
            i64::MIN,
            -(1 << 50),
            -1,
            0,
            1,
            1_780_000_000_000,
            1 << 50,
            i64::MAX,
        ];
        for visible in [false, true] {
            let bases: Vec<i64> = times.iter().map(|t| rowid_base(*t, visible)).collect();
            assert!(bases.windows(2).all(|w| w[0] <= w[1]), "{bases:?}");
            assert!(bases
                .iter()
                .all(|b| *b >= 0 && b.checked_add(ROWID_SLOTS).is_some()));
            assert_eq!(bases[0] >= READERS_FROM, visible);
            // Exact as a JavaScript number (the runtime's SQL API).
            assert!(bases[bases.len() - 1] + ROWID_SLOTS <= 1 << 53);
        }
        assert!(rowid_base(-1, true) < rowid_base(0, true));
    }
}
