//! The port to a tenant's search index: SQLite FTS5 in the actor's own
//! storage in the runtime (`tenant-do`'s `DoSearchIndex`), a recording
//! fake in native tests ([`MemorySearchIndex`]).

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::document::SearchDoc;
use crate::admin::store::StoreError;

/// The index's schema version: an index built with another is rebuilt
/// from the content before its next search.
pub const SCHEMA_VERSION: u32 = 2;

/// One result, as the index returns it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// `post:{id}` or `page:{id}`.
    #[serde(skip)]
    pub key: String,
    pub path: String,
    pub title: String,
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

    async fn update(&self, docs: &[SearchDoc], gone: &[String]) -> Result<(), StoreError> {
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
}
