//! The port to the actor's own storage: pre-rendered pages, the actor's
//! meta, and (through [`PageStore::index`]) its search index. The actor's own
//! Durable Object storage in the runtime, memory in tests. It lets an
//! evicted or restarted actor serve published pages without reading D1.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::admin::store::StoreError;
use crate::limits::policy::Plan;
use crate::search::index::{MemorySearchIndex, SearchIndex};
use crate::site::Rendered;

/// What a cold actor needs to know before it serves a stored page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorMeta {
    pub tenant_id: String,
    pub plan: Plan,
    pub suspended: bool,
    /// When the next scheduled post goes live (lists must not be cached past it).
    pub next_scheduled: Option<i64>,
}

/// Pre-rendered pages, the actor's meta and its search index.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only
pub trait PageStore {
    /// The search index kept in the same storage.
    type Index: SearchIndex;
    fn index(&self) -> &Self::Index;
    async fn get_page(&self, key: &str) -> Result<Option<Rendered>, StoreError>;
    async fn put_pages(&self, pages: &[(String, Rendered)]) -> Result<(), StoreError>;
    async fn delete_pages(&self, keys: &[String]) -> Result<(), StoreError>;
    /// Deletes every stored page (not the meta).
    async fn clear_pages(&self) -> Result<(), StoreError>;
    async fn get_meta(&self) -> Result<Option<ActorMeta>, StoreError>;
    async fn put_meta(&self, meta: Option<&ActorMeta>) -> Result<(), StoreError>;
}

/// An in-memory page store for tests.
#[derive(Debug, Default)]
pub struct MemoryPageStore {
    pub pages: RefCell<BTreeMap<String, Rendered>>,
    pub meta: RefCell<Option<ActorMeta>>,
    pub reads: Cell<usize>,
    pub search: MemorySearchIndex,
}

impl PageStore for MemoryPageStore {
    type Index = MemorySearchIndex;
    fn index(&self) -> &MemorySearchIndex {
        &self.search
    }
    async fn get_page(&self, key: &str) -> Result<Option<Rendered>, StoreError> {
        self.reads.set(self.reads.get() + 1);
        Ok(self.pages.borrow().get(key).cloned())
    }
    async fn put_pages(&self, pages: &[(String, Rendered)]) -> Result<(), StoreError> {
        self.pages.borrow_mut().extend(pages.iter().cloned());
        Ok(())
    }
    async fn delete_pages(&self, keys: &[String]) -> Result<(), StoreError> {
        let mut pages = self.pages.borrow_mut();
        for k in keys {
            pages.remove(k);
        }
        Ok(())
    }
    async fn clear_pages(&self) -> Result<(), StoreError> {
        self.pages.borrow_mut().clear();
        Ok(())
    }
    async fn get_meta(&self) -> Result<Option<ActorMeta>, StoreError> {
        Ok(self.meta.borrow().clone())
    }
    async fn put_meta(&self, meta: Option<&ActorMeta>) -> Result<(), StoreError> {
        *self.meta.borrow_mut() = meta.cloned();
        Ok(())
    }
}
