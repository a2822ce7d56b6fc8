//! The storage port: where a tenant's content is loaded from and committed to.
//!
//! In the Workers runtime this is D1 (`grove-tenant-do`'s `D1Store`); in
//! native tests it is [`MemoryStore`], which suspends at every call and can
//! be told to fail before or after a commit, so the "nothing changes on
//! error" and "unknown outcome" rules and the write lock are tested.

use std::cell::{Cell, RefCell};

use super::content::{Change, Revision, TenantContent};
use crate::media::library::{MediaLibrary, MemoryMediaLibrary};

/// A storage failure. The text is for logs, never for clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

/// Loading and committing a tenant's content.
#[allow(async_fn_in_trait)] // single-threaded (wasm32) callers only; no Send bound wanted
pub trait ContentStore {
    /// The tenant's media books, kept in the same database.
    type Media: MediaLibrary;
    fn media(&self) -> &Self::Media;
    /// Whatever approves the blog's move to a dearer plan.
    type Billing: crate::billing::Billing;
    fn billing(&self) -> &Self::Billing;
    /// Every blog's custom-domain claims, DNS and the domains' target.
    type Domains: crate::domains::book::DomainBook;
    fn domains(&self) -> &Self::Domains;
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

/// What the next commit of a [`MemoryStore`] does wrong, if anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Fault {
    /// Nothing: the commit lands and is acknowledged.
    #[default]
    None,
    /// The commit fails and nothing lands.
    FailBeforeCommit,
    /// The commit lands, then the caller sees an error ("it landed, you
    /// saw an error"): the outcome is unknown to the caller.
    CommitThenFail,
}

/// An in-memory store for tests that behaves like D1 where it matters: a
/// commit is all or nothing, a second revision with the same
/// `(post_id, version)` makes the whole commit fail, every call can suspend
/// (so concurrent callers interleave), and commits can be told to fail.
#[derive(Debug, Default)]
pub struct MemoryStore {
    pub content: RefCell<Option<TenantContent>>,
    pub revisions: RefCell<Vec<Revision>>,
    /// What the next commit (or view flush) does wrong; reset after it.
    pub next_fault: Cell<Fault>,
    /// How many times every call suspends before doing its work (and a
    /// commit again before answering): 0 never, more for a slow store.
    pub yields: Cell<usize>,
    pub loads: Cell<usize>,
    pub commits: Cell<usize>,
    pub media: MemoryMediaLibrary,
    /// Subdomains other tenants have (D1's UNIQUE `tenants.subdomain`).
    pub taken: RefCell<Vec<String>>,
    /// `subdomain_holds` as `(name, tenant_id, held_until)`, enforced on a
    /// rename as migration 0007's trigger does.
    pub holds: RefCell<Vec<(String, String, i64)>>,
    pub billing: crate::billing::MemoryBilling,
    /// Other blogs' domain claims, and the DNS the tests set.
    pub domain_book: crate::domains::book::MemoryDomainBook,
}

impl MemoryStore {
    pub fn with(content: TenantContent) -> Self {
        MemoryStore {
            content: RefCell::new(Some(content)),
            ..Default::default()
        }
    }

    /// A store whose every call suspends `yields` times.
    pub fn slow(content: TenantContent, yields: usize) -> Self {
        let store = MemoryStore::with(content);
        store.yields.set(yields);
        store
    }

    async fn pause(&self) {
        for _ in 0..self.yields.get() {
            YieldNow(false).await;
        }
    }

    /// Whether `changes` would insert a revision that already exists (the
    /// `(post_id, version)` key D1 enforces).
    fn breaks_revision_key(&self, changes: &[Change]) -> bool {
        let existing = self.revisions.borrow();
        let mut seen: Vec<(&str, i64)> = Vec::new();
        for change in changes {
            if let Change::InsertRevision(r) = change {
                let key = (r.post_id.as_str(), r.version);
                if seen.contains(&key)
                    || existing
                        .iter()
                        .any(|e| e.post_id == r.post_id && e.version == r.version)
                {
                    return true;
                }
                seen.push(key);
            }
        }
        false
    }
}

