//! One memory budget per isolate, shared by every actor in it.
//!
//! Every TenantDO that lands in an isolate shares that isolate's single
//! wasm linear memory (and JS heap), and an isolate gets 128 MB in all. A
//! budget per actor bounds nothing once many busy tenants share one
//! isolate, so what actors keep in memory draws on budgets that belong to
//! the isolate:
//!
//! - **pages**: rendered pages of every tenant, one LRU ([`PAGES_BUDGET_BYTES`]);
//! - **contents**: each tenant's loaded content (its posts, pages and
//!   settings, as read from D1), one LRU of tenants ([`CONTENTS_BUDGET_BYTES`]).
//!
//! Both are least-recently-used across tenants: the coldest page of any
//! tenant goes first, and so does the content of the tenant idle longest
//! (it is read from D1 again when that tenant is next written to, or asked
//! for a page that is in neither memory nor the actor's storage). Keys start
//! with the tenant id, so one tenant's entries never answer for another's.
//!
//! Wasm memory grows and never shrinks: the figure that matters is the
//! high-water mark, so the budgets are what bound it.

use std::cell::RefCell;
use std::rc::Rc;

use crate::byte_lru::ByteLru;
use crate::site::Rendered;

/// Rendered pages of all tenants in one isolate.
pub const PAGES_BUDGET_BYTES: usize = 32 * 1024 * 1024;
/// Loaded contents of all tenants in one isolate.
pub const CONTENTS_BUDGET_BYTES: usize = 16 * 1024 * 1024;

/// A byte-bounded LRU shared by the actors of one isolate.
pub type Shared<V> = Rc<RefCell<ByteLru<V>>>;

/// The isolate's budgets, handed to every actor it runs (`C` is the
/// loaded content an actor keeps).
pub struct IsolateMemory<C> {
    pub pages: Shared<Rc<Rendered>>,
    pub contents: Shared<Rc<RefCell<C>>>,
}

impl<C> Clone for IsolateMemory<C> {
    fn clone(&self) -> Self {
        IsolateMemory {
            pages: Rc::clone(&self.pages),
            contents: Rc::clone(&self.contents),
        }
    }
}

impl<C> Default for IsolateMemory<C> {
    fn default() -> Self {
        IsolateMemory::with_budgets(PAGES_BUDGET_BYTES, CONTENTS_BUDGET_BYTES)
    }
}

impl<C> IsolateMemory<C> {
    pub fn with_budgets(pages_bytes: usize, contents_bytes: usize) -> Self {
        IsolateMemory {
            pages: Rc::new(RefCell::new(ByteLru::with_budget(pages_bytes))),
            contents: Rc::new(RefCell::new(ByteLru::with_budget(contents_bytes))),
        }
    }

    /// What the budgets hold now.
    pub fn stats(&self) -> MemoryStats {
        let pages = self.pages.borrow();
        let contents = self.contents.borrow();
        MemoryStats {
            page_bytes: pages.bytes(),
            pages: pages.len(),
            page_budget_bytes: pages.budget(),
            page_evictions: pages.evictions(),
            content_bytes: contents.bytes(),
            contents: contents.len(),
            content_budget_bytes: contents.budget(),
            content_evictions: contents.evictions(),
        }
    }
}

/// The isolate's budgets and what they hold (for the ops stats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MemoryStats {
    pub page_bytes: usize,
    pub pages: usize,
    pub page_budget_bytes: usize,
    pub page_evictions: u64,
    pub content_bytes: usize,
    /// Tenants whose content is loaded.
    pub contents: usize,
    pub content_budget_bytes: usize,
    pub content_evictions: u64,
}

/// The key of a tenant's entry in a shared LRU.
pub fn tenant_key(tenant_id: &str, key: &str) -> String {
    // A tenant id never contains a newline.
    format!("{tenant_id}\n{key}")
}

/// The prefix of every key of a tenant.
pub fn tenant_prefix(tenant_id: &str) -> String {
    format!("{tenant_id}\n")
}
