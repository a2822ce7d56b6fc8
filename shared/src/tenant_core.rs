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

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::lock::Mutex;

use crate::admin::content::{Change, Command, Outcome, Plan, TenantContent, WriteCtx};
use crate::admin::errors::WriteError;
use crate::admin::store::{ContentStore, StoreError};
use crate::isolate_memory::{tenant_key, IsolateMemory, MemoryStats, CONTENTS_BUDGET_BYTES};
use crate::page_store::{ActorMeta, PageStore};
use crate::pagination::PageSlice;
use crate::reader_cache::{CacheStats, PageCache, DEFAULT_BUDGET_BYTES};
use crate::search;
use crate::search::index::{Found, SearchIndex, SCHEMA_VERSION};
use crate::site::{reader_route, ReaderRoute, Rendered, RouteMiss, Site};
use crate::views;

/// A tenant's content as loaded from D1, and the site built from it.
pub struct Loaded {
    content: TenantContent,
    site: Site,
}

impl Loaded {
    /// What it holds in memory, roughly: the content, and the site's copy
    /// of everything visible.
    fn weight(&self) -> usize {
        2 * self.content.approx_bytes()
    }
}

/// The memory of the isolate the actors share (pages and loaded contents).
pub type CoreMemory = IsolateMemory<Loaded>;

/// A loaded content, held for as long as one operation needs it: the
/// isolate may drop its own reference meanwhile, never this one.
type Pinned = Rc<RefCell<Loaded>>;

thread_local! {
    static NEXT_INSTANCE: Cell<u64> = const { Cell::new(0) };
}

