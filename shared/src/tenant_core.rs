//! The TenantDO's core, independent of the Workers runtime: its state, its
//! write queue and its read cache, over a [`ContentStore`] port.
//!
//! # Concurrency
//! A Durable Object runs one event at a time *between* `.await`s: while one
//! request awaits D1, another may start. So:
//! - Every write takes `write_lock` (an async mutex, held across the D1
//!   commit) and runs plan → commit → apply → rebuild as one step. Writes
//!   for a tenant are therefore strictly sequential, and each sees the
//!   state left by the one before.
//! - Loading from storage also happens under `write_lock`, so a cold read
//!   can never install a snapshot older than a write that finished first.
//! - `state` is a `RefCell` that is never borrowed across an `.await`.
//! - Memory changes only after the store acknowledged the commit: a failed
//!   commit changes nothing, and an acknowledged write is visible to the
//!   very next read (the read cache is rebuilt in the same step).

use std::cell::RefCell;
use std::rc::Rc;

use futures::lock::Mutex;

use crate::admin::content::{Command, Outcome, TenantContent, WriteCtx};
use crate::admin::errors::WriteError;
use crate::admin::store::{ContentStore, StoreError};
use crate::reader_cache::{CacheStats, ReaderCache};
use crate::site::Rendered;

struct Loaded {
    content: TenantContent,
    reader: ReaderCache,
}

/// A tenant actor's state and behaviour.
pub struct TenantCore<S> {
    store: S,
    state: RefCell<Option<Loaded>>,
    write_lock: Mutex<()>,
}

