//! The TenantDO's decisions around its core: suspension and rate-limit
//! checks, the reader lease and its background refill, the view buffer
//! (saved, flushed, restored), the alarm's plan, operators' changes, and
//! which pages the edge must purge. The Durable Object only adapts the
//! runtime to [`ActorRuntime`] and turns answers into responses.
//!
//! # Concurrency
//! An actor runs one event at a time between `.await`s. `RefCell`s here are
//! never borrowed across an `.await`; writes are serialised by the core's
//! write lock. Background tasks (the next reader lease, the delayed save of
//! the view buffer) hold an `Rc` of the shell and run after the request
//! that started them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::Serialize;

use crate::admin::content::{Command, WriteCtx};
use crate::admin::errors::WriteError;
use crate::admin::store::ContentStore;
use crate::admin_http::{self, reply::Reply, RequestCtx};
use crate::isolate_memory::MemoryStats;
use crate::limits::lease::ReaderLease;
use crate::limits::policy::{LimitClass, Plan};
use crate::limits::set::TakeReply;
use crate::page_store::PageStore;
use crate::problem::{Format, Problem};
use crate::protocol::{AdminRequest, ControlAction, ControlRequest, EdgeViewsRequest, ViewRequest};
use crate::reader_cache::CacheStats;
use crate::served_pages::ServedPages;
use crate::site::{reader_route, ReaderRoute, Rendered};
use crate::tenant_core::TenantCore;
use crate::view_counts::{ViewBuffer, SAVE_AFTER_MS};

use super::ports::ActorRuntime;
use super::purge_journal::PurgeJournal;
use super::schedule::{edge_ttl, next_alarm, ALARM_RETRY_MS};

/// A reader's page, ready to answer with.
#[derive(Debug, Clone)]
pub struct ViewPage {
    pub page: Rc<Rendered>,
    /// For the edge: how many seconds it may keep the page.
    pub edge_ttl: Option<i64>,
    /// The body is JSON (`/search.json`), not a page.
    pub json: bool,
}

/// Whether `path` is the search page (`Some(false)`) or its JSON twin
/// (`Some(true)`).
fn search_path(path: &str) -> Option<bool> {
    match path.strip_suffix('/').unwrap_or(path) {
        "/search" => Some(false),
        "/search.json" => Some(true),
        _ => None,
    }
}

/// `q` and `page` of a search's query string (or why the page is wrong).
fn search_params(query: Option<&str>) -> Result<(String, usize), String> {
    let page = crate::pagination::page_from_query(query).map_err(|e| e.to_string())?;
    let q = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Ok((q, page))
}

/// What an admin request produced.
#[derive(Debug, Clone)]
pub struct AdminAnswer {
    pub reply: Result<Reply, Problem>,
    pub format: Format,
    /// The admin-write limit this request spent, for its headers.
    pub limit: Option<TakeReply>,
    /// Paths the edge must purge (pages it holds that the write changed).
    pub purge: Vec<String>,
    /// Host-map keys the router must forget (`protocol::HOSTS_HEADER`): a
    /// domain verified or removed, a rename, a deletion.
    pub hosts: Vec<crate::protocol::HostKey>,
}

impl AdminAnswer {
    /// The answer as it travels back to the router: status, headers and
    /// body. A redirect goes as a 200 with [`crate::protocol::REDIRECT_HEADER`]
    /// (the runtime would follow a real one between router and actor);
    /// the limit's headers, the paths to purge and the host keys to forget
    /// ride along for the router.
    pub fn wire(&self) -> crate::problem::Rendered {
        use crate::protocol::{HostKey, HOSTS_HEADER, PURGE_HEADER, REDIRECT_HEADER};
        let mut out = match &self.reply {
            Ok(reply) => {
                let mut headers = vec![
                    ("content-type", reply.content_type.to_string()),
                    ("cache-control", "no-store".to_string()),
                ];
                if let Some(location) = &reply.location {
                    headers.push((REDIRECT_HEADER, location.clone()));
                }
                crate::problem::Rendered {
                    status: if reply.location.is_some() {
                        200
                    } else {
                        reply.status
                    },
                    headers,
                    body: reply.body.clone(),
                }
            }
            Err(p) => p.render(self.format),
        };
        if let Some(limit) = &self.limit {
            out.headers.extend(crate::problem::limit_headers(limit));
        }
        if !self.purge.is_empty() {
            out.headers.push((PURGE_HEADER, self.purge.join(" ")));
        }
        if !self.hosts.is_empty() {
            out.headers
                .push((HOSTS_HEADER, HostKey::header(&self.hosts)));
        }
        out
    }
}

