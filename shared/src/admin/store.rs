//! The storage port: where a tenant's content is loaded from and committed to.
//!
//! In the Workers runtime this is D1 (`grove-tenant-do`'s `D1Store`); in
//! native tests it is [`MemoryStore`], which can be told to fail so the
//! "nothing changes on error" rule is tested.

use std::cell::{Cell, RefCell};

use super::content::{Change, Revision, TenantContent};

/// A storage failure. The text is for logs, never for clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

/// Loading and committing a tenant's content.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only; no Send bound wanted
pub trait ContentStore {
    /// The tenant's whole content, or `None` if it does not exist.
    async fn load(&self, tenant_id: &str) -> Result<Option<TenantContent>, StoreError>;
    /// Applies `changes` atomically (all or nothing).
    async fn commit(&self, tenant_id: &str, changes: &[Change], now: i64)
        -> Result<(), StoreError>;
    /// Adds buffered view counts (by post slug) in one batch.
    async fn add_views(&self, tenant_id: &str, batch: &[(String, u64)]) -> Result<(), StoreError>;
    /// A post's accepted versions, oldest first.
    async fn history(&self, tenant_id: &str, post_id: &str) -> Result<Vec<Revision>, StoreError>;
}

/// An in-memory store for tests.
#[derive(Debug, Default)]
pub struct MemoryStore {
    pub content: RefCell<Option<TenantContent>>,
    pub revisions: RefCell<Vec<Revision>>,
    /// When set, the next commit fails.
    pub fail_next_commit: Cell<bool>,
    pub loads: Cell<usize>,
    pub commits: Cell<usize>,
}

impl MemoryStore {
    pub fn with(content: TenantContent) -> Self {
        MemoryStore {
            content: RefCell::new(Some(content)),
            ..Default::default()
        }
    }
}

impl ContentStore for MemoryStore {
    async fn load(&self, tenant_id: &str) -> Result<Option<TenantContent>, StoreError> {
        self.loads.set(self.loads.get() + 1);
        Ok(self
            .content
            .borrow()
            .clone()
            .filter(|c| c.tenant.id == tenant_id))
    }

    async fn commit(
        &self,
        _tenant_id: &str,
        changes: &[Change],
        _now: i64,
    ) -> Result<(), StoreError> {
        if self.fail_next_commit.replace(false) {
            return Err(StoreError("injected failure".into()));
        }
        self.commits.set(self.commits.get() + 1);
        let mut content = self.content.borrow_mut();
        let Some(content) = content.as_mut() else {
            return Err(StoreError("no tenant".into()));
        };
        let plan = super::content::Plan {
            changes: changes.to_vec(),
            outcome: super::content::Outcome::Settings,
        };
        content.apply(&plan);
        self.revisions
            .borrow_mut()
            .extend(changes.iter().filter_map(|c| match c {
                Change::InsertRevision(r) => Some(r.clone()),
                _ => None,
            }));
        Ok(())
    }

    async fn add_views(&self, _tenant_id: &str, batch: &[(String, u64)]) -> Result<(), StoreError> {
        if self.fail_next_commit.replace(false) {
            return Err(StoreError("injected failure".into()));
        }
        if let Some(content) = self.content.borrow_mut().as_mut() {
            content.add_views(batch);
        }
        Ok(())
    }

    async fn history(&self, _tenant_id: &str, post_id: &str) -> Result<Vec<Revision>, StoreError> {
        Ok(self
            .revisions
            .borrow()
            .iter()
            .filter(|r| r.post_id == post_id)
            .cloned()
            .collect())
    }
}