impl<S: ContentStore> TenantCore<S> {
    pub fn new(store: S) -> Self {
        TenantCore {
            store,
            state: RefCell::new(None),
            write_lock: Mutex::new(()),
        }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    fn is_loaded_for(&self, tenant_id: &str) -> bool {
        self.state
            .borrow()
            .as_ref()
            .is_some_and(|s| s.content.tenant.id == tenant_id)
    }

    /// Loads the tenant if it is not in memory. Call with `write_lock` held.
    async fn ensure_loaded(&self, tenant_id: &str, now: i64) -> Result<bool, StoreError> {
        if let Some(loaded) = self.state.borrow().as_ref() {
            // One actor serves one tenant: a message naming another is refused.
            return Ok(loaded.content.tenant.id == tenant_id);
        }
        let Some(content) = self.store.load(tenant_id).await? else {
            return Ok(false);
        };
        let reader = ReaderCache::new(content.site(now));
        *self.state.borrow_mut() = Some(Loaded { content, reader });
        Ok(true)
    }

    /// A reader's page, or `None` if the tenant does not exist.
    pub async fn view(
        &self,
        tenant_id: &str,
        path: &str,
        query: Option<&str>,
        now: i64,
    ) -> Result<Option<Rc<Rendered>>, StoreError> {
        if !self.is_loaded_for(tenant_id) {
            let _guard = self.write_lock.lock().await;
            if !self.ensure_loaded(tenant_id, now).await? {
                return Ok(None);
            }
        }
        let mut state = self.state.borrow_mut();
        Ok(state
            .as_mut()
            .map(|s| s.reader.serve(path, query).page().clone()))
    }

    /// Reads the content (drafts included), e.g. for the admin.
    pub async fn read<T>(
        &self,
        tenant_id: &str,
        now: i64,
        f: impl FnOnce(&TenantContent) -> T,
    ) -> Result<Option<T>, StoreError> {
        if !self.is_loaded_for(tenant_id) {
            let _guard = self.write_lock.lock().await;
            if !self.ensure_loaded(tenant_id, now).await? {
                return Ok(None);
            }
        }
        Ok(self.state.borrow().as_ref().map(|s| f(&s.content)))
    }

    /// Runs one write: plan, commit to storage, then apply and rebuild the read cache.
    pub async fn write(
        &self,
        tenant_id: &str,
        command: &Command,
        ctx: &WriteCtx,
    ) -> Result<Outcome, WriteError> {
        let _guard = self.write_lock.lock().await;
        let exists = self
            .ensure_loaded(tenant_id, ctx.now)
            .await
            .map_err(|e| WriteError::Store(e.0))?;
        if !exists {
            return Err(WriteError::NotFound);
        }
        let plan = {
            let state = self.state.borrow();
            let Some(loaded) = state.as_ref() else {
                return Err(WriteError::NotFound);
            };
            loaded.content.plan(command, ctx)?
        };
        if plan.changes.is_empty() {
            return Ok(plan.outcome);
        }
        self.store
            .commit(tenant_id, &plan.changes, ctx.now)
            .await
            .map_err(|e| WriteError::Store(e.0))?;
        let mut state = self.state.borrow_mut();
        if let Some(loaded) = state.as_mut() {
            loaded.content.apply(&plan);
            loaded.reader = ReaderCache::new(loaded.content.site(ctx.now));
        }
        Ok(plan.outcome)
    }

    /// Forgets everything in memory: the next request reloads from storage
    /// (after an operator changed the tenant's plan or suspension).
    pub fn forget(&self) {
        *self.state.borrow_mut() = None;
    }

    /// When the next scheduled post is due, if the tenant is loaded and has one.
    pub fn next_scheduled(&self) -> Option<i64> {
        self.state
            .borrow()
            .as_ref()
            .and_then(|s| s.content.next_scheduled())
    }

    /// The read cache's figures (none before the first load).
    pub fn cache_stats(&self) -> Option<CacheStats> {
        self.state.borrow().as_ref().map(|s| s.reader.stats())
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;
    use futures::future::join_all;

    use super::*;
    use crate::admin::input::PostInput;
    use crate::admin::store::MemoryStore;
    use crate::admin::test_fixtures::{content, ctx};
    use crate::model::PostStatus;

    fn publish(title: &str, version: Option<i64>) -> crate::admin::input::PostDraft {
        PostInput {
            title: title.into(),
            markdown: format!("Body of {title}"),
            status: Some(PostStatus::Published),
            version,
            ..Default::default()
        }
        .validate(1_000)
        .unwrap()
    }

    #[test]
    fn an_acknowledged_write_is_visible_to_the_next_read() {
        let core = TenantCore::new(MemoryStore::with(content()));
        block_on(async {
            assert_eq!(
                core.view("t_test", "/blog/fresh", None, 1_000)
                    .await
                    .unwrap()
                    .unwrap()
                    .status,
                404
            );
            core.write(
                "t_test",
                &Command::CreatePost(publish("Fresh", None)),
                &ctx(1_000, "p1"),
            )
            .await
            .unwrap();
            let page = core
                .view("t_test", "/blog/fresh", None, 1_001)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(page.status, 200);
            assert!(page.html.contains("Body of Fresh"));
            let home = core
                .view("t_test", "/", None, 1_001)
                .await
                .unwrap()
                .unwrap();
            assert!(
                home.html.contains("/blog/fresh"),
                "the home page list is refreshed too"
            );
        });
        assert_eq!(core.store().loads.get(), 1, "one load, then memory");
    }

    #[test]
    fn a_failed_commit_changes_nothing() {
        let core = TenantCore::new(MemoryStore::with(content()));
        block_on(async {
            core.view("t_test", "/", None, 1_000).await.unwrap();
            core.store().fail_next_commit.set(true);
            let err = core
                .write(
                    "t_test",
                    &Command::CreatePost(publish("Lost", None)),
                    &ctx(1_000, "p1"),
                )
                .await;
            assert!(matches!(err, Err(WriteError::Store(_))));
            assert_eq!(
                core.view("t_test", "/blog/lost", None, 1_001)
                    .await
                    .unwrap()
                    .unwrap()
                    .status,
                404
            );
            assert_eq!(
                core.read("t_test", 1_001, |c| c.posts.len()).await.unwrap(),
                Some(0)
            );
        });
    }

    #[test]
    fn concurrent_edits_are_serialised_and_stale_ones_refused() {
        let core = TenantCore::new(MemoryStore::with(content()));
        block_on(async {
            core.write(
                "t_test",
                &Command::CreatePost(publish("Base", None)),
                &ctx(1_000, "p1"),
            )
            .await
            .unwrap();
            // Ten edits all based on version 1: exactly one may win.
            let edits: Vec<_> = (0..10)
                .map(|i| {
                    let cmd = Command::UpdatePost {
                        id: "p1".into(),
                        version: 1,
                        draft: publish(&format!("Edit {i}"), Some(1)),
                    };
                    let core = &core;
                    async move { core.write("t_test", &cmd, &ctx(2_000 + i, "unused")).await }
                })
                .collect();
            let results = join_all(edits).await;
            let won = results.iter().filter(|r| r.is_ok()).count();
            let conflicts = results
                .iter()
                .filter(|r| matches!(r, Err(WriteError::Conflict(_))))
                .count();
            assert_eq!((won, conflicts), (1, 9));
        });
        let revisions = core.store().revisions.borrow();
        let versions: Vec<i64> = revisions.iter().map(|r| r.version).collect();
        assert_eq!(versions, vec![1, 2]);
    }

    #[test]
    fn unknown_tenants_are_none_not_errors() {
        let core = TenantCore::new(MemoryStore::with(content()));
        block_on(async {
            assert!(core.view("t_other", "/", None, 0).await.unwrap().is_none());
            assert!(core.view("t_test", "/", None, 0).await.unwrap().is_some());
            assert!(
                core.view("t_other", "/", None, 0).await.unwrap().is_none(),
                "a loaded actor serves only its tenant"
            );
            assert!(matches!(
                core.write(
                    "t_other",
                    &Command::CreatePost(publish("x", None)),
                    &ctx(0, "p")
                )
                .await,
                Err(WriteError::NotFound)
            ));
        });
    }
}
