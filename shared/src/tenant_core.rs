//! The TenantDO's core, independent of the Workers runtime: its content,
//! its write queue and its read path, over two ports: [`ContentStore`] (D1,
//! the source of truth) and [`PageStore`] (the actor's own storage, holding
//! pre-rendered pages).
//!
//! # The read path
//! memory (an LRU under a byte budget) → the actor's storage → render.
//! Rendering needs the content, loaded from D1 once; a restarted actor
//! serves every page it has stored without touching D1.
//!
//! # The write path and pre-rendering
//! A write, under `write_lock`, runs: plan → drop the pages it affects from
//! memory and storage → commit to D1 (one batch) → apply to memory →
//! render the affected pages again and store them. Dropping before the
//! commit means a crash in between can only lose stored pages (they are
//! rendered again on demand), never leave a stale one. Pages are rendered
//! when written, not when first read. The paths whose pages changed are
//! kept for the router, which purges them from the edge cache.
//!
//! # Concurrency
//! A Durable Object runs one event at a time *between* `.await`s, so every
//! write and every load from D1 holds `write_lock` (an async mutex held
//! across the awaits). A cold read can therefore never install a snapshot
//! older than a write that finished first. `RefCell`s are never borrowed
//! across an `.await`. Memory changes only after D1 acknowledged the
//! commit, and an acknowledged write is visible to the very next read.
//!
//! # A commit that fails
//! An error from D1 does not say whether the batch landed (a timeout after
//! the commit looks the same as a refusal). So on any commit error the
//! actor forgets its loaded content and meta and reloads from D1, the
//! source of truth, before the next read or write; it never plans against
//! a state D1 may have moved past.

use std::cell::RefCell;
use std::rc::Rc;

use futures::lock::Mutex;

use crate::admin::content::{Change, Command, Outcome, Plan, TenantContent, WriteCtx};
use crate::admin::errors::WriteError;
use crate::admin::store::{ContentStore, StoreError};
use crate::page_store::{ActorMeta, PageStore};
use crate::reader_cache::{CacheStats, PageCache, DEFAULT_BUDGET_BYTES};
use crate::site::{reader_route, ReaderRoute, Rendered, RouteMiss, Site};

struct Loaded {
    content: TenantContent,
    site: Site,
}

/// A tenant actor's state and behaviour.
pub struct TenantCore<S, P> {
    store: S,
    pages: P,
    state: RefCell<Option<Loaded>>,
    cache: RefCell<PageCache>,
    meta: RefCell<Option<ActorMeta>>,
    /// Paths whose pages changed since the router last asked.
    purge: RefCell<Vec<String>>,
    write_lock: Mutex<()>,
}

fn meta_of(content: &TenantContent) -> ActorMeta {
    ActorMeta {
        tenant_id: content.tenant.id.clone(),
        plan: content.tenant.plan,
        suspended: content.tenant.suspended,
        next_scheduled: content.next_scheduled(),
    }
}

/// The pages a plan changes: `(keys, everything)`. Settings and pages
/// appear on every page (title, theme, navigation), so they change all.
fn affected(content: &TenantContent, site: &Site, plan: &Plan) -> (Vec<String>, bool) {
    let mut keys = Vec::new();
    let mut lists = false;
    for change in &plan.changes {
        match change {
            Change::InsertPost(p) => {
                keys.push(ReaderRoute::Post(p.slug.clone()).cache_key());
                lists = true;
            }
            Change::UpdatePost { post, .. } => {
                if let Some(old) = content.post(&post.id) {
                    keys.push(ReaderRoute::Post(old.slug.clone()).cache_key());
                }
                keys.push(ReaderRoute::Post(post.slug.clone()).cache_key());
                lists = true;
            }
            Change::DeletePost { id } => {
                if let Some(old) = content.post(id) {
                    keys.push(ReaderRoute::Post(old.slug.clone()).cache_key());
                }
                lists = true;
            }
            Change::InsertRevision(_) => {}
            Change::InsertPage(_)
            | Change::UpdatePage { .. }
            | Change::DeletePage { .. }
            | Change::PutSetting { .. }
            | Change::SetSuspended(_) => {
                return (site.all_keys(), true);
            }
        }
    }
    if lists {
        keys.extend(site.list_keys());
        // A new post can add a page to the blog list.
        keys.push(
            ReaderRoute::Blog {
                page: site.blog_pages() + 1,
            }
            .cache_key(),
        );
    }
    keys.sort();
    keys.dedup();
    (keys, false)
}

fn paths(keys: &[String]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| ReaderRoute::from_cache_key(k))
        .map(|r| r.path())
        .collect()
}

impl<S: ContentStore, P: PageStore> TenantCore<S, P> {
    pub fn new(store: S, pages: P) -> Self {
        TenantCore::with_budget(store, pages, DEFAULT_BUDGET_BYTES)
    }