/// A tenant actor's state and behaviour.
pub struct TenantCore<S, P> {
    store: S,
    pages: P,
    memory: CoreMemory,
    /// This actor's key in the isolate's contents: a content loaded by an
    /// earlier instance of the actor (reset mid-write, say) is never
    /// trusted by a new one, which reads D1 again.
    instance: u64,
    /// The tenant this actor serves, fixed by the first one it loads: a
    /// message naming another is refused.
    owner: RefCell<Option<String>>,
    cache: RefCell<PageCache>,
    meta: RefCell<Option<ActorMeta>>,
    /// Paths whose pages changed since the router last asked.
    purge: RefCell<Vec<String>>,
    /// Paths the edge must drop whether or not this actor served them
    /// (deleted media files, which the router serves from R2).
    file_purge: RefCell<Vec<String>>,
    /// Host-map keys the router must forget (a domain verified or removed,
    /// the primary host moved, a rename, a deletion), since the router
    /// last asked.
    hosts: RefCell<Vec<crate::protocol::HostKey>>,
    /// Whether the search index was checked (built at the current schema)
    /// since this actor started; cleared when an index update failed.
    search_ready: Cell<bool>,
    /// Bumped by every write: cached search results carry it in their key,
    /// so a write makes every earlier result unreachable at once.
    search_epoch: Cell<u64>,
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
    // Tags whose list pages may change: the post's old ones and new ones.
    let mut tags: Vec<&str> = Vec::new();
    for change in &plan.changes {
        match change {
            Change::InsertPost(p) => {
                keys.push(ReaderRoute::Post(p.slug.clone()).cache_key());
                tags.extend(p.tags.iter().map(String::as_str));
                lists = true;
            }
            Change::UpdatePost { post, .. } => {
                if let Some(old) = content.post(&post.id) {
                    keys.push(ReaderRoute::Post(old.slug.clone()).cache_key());
                    tags.extend(old.tags.iter().map(String::as_str));
                }
                keys.push(ReaderRoute::Post(post.slug.clone()).cache_key());
                tags.extend(post.tags.iter().map(String::as_str));
                lists = true;
            }
            Change::DeletePost { id } => {
                if let Some(old) = content.post(id) {
                    keys.push(ReaderRoute::Post(old.slug.clone()).cache_key());
                    tags.extend(old.tags.iter().map(String::as_str));
                }
                lists = true;
            }
            // No page shows the plan; old slugs change with their post.
            Change::InsertRevision(_) | Change::SetPlan(_) | Change::OldSlug(_) => {}
            // The wizard's progress: no reader page shows it.
            Change::PutSetting { key, .. }
                if crate::lifecycle::welcome::admin_only_setting(key) => {}
            // A domain changes pages only when it moves the canonical
            // origin (every page's canonical link).
            Change::Domain(change) if content.domains.changes_canonical(change) => {
                return (site.all_keys(), true);
            }
            Change::Domain(_) => {}
            Change::InsertPage(_)
            | Change::UpdatePage { .. }
            | Change::DeletePage { .. }
            | Change::PutSetting { .. }
            | Change::SetSuspended(_)
            // Every page's canonical link may name the old subdomain.
            | Change::Rename { .. } => {
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
        for tag in tags {
            keys.extend(site.tag_keys(tag));
        }
        keys.extend(crate::discovery::post_change_keys(site));
    }
    keys.sort();
    keys.dedup();
    (keys, false)
}

/// JSON with `<`, `>` and `&` escaped (`\u003c`…), so a reader's query
/// echoed in it reads the same to any client and is never markup, even
/// where a careless page embeds it.
pub(crate) fn json_for_any_context(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The search index rows a plan touches: `post:{id}` and `page:{id}`.
fn index_keys(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .filter_map(|change| match change {
            Change::InsertPost(p) | Change::UpdatePost { post: p, .. } => {
                Some(format!("post:{}", p.id))
            }
            Change::DeletePost { id } => Some(format!("post:{id}")),
            Change::InsertPage(p) | Change::UpdatePage { page: p, .. } => {
                Some(format!("page:{}", p.id))
            }
            Change::DeletePage { id } => Some(format!("page:{id}")),
            Change::InsertRevision(_)
            | Change::PutSetting { .. }
            | Change::SetSuspended(_)
            | Change::Rename { .. }
            | Change::SetPlan(_)
            | Change::Domain(_)
            | Change::OldSlug(_) => None,
        })
        .collect()
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

    /// A core with memory of its own, holding at most `budget_bytes` of pages.
    pub fn with_budget(store: S, pages: P, budget_bytes: usize) -> Self {
        let memory = IsolateMemory::with_budgets(budget_bytes, CONTENTS_BUDGET_BYTES);
        TenantCore::with_memory(store, pages, memory)
    }

    /// A core drawing on the isolate's shared memory.
    pub fn with_memory(store: S, pages: P, memory: CoreMemory) -> Self {
        let instance = NEXT_INSTANCE.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        TenantCore {
            store,
            pages,
            cache: RefCell::new(PageCache::shared(Rc::clone(&memory.pages))),
            memory,
            instance,
            owner: RefCell::new(None),
            meta: RefCell::new(None),
            purge: RefCell::new(Vec::new()),
            file_purge: RefCell::new(Vec::new()),
            hosts: RefCell::new(Vec::new()),
            search_ready: Cell::new(false),
            search_epoch: Cell::new(0),
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

    /// Whether this actor serves `tenant_id` (any, before its first load).
    fn serves(&self, tenant_id: &str) -> bool {
        self.owner
            .borrow()
            .as_deref()
            .is_none_or(|owner| owner == tenant_id)
    }

    fn content_key(&self, tenant_id: &str) -> String {
        tenant_key(tenant_id, &self.instance.to_string())
    }

    /// The tenant's content if the isolate still holds it (marked used).
    fn resident(&self, tenant_id: &str) -> Option<Pinned> {
        if !self.serves(tenant_id) {
            return None;
        }
        let key = self.content_key(tenant_id);
        self.memory.contents.borrow_mut().get(&key).cloned()
    }

    /// Hands the content to the isolate's memory again (its weight may have
    /// changed); it may push out the content of the tenant idle longest.
    fn keep(&self, tenant_id: &str, loaded: &Pinned) {
        let weight = loaded.borrow().weight();
        self.memory.contents.borrow_mut().insert(
            self.content_key(tenant_id),
            Rc::clone(loaded),
            weight,
        );
    }

    fn drop_resident(&self, tenant_id: &str) {
        let key = self.content_key(tenant_id);
        self.memory.contents.borrow_mut().remove(&key);
    }

    /// The content, loaded from D1 if the isolate does not hold it; `None`
    /// if the tenant does not exist. Call with `write_lock` held.
    async fn ensure_loaded(&self, tenant_id: &str, now: i64) -> Result<Option<Pinned>, StoreError> {
        if !self.serves(tenant_id) {
            return Ok(None);
        }
        if let Some(loaded) = self.resident(tenant_id) {
            return Ok(Some(loaded));
        }
        let Some(content) = self.store.load(tenant_id).await? else {
            return Ok(None);
        };
        let site = content.site(now);
        let meta = meta_of(&content);
        let loaded = Rc::new(RefCell::new(Loaded { content, site }));
        self.owner
            .borrow_mut()
            .get_or_insert_with(|| tenant_id.to_string());
        self.keep(tenant_id, &loaded);
        self.save_meta(meta).await;
        Ok(Some(loaded))
    }

    /// The content from memory, else loaded under `write_lock`.
    async fn loaded(&self, tenant_id: &str, now: i64) -> Result<Option<Pinned>, StoreError> {
        if let Some(loaded) = self.resident(tenant_id) {
            return Ok(Some(loaded));
        }
        let _guard = self.write_lock.lock().await;
        self.ensure_loaded(tenant_id, now).await
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
        if let Some(m) = self.pages.get_meta().await? {
            // The storage says whose actor this is.
            self.owner.borrow_mut().get_or_insert(m.tenant_id.clone());
            if m.tenant_id != tenant_id {
                return Ok(None);
            }
            *self.meta.borrow_mut() = Some(m.clone());
            return Ok(Some(m));
        }
        let _guard = self.write_lock.lock().await;
        if self.ensure_loaded(tenant_id, now).await?.is_none() {
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
                let Some(loaded) = self.loaded(tenant_id, now).await? else {
                    return Ok(None);
                };
                let site = &loaded.borrow().site;
                return Ok(Some(Rc::new(match miss {
                    RouteMiss::NotFound => site.render_not_found(),
                    RouteMiss::BadRequest(message) => site.render_bad_request(message),
                })));
            }
        };
        if !self.serves(tenant_id) {
            return Ok(None);
        }
        if let Some(page) = crate::discovery::without_content(route) {
            return Ok(Some(Rc::new(page)));
        }
        let key = route.cache_key();
        if let Some(page) = self.cache.borrow_mut().get(tenant_id, &key) {
            return Ok(Some(page));
        }
        if let Some(stored) = self.pages.get_page(&key).await? {
            let page = Rc::new(stored);
            let mut cache = self.cache.borrow_mut();
            cache.note_storage_hit();
            cache.insert(tenant_id, &key, Rc::clone(&page));
            return Ok(Some(page));
        }
        let Some(loaded) = self.loaded(tenant_id, now).await? else {
            return Ok(None);
        };
        // A write in flight may have dropped this page and not yet applied
        // itself: the page rendered now is of the old site, fine to answer
        // (the write is not acknowledged) but not to keep, or it would
        // outlive the write (deeper list pages are not rendered again by
        // it) or a crash before the write stores its own pages.
        let writing = self.write_lock.try_lock().is_none();
        let page = Rc::new(loaded.borrow().site.render(route).at(now));
        drop(loaded);
        self.cache.borrow_mut().note_render();
        if page.is_kept() && !writing {
            self.cache
                .borrow_mut()
                .insert(tenant_id, &key, Rc::clone(&page));
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
        let loaded = self.loaded(tenant_id, now).await?;
        Ok(loaded.map(|l| f(&l.borrow().content)))
    }

    /// Runs one write: plan, invalidate, commit to D1, apply, pre-render.
    pub async fn write(
        &self,
        tenant_id: &str,
        command: &Command,
        ctx: &WriteCtx,
    ) -> Result<Outcome, WriteError> {
        let _guard = self.write_lock.lock().await;
        // Pinned for the whole write, whatever the isolate drops meanwhile.
        let Some(loaded) = self
            .ensure_loaded(tenant_id, ctx.now)
            .await
            .map_err(|e| WriteError::Store(e.0))?
        else {
            return Err(WriteError::NotFound);
        };
        let (plan, keys, everything) = {
            let l = loaded.borrow();
            let plan = l.content.plan(command, ctx)?;
            let (keys, everything) = affected(&l.content, &l.site, &plan);
            (plan, keys, everything)
        };
        if plan.changes.is_empty() {
            return Ok(plan.outcome);
        }
        // Drop what the write changes before committing it.
        if everything {
            self.cache.borrow_mut().clear(tenant_id);
            self.pages
                .clear_pages()
                .await
                .map_err(|e| WriteError::Store(e.0))?;
        } else {
            {
                let mut cache = self.cache.borrow_mut();
                for k in &keys {
                    cache.remove(tenant_id, k);
                }
            }
            self.pages
                .delete_pages(&keys)
                .await
                .map_err(|e| WriteError::Store(e.0))?;
        }
        if let Err(e) = self.store.commit(tenant_id, &plan.changes, ctx.now).await {
            self.forget_unknown_outcome(tenant_id, &loaded, &keys, everything)
                .await;
            return Err(WriteError::Store(e.0));
        }

        let (rendered, meta, new_keys, (index_put, index_gone)) = {
            let mut l = loaded.borrow_mut();
            l.content.apply(&plan);
            l.site = l.content.site(ctx.now);
            let indexed = search::document::changes(&l.content, &l.site, &index_keys(&plan));
            let new_keys = if everything {
                l.site.all_keys()
            } else {
                keys.clone()
            };
            let mut rendered = Vec::new();
            // Posts, pages, the home page and the first page of each list
            // are rendered now; deeper list pages (every one shifts when a
            // post is added) are rendered when first read.
            for key in &new_keys {
                if let Some(route) =
                    ReaderRoute::from_cache_key(key).filter(ReaderRoute::prerendered)
                {
                    let page = l.site.render(&route).at(ctx.now);
                    if page.is_kept() {
                        rendered.push((key.clone(), page));
                    }
                }
            }
            (rendered, meta_of(&l.content), new_keys, indexed)
        };
        self.keep(tenant_id, &loaded);
        self.search_epoch.set(self.search_epoch.get() + 1);
        if (!index_put.is_empty() || !index_gone.is_empty())
            && self
                .pages
                .index()
                .update(&index_put, &index_gone)
                .await
                .is_err()
        {
            // The index is derived: marked stale in storage, it is rebuilt
            // from the content before the next search, after a restart too.
            self.search_ready.set(false);
            let _ = self.pages.index().discard().await;
        }
        {
            let mut cache = self.cache.borrow_mut();
            for (key, page) in &rendered {
                cache.note_render();
                cache.insert(tenant_id, key, Rc::new(page.clone()));
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
    async fn forget_unknown_outcome(
        &self,
        tenant_id: &str,
        loaded: &Pinned,
        keys: &[String],
        everything: bool,
    ) {
        let all_keys = loaded.borrow().site.all_keys();
        self.drop_resident(tenant_id);
        // The write may have landed: the index is rebuilt before the next search.
        self.search_ready.set(false);
        self.search_epoch.set(self.search_epoch.get() + 1);
        *self.meta.borrow_mut() = None;
        self.cache.borrow_mut().clear(tenant_id);
        let _ = self.pages.put_meta(None).await;
        let mut purge = self.purge.borrow_mut();
        purge.extend(paths(keys));
        if everything {
            purge.extend(paths(&all_keys));
        }
        purge.sort();
        purge.dedup();
    }

    /// Builds the search index from the content if the storage lacks it
    /// (a new actor, another schema version, a failed update).
    async fn ensure_index(&self, loaded: &Pinned) -> Result<(), StoreError> {
        if self.search_ready.get() {
            return Ok(());
        }
        if self.pages.index().version().await? != Some(SCHEMA_VERSION) {
            let docs = {
                let l = loaded.borrow();
                search::document::documents(&l.content, &l.site)
            };
            self.pages.index().rebuild(&docs).await?;
        }
        self.search_ready.set(true);
        Ok(())
    }

    /// The owner's filter of their post list: the ids of the posts that
    /// match `q`, drafts and scheduled posts included, best first (at most
    /// 1,000). `None` if the tenant does not exist.
    pub async fn filter_posts(
        &self,
        tenant_id: &str,
        q: &str,
        now: i64,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let Some(loaded) = self.loaded(tenant_id, now).await? else {
            return Ok(None);
        };
        let Some(fts) = search::query::Query::parse(q).ok().and_then(|q| q.fts()) else {
            return Ok(Some(Vec::new()));
        };
        self.ensure_index(&loaded).await?;
        let keys = self.pages.index().keys(&fts, 1_000).await?;
        Ok(Some(
            keys.into_iter()
                .filter_map(|k| k.strip_prefix("post:").map(str::to_string))
                .collect(),
        ))
    }

    /// A reader's search (`/search` or, with `json`, `/search.json`): the
    /// page of results for `q`, rendered in the blog's theme (or as JSON).
    /// Results come from the actor's FTS5 index, built from the content
    /// first if the storage lacks it, and are kept in the isolate's page
    /// memory under the query, the page and this actor's write epoch, so a
    /// repeated search does no index work and any write retires them all.
    /// `None` if the tenant does not exist.
    pub async fn search(
        &self,
        tenant_id: &str,
        q: &str,
        page: usize,
        json: bool,
        now: i64,
    ) -> Result<Option<Rc<Rendered>>, StoreError> {
        use crate::search::query::Query;
        use crate::views::search::{Outcome, RESULTS_PER_PAGE};

        if !self.serves(tenant_id) {
            return Ok(None);
        }
        let query = Query::parse(q);
        let key = match &query {
            Ok(query) => format!(
                "search:{}:{}:{page}:{}",
                u8::from(json),
                self.search_epoch.get(),
                query.normalized()
            ),
            Err(_) => String::new(),
        };
        if !key.is_empty() {
            if let Some(page) = self.cache.borrow_mut().get(tenant_id, &key) {
                return Ok(Some(page));
            }
        }
        let Some(loaded) = self.loaded(tenant_id, now).await? else {
            return Ok(None);
        };
        let query = match query {
            Ok(query) => query,
            Err(e) => {
                let message = e.to_string();
                let page = if json {
                    let body = serde_json::json!({"error": "bad_request", "message": message});
                    Rendered::new(400, json_for_any_context(&body))
                } else {
                    let html = views::search::search_page(
                        &loaded.borrow().site,
                        q,
                        &Outcome::Refused(&message),
                    );
                    Rendered::new(400, html.into_string())
                };
                return Ok(Some(Rc::new(page)));
            }
        };
        let found = match query.fts() {
            None => Found::default(),
            Some(fts) => {
                self.ensure_index(&loaded).await?;
                let offset = (page - 1) * RESULTS_PER_PAGE;
                self.pages
                    .index()
                    .search(&fts, RESULTS_PER_PAGE, offset, true)
                    .await?
            }
        };
        let pages = found.total.div_ceil(RESULTS_PER_PAGE).max(1);
        let slice = PageSlice {
            page: page.min(pages),
            total_pages: pages,
            items: 0..found.hits.len(),
        };
        let rendered = if json {
            let results: Vec<serde_json::Value> = found
                .hits
                .iter()
                .map(|h| {
                    serde_json::json!({
                        "title": h.title,
                        "title_html": search::document::snippet_html(&h.title_raw),
                        "path": h.path,
                        "published_at": (h.published_at > 0).then_some(h.published_at),
                        "snippet_html": search::document::snippet_html(&h.snippet_raw),
                    })
                })
                .collect();
            let body = serde_json::json!({
                "query": q,
                "total": found.total,
                "page": page,
                "pages": pages,
                "results": results,
            });
            Rendered::new(200, json_for_any_context(&body))
        } else if q.trim().is_empty() {
            let site = &loaded.borrow().site;
            Rendered::new(
                200,
                views::search::search_page(site, q, &Outcome::Empty).into_string(),
            )
        } else {
            let site = &loaded.borrow().site;
            let html = views::search::search_page(site, q, &Outcome::Found(&found, &slice));
            Rendered::new(200, html.into_string())
        };
        let rendered = Rc::new(rendered.at(now));
        self.cache
            .borrow_mut()
            .insert(tenant_id, &key, Rc::clone(&rendered));
        Ok(Some(rendered))
    }

    /// Adds buffered views to D1 in one batch, then to the counts in memory.
    pub async fn flush_views(
        &self,
        tenant_id: &str,
        batch: &[(String, u64)],
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        self.store.add_views(tenant_id, batch).await?;
        if let Some(loaded) = self.resident(tenant_id) {
            loaded.borrow_mut().content.add_views(batch);
        }
        Ok(())
    }

    /// The paths whose pages changed since the last call (for the edge cache).
    pub fn take_purge(&self) -> Vec<String> {
        std::mem::take(&mut *self.purge.borrow_mut())
    }

    /// Asks the edge to drop `path` (a deleted media file) after this request.
    pub fn purge_file(&self, path: String) {
        self.file_purge.borrow_mut().push(path);
    }

    /// The files to drop from the edge since the last call.
    pub fn take_file_purges(&self) -> Vec<String> {
        std::mem::take(&mut *self.file_purge.borrow_mut())
    }

    /// Asks the router to forget these host-map keys after this request.
    pub fn forget_hosts(&self, keys: Vec<crate::protocol::HostKey>) {
        let mut hosts = self.hosts.borrow_mut();
        for key in keys {
            if !hosts.contains(&key) {
                hosts.push(key);
            }
        }
    }

    /// The host-map keys to forget since the last call.
    pub fn take_hosts(&self) -> Vec<crate::protocol::HostKey> {
        std::mem::take(&mut *self.hosts.borrow_mut())
    }

    /// Waits for the write in flight, if any, to finish.
    pub async fn quiesce(&self) {
        let _guard = self.write_lock.lock().await;
    }

    /// Forgets the tenant for good (it was deleted): its content, its
    /// pages in the isolate's memory and its meta. The stored pages go
    /// with the actor's storage.
    pub async fn forget_all(&self) {
        let _guard = self.write_lock.lock().await;
        let owner = self.owner.borrow().clone();
        if let Some(tenant_id) = owner {
            self.drop_resident(&tenant_id);
            self.cache.borrow_mut().clear(&tenant_id);
        }
        *self.meta.borrow_mut() = None;
    }

    /// Asks the edge to drop every page of the site it may hold (a host
    /// stopped serving the blog), without rendering anything again.
    pub async fn purge_site(&self, tenant_id: &str, now: i64) -> Result<(), StoreError> {
        let Some(loaded) = self.loaded(tenant_id, now).await? else {
            return Ok(());
        };
        let keys = loaded.borrow().site.all_keys();
        let mut purge = self.purge.borrow_mut();
        purge.extend(paths(&keys));
        purge.sort();
        purge.dedup();
        Ok(())
    }

    /// Forgets the content, meta and memory cache (after an operator
    /// changed the tenant's plan or suspension); stored pages stay valid.
    pub async fn forget(&self) {
        let _guard = self.write_lock.lock().await;
        let owner = self.owner.borrow().clone();
        if let Some(tenant_id) = owner {
            self.drop_resident(&tenant_id);
        }
        *self.meta.borrow_mut() = None;
        let _ = self.pages.put_meta(None).await;
    }

    /// When the next scheduled post is due, if known.
    pub fn next_scheduled(&self) -> Option<i64> {
        let owner = self.owner.borrow().clone();
        let key = owner.map(|tenant_id| self.content_key(&tenant_id));
        let contents = self.memory.contents.borrow();
        match key.and_then(|k| contents.peek(&k)) {
            Some(loaded) => loaded.borrow().content.next_scheduled(),
            None => self.meta.borrow().as_ref().and_then(|m| m.next_scheduled),
        }
    }

    /// The memory cache's figures.
    pub fn cache_stats(&self) -> CacheStats {
        self.cache.borrow().stats()
    }

    /// The isolate's memory budgets and what they hold.
    pub fn memory_stats(&self) -> MemoryStats {
        self.memory.stats()
    }
}

#[cfg(test)]
mod tests;