/// The actor's figures for the ops API.
#[derive(Debug, Clone, Serialize)]
pub struct ShellStats {
    pub cache: CacheStats,
    /// The budgets of the isolate's memory, shared by all its actors.
    pub memory: MemoryStats,
    pub leased_reader_tokens: u32,
    pub pending_views: u64,
}

/// A tenant actor: its core plus everything it decides around it.
pub struct TenantShell<S, P, R> {
    pub(super) core: TenantCore<S, P>,
    pub(super) runtime: R,
    /// Reader tokens leased from the tenant's limiter.
    lease: RefCell<ReaderLease>,
    /// Search tokens leased from the tenant's limiter.
    search_lease: RefCell<ReaderLease>,
    /// Reader limits are on unless turned off (the benchmark measures the
    /// check's cost by turning it off).
    reader_limits: bool,
    /// Post views not yet in D1; `None` until read from storage.
    views: RefCell<Option<ViewBuffer>>,
    /// A save of the view buffer is scheduled.
    views_save_pending: Cell<bool>,
    /// Pages handed to the edge since their last purge.
    served: RefCell<ServedPages>,
    /// The tenant id is in storage (for the alarm).
    tenant_remembered: Cell<bool>,
    /// Recent purges; `None` until read from storage.
    purges: RefCell<Option<PurgeJournal>>,
    /// Whether the blog is being (or was) deleted.
    pub(super) leaving: super::leaving::Leaving,
}