    /// A core whose memory cache holds at most `budget_bytes` of pages.
    pub fn with_budget(store: S, pages: P, budget_bytes: usize) -> Self {
        TenantCore {
            store,
            pages,
            state: RefCell::new(None),
            cache: RefCell::new(PageCache::with_budget(budget_bytes)),
            meta: RefCell::new(None),
            purge: RefCell::new(Vec::new()),
            write_lock: Mutex::new(()),
        }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn pages(&self) -> &P {
        &self.pages
    }

    /// The ports back (tests "restart" an actor on the same storage).
    pub fn into_ports(self) -> (S, P) {
        (self.store, self.pages)
    }

    fn is_loaded_for(&self, tenant_id: &str) -> bool {
        self.state
            .borrow()
            .as_ref()
            .is_some_and(|s| s.content.tenant.id == tenant_id)
    }

    /// Loads the tenant from D1 if it is not in memory. Call with `write_lock` held.
    async fn ensure_loaded(&self, tenant_id: &str, now: i64) -> Result<bool, StoreError> {
        if let Some(loaded) = self.state.borrow().as_ref() {
            // One actor serves one tenant: a message naming another is refused.
            return Ok(loaded.content.tenant.id == tenant_id);
        }
        let Some(content) = self.store.load(tenant_id).await? else {
            return Ok(false);
        };
        let site = content.site(now);
        let meta = meta_of(&content);
        *self.state.borrow_mut() = Some(Loaded { content, site });
        self.save_meta(meta).await;
        Ok(true)
    }

    /// Keeps the meta in memory and, if it changed, in storage (best effort).
    async fn save_meta(&self, meta: ActorMeta) {
        if self.meta.borrow().as_ref() == Some(&meta) {
            return;
        }
        *self.meta.borrow_mut() = Some(meta.clone());
        let _ = self.pages.put_meta(Some(&meta)).await;
    }

    /// What the actor needs before serving: plan, suspension, schedule.
    /// From memory, else storage, else D1.
    pub async fn meta(&self, tenant_id: &str, now: i64) -> Result<Option<ActorMeta>, StoreError> {
        if let Some(m) = self
            .meta
            .borrow()
            .as_ref()
            .filter(|m| m.tenant_id == tenant_id)
        {
            return Ok(Some(m.clone()));
        }
        if let Some(m) = self
            .pages
            .get_meta()
            .await?
            .filter(|m| m.tenant_id == tenant_id)
        {
            *self.meta.borrow_mut() = Some(m.clone());
            return Ok(Some(m));
        }
        let _guard = self.write_lock.lock().await;
        if !self.ensure_loaded(tenant_id, now).await? {
            return Ok(None);
        }
        Ok(self.meta.borrow().clone())
    }

    /// A reader's page, or `None` if the tenant does not exist.
    pub async fn view(
        &self,
        tenant_id: &str,
        path: &str,
        query: Option<&str>,
        now: i64,
    ) -> Result<Option<Rc<Rendered>>, StoreError> {
        self.view_route(tenant_id, &reader_route(path, query), now)
            .await
    }

    /// [`TenantCore::view`] of a path the caller has already routed.
    pub async fn view_route(
        &self,
        tenant_id: &str,
        route: &Result<ReaderRoute, RouteMiss>,
        now: i64,
    ) -> Result<Option<Rc<Rendered>>, StoreError> {
        let route = match route {
            Ok(route) => route,
            Err(miss) => {
                // Error pages are themed: they need the site.
                if !self.is_loaded_for(tenant_id) {
                    let _guard = self.write_lock.lock().await;
                    if !self.ensure_loaded(tenant_id, now).await? {
                        return Ok(None);
                    }
                }
                let state = self.state.borrow();
                return Ok(state.as_ref().map(|s| {
                    Rc::new(match miss {
                        RouteMiss::NotFound => s.site.render_not_found(),
                        RouteMiss::BadRequest(message) => s.site.render_bad_request(message),
                    })
                }));
            }
        };
        let key = route.cache_key();
        if let Some(page) = self.cache.borrow_mut().get(&key) {
            return Ok(Some(page));
        }
        if let Some(stored) = self.pages.get_page(&key).await? {
            let page = Rc::new(stored);
            let mut cache = self.cache.borrow_mut();
            cache.note_storage_hit();
            cache.insert(key, Rc::clone(&page));
            return Ok(Some(page));
        }
        if !self.is_loaded_for(tenant_id) {
            let _guard = self.write_lock.lock().await;
            if !self.ensure_loaded(tenant_id, now).await? {
                return Ok(None);
            }
        }
        let page = {
            let state = self.state.borrow();
            let Some(loaded) = state.as_ref() else {
                return Ok(None);
            };
            Rc::new(loaded.site.render(route).at(now))
        };
        self.cache.borrow_mut().note_render();
        if page.status == 200 {
            self.cache
                .borrow_mut()
                .insert(key.clone(), Rc::clone(&page));
            // Store it too, so a restarted actor does not render it again.
            let _ = self.pages.put_pages(&[(key, (*page).clone())]).await;
        }
        Ok(Some(page))
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

    /// Runs one write: plan, invalidate, commit to D1, apply, pre-render.
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
        let (plan, keys, everything) = {
            let state = self.state.borrow();
            let Some(loaded) = state.as_ref() else {
                return Err(WriteError::NotFound);
            };
            let plan = loaded.content.plan(command, ctx)?;
            let (keys, everything) = affected(&loaded.content, &loaded.site, &plan);
            (plan, keys, everything)
        };
        if plan.changes.is_empty() {
            return Ok(plan.outcome);
        }
        // Drop what the write changes before committing it.
        if everything {
            self.cache.borrow_mut().clear();
            self.pages
                .clear_pages()
                .await
                .map_err(|e| WriteError::Store(e.0))?;
        } else {
            {
                let mut cache = self.cache.borrow_mut();
                for k in &keys {
                    cache.remove(k);
                }
            }
            self.pages
                .delete_pages(&keys)
                .await
                .map_err(|e| WriteError::Store(e.0))?;
        }
        if let Err(e) = self.store.commit(tenant_id, &plan.changes, ctx.now).await {
            self.forget_unknown_outcome(&keys, everything).await;
            return Err(WriteError::Store(e.0));
        }

        let (rendered, meta, new_keys) = {
            let mut state = self.state.borrow_mut();
            let Some(loaded) = state.as_mut() else {
                return Ok(plan.outcome);
            };
            loaded.content.apply(&plan);
            loaded.site = loaded.content.site(ctx.now);
            let new_keys = if everything {
                loaded.site.all_keys()
            } else {
                keys.clone()
            };
            let mut rendered = Vec::new();
            // Posts, pages, the home page and the first list page are rendered
            // now; deeper list pages (every one shifts when a post is added)
            // are rendered when first read, from memory, without D1.
            for key in new_keys
                .iter()
                .filter(|k| !k.starts_with("blog:") || *k == "blog:1")
            {
                if let Some(route) = ReaderRoute::from_cache_key(key) {
                    let page = loaded.site.render(&route).at(ctx.now);
                    if page.status == 200 {
                        rendered.push((key.clone(), page));
                    }
                }
            }
            (rendered, meta_of(&loaded.content), new_keys)
        };
        {
            let mut cache = self.cache.borrow_mut();
            for (key, page) in &rendered {
                cache.note_render();
                cache.insert(key.clone(), Rc::new(page.clone()));
            }
        }
        // Best effort: a page that failed to store is rendered again on demand.
        let _ = self.pages.put_pages(&rendered).await;
        self.save_meta(meta).await;
        let mut purge = self.purge.borrow_mut();
        purge.extend(paths(&keys));
        if everything {
            purge.extend(paths(&new_keys));
        }
        purge.sort();
        purge.dedup();
        Ok(plan.outcome)
    }

    /// After a commit whose outcome is unknown (D1 answered with an error,
    /// but the batch may have landed): forgets the loaded content, the meta
    /// and every page in memory, so the next read or write reloads from D1
    /// instead of planning against a state D1 may have left behind (which
    /// would fail every later write on the revision guard). The stored
    /// pages the write affects were dropped before the commit; the edge is
    /// told to purge them too, in case the write did land. Call with
    /// `write_lock` held.
    async fn forget_unknown_outcome(&self, keys: &[String], everything: bool) {
        let all_keys = self
            .state
            .borrow_mut()
            .take()
            .map(|loaded| loaded.site.all_keys())
            .unwrap_or_default();
        *self.meta.borrow_mut() = None;
        self.cache.borrow_mut().clear();
        let _ = self.pages.put_meta(None).await;
        let mut purge = self.purge.borrow_mut();
        purge.extend(paths(keys));
        if everything {
            purge.extend(paths(&all_keys));
        }
        purge.sort();
        purge.dedup();
    }

    /// Adds buffered views to D1 in one batch, then to the counts in memory.
    pub async fn flush_views(
        &self,
        tenant_id: &str,
        batch: &[(String, u64)],
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        self.store.add_views(tenant_id, batch).await?;
        if let Some(loaded) = self
            .state
            .borrow_mut()
            .as_mut()
            .filter(|l| l.content.tenant.id == tenant_id)
        {
            loaded.content.add_views(batch);
        }
        Ok(())
    }

    /// The paths whose pages changed since the last call (for the edge cache).
    pub fn take_purge(&self) -> Vec<String> {
        std::mem::take(&mut *self.purge.borrow_mut())
    }

    /// Forgets the content, meta and memory cache (after an operator
    /// changed the tenant's plan or suspension); stored pages stay valid.
    pub async fn forget(&self) {
        let _guard = self.write_lock.lock().await;
        *self.state.borrow_mut() = None;
        *self.meta.borrow_mut() = None;
        let _ = self.pages.put_meta(None).await;
    }

    /// When the next scheduled post is due, if known.
    pub fn next_scheduled(&self) -> Option<i64> {
        match self.state.borrow().as_ref() {
            Some(s) => s.content.next_scheduled(),
            None => self.meta.borrow().as_ref().and_then(|m| m.next_scheduled),
        }
    }

    /// The memory cache's figures.
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.borrow().stats()
    }
}

#[cfg(test)]
mod tests;