impl MemoryStore {
    /// A rename's part of the batch, as D1 runs it: expired holds go, a
    /// taken or held name fails the whole commit, the tenant's own hold on
    /// its new name goes and its old name is held.
    fn rename_holds(
        &self,
        tenant_id: &str,
        changes: &[Change],
        now: i64,
    ) -> Result<(), StoreError> {
        for change in changes {
            let Change::Rename {
                from,
                to,
                held_until,
                ..
            } = change
            else {
                continue;
            };
            if self.taken.borrow().contains(to) {
                return Err(StoreError(
                    "UNIQUE constraint failed: tenants.subdomain".into(),
                ));
            }
            let mut holds = self.holds.borrow_mut();
            if holds
                .iter()
                .any(|(name, t, until)| name == to && t != tenant_id && *until > now)
            {
                return Err(StoreError("subdomain held".into()));
            }
            holds.retain(|(name, _, until)| *until > now && name != to && name != from);
            holds.push((from.clone(), tenant_id.to_string(), *held_until));
        }
        Ok(())
    }
}

/// Suspends once, waking itself at once: lets other futures of the same
/// executor run, as an await on a real store does.
struct YieldNow(bool);

impl std::future::Future for YieldNow {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

impl ContentStore for MemoryStore {
    type Media = MemoryMediaLibrary;
    fn media(&self) -> &MemoryMediaLibrary {
        &self.media
    }
    type Billing = crate::billing::MemoryBilling;
    fn billing(&self) -> &crate::billing::MemoryBilling {
        &self.billing
    }
    type Domains = MemoryStore;
    /// Its own tenant's rows are in its content (`domains::book`).
    fn domains(&self) -> &MemoryStore {
        self
    }

    async fn load(&self, tenant_id: &str) -> Result<Option<TenantContent>, StoreError> {
        self.pause().await;
        self.loads.set(self.loads.get() + 1);
        Ok(self
            .content
            .borrow()
            .clone()
            .filter(|c| c.tenant.id == tenant_id))
    }

    async fn commit(
        &self,
        tenant_id: &str,
        changes: &[Change],
        now: i64,
    ) -> Result<(), StoreError> {
        self.pause().await;
        let fault = self.next_fault.replace(Fault::None);
        if fault == Fault::FailBeforeCommit {
            return Err(StoreError("injected failure before commit".into()));
        }
        if self.breaks_revision_key(changes) {
            return Err(StoreError(
                "UNIQUE constraint failed: post_revisions.post_id, post_revisions.version".into(),
            ));
        }
        self.rename_holds(tenant_id, changes, now)?;
        let domain_changes: Vec<_> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Domain(d) => Some(d.clone()),
                _ => None,
            })
            .collect();
        self.domain_book.commit(tenant_id, &domain_changes)?;
        {
            let mut content = self.content.borrow_mut();
            let Some(content) = content.as_mut() else {
                return Err(StoreError("no tenant".into()));
            };
            let plan = super::content::Plan {
                changes: changes.to_vec(),
                outcome: super::content::Outcome::Settings,
            };
            content.apply(&plan);
        }
        self.commits.set(self.commits.get() + 1);
        self.revisions
            .borrow_mut()
            .extend(changes.iter().filter_map(|c| match c {
                Change::InsertRevision(r) => Some(r.clone()),
                _ => None,
            }));
        self.pause().await;
        if fault == Fault::CommitThenFail {
            return Err(StoreError("injected failure after commit".into()));
        }
        Ok(())
    }

    async fn add_views(&self, _tenant_id: &str, batch: &[(String, u64)]) -> Result<(), StoreError> {
        self.pause().await;
        let fault = self.next_fault.replace(Fault::None);
        if fault == Fault::FailBeforeCommit {
            return Err(StoreError("injected failure before commit".into()));
        }
        if let Some(content) = self.content.borrow_mut().as_mut() {
            content.add_views(batch);
        }
        if fault == Fault::CommitThenFail {
            return Err(StoreError("injected failure after commit".into()));
        }
        Ok(())
    }

    async fn history(&self, _tenant_id: &str, post_id: &str) -> Result<Vec<Revision>, StoreError> {
        self.pause().await;
        Ok(self
            .revisions
            .borrow()
            .iter()
            .filter(|r| r.post_id == post_id)
            .cloned()
            .collect())
    }
}