impl<S, P, R> TenantShell<S, P, R>
where
    S: ContentStore + 'static,
    P: PageStore + 'static,
    R: ActorRuntime + 'static,
{
    pub fn new(core: TenantCore<S, P>, runtime: R, reader_limits: bool) -> Self {
        TenantShell {
            core,
            runtime,
            lease: RefCell::new(ReaderLease::default()),
            search_lease: RefCell::new(ReaderLease::default()),
            reader_limits,
            views: RefCell::new(None),
            views_save_pending: Cell::new(false),
            served: RefCell::new(ServedPages::default()),
            tenant_remembered: Cell::new(false),
            purges: RefCell::new(None),
            leaving: super::leaving::Leaving::default(),
        }
    }

    pub fn core(&self) -> &TenantCore<S, P> {
        &self.core
    }

    pub fn runtime(&self) -> &R {
        &self.runtime
    }

    /// The ports back (tests "restart" an actor on the same storage).
    pub fn into_parts(self) -> (TenantCore<S, P>, R) {
        (self.core, self.runtime)
    }

    /// A reader's view: suspension and rate-limit checks, then the page
    /// (memory, else the actor's storage, else rendered). Post views are
    /// counted.
    pub async fn view(self: &Rc<Self>, view: &ViewRequest, now: i64) -> Result<ViewPage, Problem> {
        if let Some(gone) = self.leaving_refusal().await {
            return Err(gone);
        }
        let meta = match self.core.meta(&view.tenant_id, now).await {
            Ok(Some(meta)) => meta,
            Ok(None) => return Err(Problem::no_such_blog()),
            Err(e) => return Err(self.unavailable(&view.tenant_id, "load", &e.0)),
        };
        if meta.suspended {
            return Err(Problem::blog_suspended());
        }
        if let Some(json) = search_path(&view.path) {
            self.admit_search(&view.tenant_id, meta.plan).await?;
            let (q, page) =
                search_params(view.query.as_deref()).map_err(|e| Problem::bad_request(&e))?;
            let found = self.core.search(&view.tenant_id, &q, page, json, now).await;
            return match found {
                Ok(Some(page)) => Ok(ViewPage {
                    page,
                    edge_ttl: None,
                    json,
                }),
                Ok(None) => Err(Problem::no_such_blog()),
                Err(e) => Err(self.unavailable(&view.tenant_id, "search", &e.0)),
            };
        }
        self.admit_reader(&view.tenant_id, meta.plan).await?;
        let route = reader_route(&view.path, view.query.as_deref());
        let page = match self.core.view_route(&view.tenant_id, &route, now).await {
            Ok(Some(page)) => page,
            Ok(None) => return Err(Problem::no_such_blog()),
            Err(e) => return Err(self.unavailable(&view.tenant_id, "view", &e.0)),
        };
        if let (200, Ok(route)) = (page.status, &route) {
            if view.for_edge {
                self.served.borrow_mut().record(&route.path());
            }
            if let ReaderRoute::Post(slug) = route {
                self.count_view(&view.tenant_id, slug, now).await;
            }
        }
        Ok(ViewPage {
            page,
            edge_ttl: view
                .for_edge
                .then(|| edge_ttl(&view.path, meta.next_scheduled, now)),
            json: false,
        })
    }

    /// The lease a class of reader requests spends from.
    fn lease_of(&self, class: LimitClass) -> &RefCell<ReaderLease> {
        match class {
            LimitClass::SearchQueries => &self.search_lease,
            _ => &self.lease,
        }
    }

    /// Spends a reader token from the lease, asking the limiter (and
    /// waiting) only when the lease is empty. A limiter that does not
    /// answer lets the reader in: an outage must not take blogs down.
    async fn admit_reader(self: &Rc<Self>, tenant_id: &str, plan: Plan) -> Result<(), Problem> {
        self.admit_leased(tenant_id, plan, LimitClass::ReaderRequests)
            .await
    }

    /// Spends one search from its own lease, as pages do from theirs, so
    /// a search asks the limiter only about once in a hundred.
    async fn admit_search(self: &Rc<Self>, tenant_id: &str, plan: Plan) -> Result<(), Problem> {
        self.admit_leased(tenant_id, plan, LimitClass::SearchQueries)
            .await
    }

    async fn admit_leased(
        self: &Rc<Self>,
        tenant_id: &str,
        plan: Plan,
        class: LimitClass,
    ) -> Result<(), Problem> {
        if !self.reader_limits {
            return Ok(());
        }
        let lease = self.lease_of(class);
        if lease.borrow_mut().try_spend() {
            self.prefetch_lease(tenant_id, plan, class);
            return Ok(());
        }
        let ask = lease.borrow().next_ask();
        let Some(reply) = self.runtime.take(tenant_id, class, plan, ask, true).await else {
            return Ok(());
        };
        if lease.borrow_mut().refill(&reply) {
            Ok(())
        } else {
            Err(Problem::too_many(&reply))
        }
    }

    /// Asks for the next lease of `class` in the background once half of
    /// this one is spent, so requests do not wait for the limiter.
    fn prefetch_lease(self: &Rc<Self>, tenant_id: &str, plan: Plan, class: LimitClass) {
        let Some(prefetch) = self.lease_of(class).borrow_mut().prefetch() else {
            return;
        };
        let shell = Rc::clone(self);
        let tenant_id = tenant_id.to_string();
        self.runtime.spawn(Box::pin(async move {
            let reply = shell
                .runtime
                .take(&tenant_id, class, plan, prefetch.ask, true)
                .await;
            shell
                .lease_of(class)
                .borrow_mut()
                .prefetched(prefetch, reply.as_ref());
        }));
    }

    /// An owner's admin request. Writes are refused while the tenant is
    /// suspended and count against its admin-write limit.
    pub async fn admin(self: &Rc<Self>, admin: &AdminRequest, ctx: &RequestCtx) -> AdminAnswer {
        let format = Format::for_admin_path(&admin.path);
        let mut answer = AdminAnswer {
            reply: Err(Problem::unavailable("")),
            format,
            limit: None,
            purge: Vec::new(),
            hosts: Vec::new(),
        };
        if let Some(gone) = self.leaving_refusal().await {
            answer.reply = Err(gone.home("/admin"));
            return answer;
        }
        let writes = admin.method != "GET";
        if writes {
            if let Err(problem) = self.admit_write(admin, ctx.now, &mut answer.limit).await {
                answer.reply = Err(problem);
                return answer;
            }
        }
        answer.reply = Ok(if admin_http::address::serves(&admin.path) {
            // A rename asks D1 about the name first (the lifecycle port).
            admin_http::address::handle(&self.core, self.runtime.lifecycle(), admin, ctx).await
        } else {
            admin_http::handle(&self.core, admin, ctx).await
        });
        if writes {
            self.sync_alarm(&admin.tenant_id, ctx.now).await;
        }
        let mut changed = self.served.borrow_mut().to_purge(self.core.take_purge());
        changed.extend(self.core.take_file_purges());
        answer.purge = self.journal_purges(&changed, ctx.now).await;
        answer.hosts = self.core.take_hosts();
        answer
    }

    /// Records a write's purges in the journal (saved before the router
    /// hears of them) and returns every recent purge, so a purge the router
    /// did not carry out (it died after the write) is carried out by the
    /// next admin request.
    async fn journal_purges(&self, changed: &[String], now: i64) -> Vec<String> {
        if self.purges.borrow().is_none() {
            let stored = match self.runtime.load_purges().await {
                Ok(stored) => stored.unwrap_or_default(),
                Err(e) => {
                    self.runtime
                        .log_error(&format!("purge journal not read: {}", e.0));
                    PurgeJournal::default()
                }
            };
            self.purges.borrow_mut().get_or_insert(stored);
        }
        let (changed_journal, journal) = {
            let mut purges = self.purges.borrow_mut();
            let journal = purges.get_or_insert_with(PurgeJournal::default);
            (journal.record(changed, now), journal.clone())
        };
        if changed_journal {
            if let Err(e) = self.runtime.save_purges(&journal).await {
                self.runtime
                    .log_error(&format!("purge journal not saved: {}", e.0));
            }
        }
        let mut paths = journal.recent(now);
        for path in changed {
            if !paths.contains(path) {
                paths.push(path.clone());
            }
        }
        paths
    }

    /// The owner's writes: refused while suspended, limited per tenant.
    /// (Someone else's request is refused by the admin itself, with a page
    /// that says so.)
    async fn admit_write(
        &self,
        admin: &AdminRequest,
        now: i64,
        limit: &mut Option<TakeReply>,
    ) -> Result<(), Problem> {
        let tenant = self
            .core
            .read(&admin.tenant_id, now, |c| {
                let t = &c.tenant;
                (t.plan, t.suspended, t.owner_id == admin.user.user_id)
            })
            .await;
        let Ok(Some((plan, suspended, true))) = tenant else {
            return Ok(());
        };
        if suspended {
            return Err(Problem::write_suspended());
        }
        let class = LimitClass::AdminWrites;
        *limit = self
            .runtime
            .take(&admin.tenant_id, class, plan, 1, false)
            .await;
        match limit {
            Some(reply) if reply.decision.granted == 0 => Err(Problem::too_many(reply)),
            _ => Ok(()),
        }
    }

    /// Post views the edge served, added to the buffer.
    pub async fn edge_views(
        self: &Rc<Self>,
        edge: &EdgeViewsRequest,
        now: i64,
    ) -> Result<(), Problem> {
        if self.leaving_refusal().await.is_some() {
            // Nothing of a deleted blog is counted (or kept).
            return Ok(());
        }
        self.ensure_views().await;
        let mut first = false;
        if let Some(buffer) = self.views.borrow_mut().as_mut() {
            for (slug, n) in &edge.views {
                first |= buffer.add(slug, *n, now);
            }
        }
        if let Err(e) = self.save_views().await {
            return Err(self.unavailable(&edge.tenant_id, "views save", &e.0));
        }
        if first {
            self.sync_alarm(&edge.tenant_id, now).await;
        }
        Ok(())
    }

    /// Carries out an operator's change and answers, once it holds, with
    /// every public path of the tenant (for the edge to purge). Errors mean
    /// the change is not confirmed; the router tells the operator so.
    pub async fn control(
        &self,
        control: &ControlRequest,
        ctx: &WriteCtx,
    ) -> Result<Vec<String>, Problem> {
        let tenant_id = &control.tenant_id;
        if let Some(gone) = self.leaving_refusal().await {
            return Err(gone);
        }
        let command = match control.action {
            ControlAction::Suspend(suspended) => {
                Some((Command::SetSuspended(suspended), "suspension"))
            }
            ControlAction::SetPlan(plan) => Some((Command::SetPlan(plan), "plan change")),
            ControlAction::Reload => None,
        };
        match command {
            Some((command, what)) => match self.core.write(tenant_id, &command, ctx).await {
                Ok(_) => {}
                Err(WriteError::NotFound) => return Err(Problem::no_such_blog()),
                Err(e) => return Err(self.unavailable(tenant_id, what, &format!("{e:?}"))),
            },
            None => self.core.forget().await,
        }
        // Limits or plan may have changed: lease afresh.
        self.lease.borrow_mut().drop_all();
        self.search_lease.borrow_mut().drop_all();
        let keys = match self
            .core
            .read(tenant_id, ctx.now, |c| c.site(ctx.now).all_keys())
            .await
        {
            Ok(Some(keys)) => keys,
            Ok(None) => return Err(Problem::no_such_blog()),
            Err(e) => return Err(self.unavailable(tenant_id, "reload", &e.0)),
        };
        self.core.take_purge();
        self.served.borrow_mut().all_purged();
        Ok(keys
            .iter()
            .filter_map(|k| ReaderRoute::from_cache_key(k))
            .map(|r| r.path())
            .collect())
    }

    /// The alarm: flushes due views to D1, publishes due scheduled posts,
    /// and points the alarm at what comes next.
    pub async fn alarm(self: &Rc<Self>, now: i64, new_id: String) {
        if self.resume_deletion(now).await {
            return;
        }
        let tenant_id = match self.runtime.remembered_tenant().await {
            Ok(Some(id)) => id,
            Ok(None) => return,
            Err(e) => {
                return self
                    .runtime
                    .log_error(&format!("alarm: no tenant id: {}", e.0))
            }
        };
        self.flush_views(&tenant_id, now).await;
        // Most alarms only flush views: publish only when a post is due.
        let due = match self.core.meta(&tenant_id, now).await {
            Ok(Some(meta)) => meta.next_scheduled.is_some_and(|at| at <= now),
            Ok(None) => false,
            Err(_) => true,
        };
        if due {
            let ctx = WriteCtx {
                now,
                user_id: "scheduler".into(),
                new_id,
            };
            if let Err(e) = self
                .core
                .write(&tenant_id, &Command::PublishDue, &ctx)
                .await
            {
                self.runtime.log_error(&format!(
                    "tenant {tenant_id}: scheduled publish failed: {e:?}"
                ));
                self.set_alarm(Some(now + ALARM_RETRY_MS), now).await;
                return;
            }
            // No router to hand purges to: lists' edge lifetime already
            // ends at this publish time (see `edge_ttl`).
            self.core.take_purge();
        }
        self.sync_alarm(&tenant_id, now).await;
    }

    /// The actor's figures.
    pub fn stats(&self) -> ShellStats {
        ShellStats {
            cache: self.core.cache_stats(),
            memory: self.core.memory_stats(),
            leased_reader_tokens: self.lease.borrow().tokens(),
            pending_views: self.views.borrow().as_ref().map_or(0, ViewBuffer::total),
        }
    }

    /// Points the alarm at the next scheduled post or view flush.
    async fn sync_alarm(&self, tenant_id: &str, now: i64) {
        let flush_at = self.views.borrow().as_ref().and_then(ViewBuffer::flush_at);
        let next = next_alarm(self.core.next_scheduled(), flush_at);
        if next.is_some() && !self.tenant_remembered.get() {
            match self.runtime.remember_tenant(tenant_id).await {
                Ok(()) => self.tenant_remembered.set(true),
                Err(e) => self
                    .runtime
                    .log_error(&format!("tenant id not saved: {}", e.0)),
            }
        }
        self.set_alarm(next, now).await;
    }

    pub(super) async fn set_alarm(&self, at: Option<i64>, now: i64) {
        if let Err(e) = self.runtime.set_alarm(at, now).await {
            self.runtime.log_error(&format!("alarm not set: {}", e.0));
        }
    }

    /// Drops the views not yet flushed and the leased tokens (the blog
    /// was deleted: there is nothing to count them against).
    pub(super) fn forget_views(&self) {
        *self.views.borrow_mut() = Some(ViewBuffer::default());
        self.lease.borrow_mut().drop_all();
        self.search_lease.borrow_mut().drop_all();
    }

    /// The view buffer, read from storage once per actor lifetime.
    async fn ensure_views(&self) {
        if self.views.borrow().is_some() {
            return;
        }
        let stored = match self.runtime.load_views().await {
            Ok(stored) => stored.unwrap_or_default(),
            Err(e) => {
                self.runtime
                    .log_error(&format!("view buffer not read: {}", e.0));
                ViewBuffer::default()
            }
        };
        self.views.borrow_mut().get_or_insert(stored);
    }

    async fn save_views(&self) -> Result<(), crate::admin::store::StoreError> {
        let buffer = self.views.borrow().clone().unwrap_or_default();
        self.runtime.save_views(&buffer).await
    }

    /// Counts a post view in memory; the buffer reaches storage within
    /// [`SAVE_AFTER_MS`] (one write for every view of that window) and D1
    /// when the alarm flushes it.
    async fn count_view(self: &Rc<Self>, tenant_id: &str, slug: &str, now: i64) {
        self.ensure_views().await;
        let first = self
            .views
            .borrow_mut()
            .get_or_insert_with(ViewBuffer::default)
            .record(slug, now);
        self.schedule_views_save();
        if first {
            self.sync_alarm(tenant_id, now).await;
        }
    }

    fn schedule_views_save(self: &Rc<Self>) {
        if self.views_save_pending.replace(true) {
            return;
        }
        let shell = Rc::clone(self);
        self.runtime.spawn(Box::pin(async move {
            shell.runtime.sleep(SAVE_AFTER_MS).await;
            shell.views_save_pending.set(false);
            if let Err(e) = shell.save_views().await {
                shell
                    .runtime
                    .log_error(&format!("view buffer not saved: {}", e.0));
            }
        }));
    }

    /// Sends pending views to D1 in one batch if their time has come; on
    /// failure they go back into the buffer (counted at least once).
    async fn flush_views(&self, tenant_id: &str, now: i64) {
        self.ensure_views().await;
        let due = self
            .views
            .borrow()
            .as_ref()
            .and_then(ViewBuffer::flush_at)
            .is_some_and(|at| at <= now);
        if !due {
            return;
        }
        let batch = self
            .views
            .borrow_mut()
            .as_mut()
            .map(ViewBuffer::drain)
            .unwrap_or_default();
        if let Err(e) = self.core.flush_views(tenant_id, &batch).await {
            self.runtime.log_error(&format!(
                "tenant {tenant_id}: view flush failed, retrying: {}",
                e.0
            ));
            if let Some(v) = self.views.borrow_mut().as_mut() {
                v.restore(batch, now);
            }
        }
        if let Err(e) = self.save_views().await {
            self.runtime
                .log_error(&format!("view buffer not saved: {}", e.0));
        }
    }

    /// Logs an internal failure and answers 503.
    fn unavailable(&self, tenant_id: &str, what: &str, cause: &str) -> Problem {
        self.runtime
            .log_error(&format!("tenant {tenant_id}: {what} failed: {cause}"));
        Problem::unavailable("This blog cannot be shown right now. Please try again in a moment.")
    }
}
