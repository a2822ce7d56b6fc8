//! The TenantDO Durable Object: a thin newtype over
//! [`grove_shared::tenant_core::TenantCore`] with D1 as its store.
//!
//! Internal protocol (`grove_shared::protocol`): the router GETs a
//! [`ViewRequest`] at [`VIEW_URL`](grove_shared::protocol::VIEW_URL) for readers, POSTs an [`AdminRequest`] to
//! [`ADMIN_URL`] for the owner's admin, and a [`ControlRequest`] to
//! [`CONTROL_URL`] after operators change the tenant. Scheduled posts go
//! live through the object's alarm, which is set to the next scheduled time
//! after every write and fires even if the object was evicted or restarted.
//! Reader views spend tokens leased from the tenant's ThresholdDO.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use grove_shared::admin::content::{Command, WriteCtx};
use grove_shared::admin_http::{self, reply::Reply, RequestCtx};
use grove_shared::limits::lease::ReaderLease;
use grove_shared::limits::policy::{LimitClass, Plan};
use grove_shared::protocol::{
    AdminRequest, ControlRequest, EdgeViewsRequest, Floor, ViewRequest, ADMIN_URL, CONTROL_URL,
    D1_QUERIES_HEADER, EDGE_TTL_HEADER, PING_URL, PURGE_HEADER, REDIRECT_HEADER, STATS_URL,
    VIEWS_URL,
};
use grove_shared::served_pages::ServedPages;
use grove_shared::site::{reader_route, ReaderRoute, Rendered};
use grove_shared::tenant_core::TenantCore;
use grove_shared::view_counts::{ViewBuffer, SAVE_AFTER_MS};
use grove_shared::views;
use worker::{
    durable_object, Delay, DurableObject, Env, Method, Request, Response, Result, State, Storage,
};

use crate::d1_store::D1Store;
use crate::do_page_store::DoPageStore;
use crate::env_config::{self, platform_config};
use crate::ids::new_id;
use crate::limits;
use crate::reader_pages::ReaderPages;

thread_local! {
    /// The actor floor's page (the benchmark), rendered once.
    static FLOOR_PAGE: RefCell<Option<Rendered>> = const { RefCell::new(None) };
}

/// Storage key under which the actor remembers whose it is (for alarms).
const TENANT_KEY: &str = "tenant_id";
/// Storage key of the view buffer.
const VIEWS_KEY: &str = "views";
/// Retry delay when the scheduler could not write.
const ALARM_RETRY_MS: i64 = 5_000;

#[durable_object]
pub struct TenantDO {
    state: State,
    env: Env,
    core: Option<TenantCore<D1Store, DoPageStore>>,
    tenant_remembered: Cell<bool>,
    /// Reader tokens leased from the tenant's ThresholdDO.
    lease: Rc<RefCell<ReaderLease>>,
    /// Reader limits are on unless the `READER_LIMITS` var is `off` (the
    /// benchmark measures the check's cost by turning it off).
    reader_limits: bool,
    /// Post views not yet in D1 (saved to storage [`SAVE_AFTER_MS`] after
    /// a view, all views of that window in one write).
    views: Rc<RefCell<Option<ViewBuffer>>>,
    /// A save of the view buffer is scheduled.
    views_save_pending: Rc<Cell<bool>>,
    /// Ready-made responses of the hottest pages.
    reader_pages: ReaderPages,
    /// Pages handed to the edge since their last purge.
    served: RefCell<ServedPages>,
}

fn now() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// The memory budget for rendered pages: `READER_CACHE_BYTES`, else the default.
fn cache_budget(env: &Env) -> usize {
    env.var("READER_CACHE_BYTES")
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .unwrap_or(grove_shared::reader_cache::DEFAULT_BUDGET_BYTES)
}

/// How long the edge may keep this page: 60 s, but lists (which a
/// scheduled post joins) never past the next scheduled publish.
fn edge_ttl(path: &str, next_scheduled: Option<i64>, now: i64) -> i64 {
    let is_list = path == "/" || path.trim_end_matches('/') == "/blog";
    match next_scheduled {
        Some(at) if is_list => ((at - now) / 1000).clamp(0, EDGE_TTL_SECS),
        _ => EDGE_TTL_SECS,
    }
}

/// The edge cache's lifetime for a page (the staleness bound elsewhere).
const EDGE_TTL_SECS: i64 = 60;

impl DurableObject for TenantDO {
    fn new(state: State, env: Env) -> Self {
        let core = match platform_config(&env) {
            Ok(config) => Some(TenantCore::with_budget(
                D1Store::new(env.clone(), config),
                DoPageStore::new(state.storage()),
                cache_budget(&env),
            )),
            Err(e) => {
                worker::console_error!("TenantDO: bad configuration: {e}");
                None
            }
        };
        env_config::dev_metrics(&env);
        TenantDO {
            state,
            core,
            tenant_remembered: Cell::new(false),
            lease: Rc::new(RefCell::new(ReaderLease::default())),
            reader_limits: env
                .var("READER_LIMITS")
                .map(|v| v.to_string() != "off")
                .unwrap_or(true),
            views: Rc::new(RefCell::new(None)),
            views_save_pending: Rc::new(Cell::new(false)),
            reader_pages: ReaderPages::default(),
            served: RefCell::new(ServedPages::default()),
            env,
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let Some(core) = &self.core else {
            return unavailable();
        };
        let url = req.inner().url();
        if let Some(rest) = url.strip_prefix(PING_URL) {
            return self.ping(rest);
        }
        if let Some(view) = ViewRequest::from_url(&url) {
            let d1_before = core.store().queries();
            let resp = self.view(core, &view).await?;
            return count_d1(resp, core.store().queries() - d1_before);
        }
        if req.method() != Method::Post {
            return plain(404, "unknown internal route");
        }
        let d1_before = core.store().queries();
        if url == ADMIN_URL {
            let Ok(admin) = req.json::<AdminRequest>().await else {
                return plain(400, "malformed admin request");
            };
            let resp = self.admin(core, &admin).await?;
            return count_d1(resp, core.store().queries() - d1_before);
        }
        if url == VIEWS_URL {
            let Ok(edge) = req.json::<EdgeViewsRequest>().await else {
                return plain(400, "malformed views request");
            };
            self.ensure_views().await?;
            let now = now();
            let mut first = false;
            if let Some(buffer) = self.views.borrow_mut().as_mut() {
                for (slug, n) in &edge.views {
                    first |= buffer.add(slug, *n, now);
                }
            }
            self.save_views().await?;
            if first {
                self.sync_alarm(core, &edge.tenant_id).await?;
            }
            return Response::ok("counted");
        }
        if url == STATS_URL {
            let stats = serde_json::json!({
                "cache": core.cache_stats(),
                "d1_queries": core.store().queries(),
                "leased_reader_tokens": self.lease.borrow().tokens(),
                "pending_views": self.views.borrow().as_ref().map_or(0, ViewBuffer::total),
            });
            return Response::from_json(&stats);
        }
        if url == CONTROL_URL {
            let Ok(control) = req.json::<ControlRequest>().await else {
                return plain(400, "malformed control request");
            };
            worker::console_log!(
                "tenant {}: changed by operators; reloading",
                control.tenant_id
            );
            // Every public path, so the router can purge the edge (a
            // suspension must show on the next request).
            let now = now();
            let keys = core
                .read(&control.tenant_id, now, |c| c.site(now).all_keys())
                .await
                .ok()
                .flatten()
                .unwrap_or_default();
            let paths: Vec<String> = keys
                .iter()
                .filter_map(|k| ReaderRoute::from_cache_key(k))
                .map(|r| r.path())
                .collect();
            core.forget().await;
            self.lease.borrow_mut().drop_all();
            self.served.borrow_mut().all_purged();
            return Response::from_json(&paths);
        }
        plain(404, "unknown internal route")
    }

    async fn alarm(&self) -> Result<Response> {
        let Some(core) = &self.core else {
            return Response::ok("");
        };
        let Some(tenant_id) = self.state.storage().get::<String>(TENANT_KEY).await? else {
            return Response::ok("");
        };
        let ctx = WriteCtx {
            now: now(),
            user_id: "scheduler".into(),
            new_id: new_id()?,
        };
        if let Err(e) = self.flush_views(core, &tenant_id).await {
            worker::console_error!("tenant {tenant_id}: view flush failed, retrying: {e}");
        }
        // Most alarms only flush views: publish only when a post is due.
        let due = match core.meta(&tenant_id, ctx.now).await {
            Ok(Some(meta)) => meta.next_scheduled.is_some_and(|at| at <= ctx.now),
            _ => true,
        };
        if !due {
            self.sync_alarm(core, &tenant_id).await?;
            return Response::ok("");
        }
        match core.write(&tenant_id, &Command::PublishDue, &ctx).await {
            Ok(_) => {
                // No router to hand purges to: lists' edge lifetime already
                // ends at this publish time (see edge_ttl).
                core.take_purge();
                self.sync_alarm(core, &tenant_id).await?
            }
            Err(e) => {
                worker::console_error!("tenant {tenant_id}: scheduled publish failed: {e:?}");
                self.state.storage().set_alarm(ALARM_RETRY_MS).await?;
            }
        }
        Response::ok("")
    }
}

impl TenantDO {
    /// The benchmark's actor floor: "pong"; `?bytes=N` of filler; with
    /// `&headers=page`, answered as a reader page (the hot page's path).
    fn ping(&self, query: &str) -> Result<Response> {
        let floor = Floor::from_query(query.strip_prefix('?'));
        match (floor.bytes, floor.page_headers) {
            (Some(n), true) => FLOOR_PAGE.with(|floor| {
                let mut floor = floor.borrow_mut();
                let page = match floor.take() {
                    Some(page) if page.html.len() == n => page,
                    _ => Rendered::new(200, " ".repeat(n)).at(1),
                };
                let resp = self.reader_pages.respond(&page, None);
                *floor = Some(page);
                resp.and_then(|r| count_d1(r, 0))
            }),
            (Some(n), false) => Response::from_html(" ".repeat(n)),
            (None, _) => Response::ok("pong"),
        }
    }

    /// A reader's view: suspension and rate-limit checks, then the page
    /// (memory, else the actor's storage, else rendered).
    async fn view(
        &self,
        core: &TenantCore<D1Store, DoPageStore>,
        view: &ViewRequest,
    ) -> Result<Response> {
        let now = now();
        let meta = match core.meta(&view.tenant_id, now).await {
            Ok(Some(meta)) => meta,
            Ok(None) => return plain(404, "no such tenant"),
            Err(e) => {
                worker::console_error!("tenant {}: load failed: {}", view.tenant_id, e.0);
                return unavailable();
            }
        };
        if meta.suspended {
            return suspended_page();
        }
        let spent = !self.reader_limits || self.lease.borrow_mut().try_spend();
        if spent && self.reader_limits {
            self.prefetch_lease(&view.tenant_id, meta.plan);
        }
        if !spent {
            let ask = self.lease.borrow().next_ask();
            let reply = limits::take(
                &self.env,
                &view.tenant_id,
                LimitClass::ReaderRequests,
                meta.plan,
                ask,
                true,
            )
            .await;
            if let Some(reply) = reply {
                if !self.lease.borrow_mut().refill(&reply) {
                    return limits::too_many(&reply, false);
                }
            }
        }
        let route = reader_route(&view.path, view.query.as_deref());
        match core.view_route(&view.tenant_id, &route, now).await {
            Ok(Some(page)) => {
                if page.status == 200 {
                    if let Ok(route) = &route {
                        if view.for_edge {
                            self.served.borrow_mut().record(&route.path());
                        }
                        if let ReaderRoute::Post(slug) = route {
                            self.count_view(core, &view.tenant_id, slug).await?;
                        }
                    }
                }
                if !view.for_edge {
                    return self
                        .reader_pages
                        .respond(&page, view.if_none_match.as_deref());
                }
                let resp = html(page.status, &page.html)?;
                resp.headers().set("etag", &page.etag)?;
                if page.modified > 0 {
                    resp.headers().set(
                        "last-modified",
                        &grove_shared::time::http_date(page.modified),
                    )?;
                }
                resp.headers().set(
                    EDGE_TTL_HEADER,
                    &edge_ttl(&view.path, meta.next_scheduled, now).to_string(),
                )?;
                Ok(resp)
            }
            Ok(None) => plain(404, "no such tenant"),
            Err(e) => {
                worker::console_error!("tenant {}: view failed: {}", view.tenant_id, e.0);
                unavailable()
            }
        }
    }

    /// An owner's admin request. Writes are refused while the tenant is
    /// suspended and count against its admin-write limit.
    async fn admin(
        &self,
        core: &TenantCore<D1Store, DoPageStore>,
        admin: &AdminRequest,
    ) -> Result<Response> {
        let now = now();
        let api = admin.path.starts_with("/admin/api");
        let mut limit_reply = None;
        if admin.method != "GET" {
            let tenant = core
                .read(&admin.tenant_id, now, |c| {
                    (
                        c.tenant.plan,
                        c.tenant.suspended,
                        c.tenant.owner_id == admin.user.user_id,
                    )
                })
                .await;
            if let Ok(Some((plan, suspended, is_owner))) = tenant {
                if is_owner && suspended {
                    return suspended_write(api);
                }
                if is_owner {
                    limit_reply = limits::take(
                        &self.env,
                        &admin.tenant_id,
                        LimitClass::AdminWrites,
                        plan,
                        1,
                        false,
                    )
                    .await;
                    if let Some(reply) = limit_reply.filter(|r| r.decision.granted == 0) {
                        return limits::too_many(&reply, api);
                    }
                }
            }
        }
        let ctx = RequestCtx {
            now,
            new_id: new_id()?,
        };
        let reply = admin_http::handle(core, admin, &ctx).await;
        if admin.method != "GET" {
            self.sync_alarm(core, &admin.tenant_id).await?;
        }
        let resp = to_response(reply)?;
        if let Some(limit) = &limit_reply {
            limits::add_headers(&resp, limit)?;
        }
        let purge = self.served.borrow_mut().to_purge(core.take_purge());
        if !purge.is_empty() {
            resp.headers().set(PURGE_HEADER, &purge.join(" "))?;
        }
        Ok(resp)
    }

    /// Points the alarm at the next scheduled post (or clears it).
    async fn sync_alarm(
        &self,
        core: &TenantCore<D1Store, DoPageStore>,
        tenant_id: &str,
    ) -> Result<()> {
        let storage = self.state.storage();
        let flush_at = self.views.borrow().as_ref().and_then(ViewBuffer::flush_at);
        let next = match (core.next_scheduled(), flush_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match next {
            Some(at) => {
                if !self.tenant_remembered.get() {
                    storage.put(TENANT_KEY, tenant_id).await?;
                    self.tenant_remembered.set(true);
                }
                storage.set_alarm((at - now()).max(0)).await
            }
            None => storage.delete_alarm().await,
        }
    }

    /// Asks for the next reader lease in the background once half of this
    /// one is spent, so views do not wait for the ThresholdDO.
    fn prefetch_lease(&self, tenant_id: &str, plan: Plan) {
        let Some(prefetch) = self.lease.borrow_mut().prefetch() else {
            return;
        };
        let env = self.env.clone();
        let tenant_id = tenant_id.to_string();
        let lease = Rc::clone(&self.lease);
        worker::wasm_bindgen_futures::spawn_local(async move {
            let class = LimitClass::ReaderRequests;
            let reply = limits::take(&env, &tenant_id, class, plan, prefetch.ask, true).await;
            lease.borrow_mut().prefetched(prefetch, reply.as_ref());
        });
    }

    /// The view buffer, read from storage once per actor lifetime.
    async fn ensure_views(&self) -> Result<()> {
        if self.views.borrow().is_some() {
            return Ok(());
        }
        let stored = self.state.storage().get::<String>(VIEWS_KEY).await?;
        let buffer = stored
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        self.views.borrow_mut().get_or_insert(buffer);
        Ok(())
    }

    async fn save_views(&self) -> Result<()> {
        save_views(&self.state.storage(), &self.views).await
    }

    /// Saves the view buffer [`SAVE_AFTER_MS`] from now, unless a save is
    /// already scheduled: one storage write for every view in that window.
    fn schedule_views_save(&self) {
        if self.views_save_pending.replace(true) {
            return;
        }
        let storage = self.state.storage();
        let views = Rc::clone(&self.views);
        let pending = Rc::clone(&self.views_save_pending);
        worker::wasm_bindgen_futures::spawn_local(async move {
            Delay::from(Duration::from_millis(SAVE_AFTER_MS)).await;
            pending.set(false);
            if let Err(e) = save_views(&storage, &views).await {
                worker::console_error!("view buffer not saved: {e}");
            }
        });
    }

    /// Counts a post view in memory; the buffer reaches storage within
    /// [`SAVE_AFTER_MS`] and D1 when the alarm flushes it.
    async fn count_view(
        &self,
        core: &TenantCore<D1Store, DoPageStore>,
        tenant_id: &str,
        slug: &str,
    ) -> Result<()> {
        self.ensure_views().await?;
        let first = self
            .views
            .borrow_mut()
            .get_or_insert_with(ViewBuffer::default)
            .record(slug, now());
        self.schedule_views_save();
        if first {
            self.sync_alarm(core, tenant_id).await?;
        }
        Ok(())
    }

    /// Sends pending views to D1 in one batch if their time has come.
    async fn flush_views(
        &self,
        core: &TenantCore<D1Store, DoPageStore>,
        tenant_id: &str,
    ) -> Result<()> {
        self.ensure_views().await?;
        let due = self
            .views
            .borrow()
            .as_ref()
            .and_then(ViewBuffer::flush_at)
            .is_some_and(|at| at <= now());
        if !due {
            return Ok(());
        }
        let batch = self
            .views
            .borrow_mut()
            .as_mut()
            .map(ViewBuffer::drain)
            .unwrap_or_default();
        if let Err(e) = core.flush_views(tenant_id, &batch).await {
            if let Some(v) = self.views.borrow_mut().as_mut() {
                v.restore(batch, now());
            }
            self.save_views().await?;
            return Err(worker::Error::RustError(e.0));
        }
        self.save_views().await
    }
}

/// Writes the whole view buffer to the actor's storage.
async fn save_views(storage: &Storage, views: &RefCell<Option<ViewBuffer>>) -> Result<()> {
    let json = serde_json::to_string(&views.borrow().clone().unwrap_or_default())
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    storage.put(VIEWS_KEY, json).await
}

fn to_response(reply: Reply) -> Result<Response> {
    let status = if reply.location.is_some() {
        200
    } else {
        reply.status
    };
    let resp = Response::ok(reply.body)?.with_status(status);
    let h = resp.headers();
    h.set("content-type", reply.content_type)?;
    h.set("cache-control", "no-store")?;
    if let Some(location) = reply.location {
        h.set(REDIRECT_HEADER, &location)?;
    }
    Ok(resp)
}

fn html(status: u16, body: &str) -> Result<Response> {
    let resp = Response::from_html(body)?.with_status(status);
    resp.headers().set("cache-control", "no-cache")?;
    Ok(resp)
}

/// Tells the router how many D1 statements this request ran, in local
/// runs only (`DEV_METRICS`). Concurrent requests in the actor share the
/// counter, so a figure can include a neighbour's.
fn count_d1(resp: Response, statements: u64) -> Result<Response> {
    if env_config::dev_metrics_on() {
        resp.headers()
            .set(D1_QUERIES_HEADER, &statements.to_string())?;
    }
    Ok(resp)
}

fn suspended_page() -> Result<Response> {
    let page = views::platform_error(
        503,
        "This blog is suspended",
        "This blog has been suspended by Grove's operators and cannot be shown.",
        "/",
    );
    let resp = Response::from_html(page.into_string())?.with_status(503);
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

fn suspended_write(api: bool) -> Result<Response> {
    let message = "This blog is suspended by Grove's operators: it cannot be changed.";
    let resp = if api {
        Response::from_json(&serde_json::json!({ "error": "suspended", "message": message }))?
    } else {
        Response::from_html(
            views::platform_error(403, "Blog suspended", message, "/admin").into_string(),
        )?
    };
    Ok(resp.with_status(403))
}

fn plain(status: u16, message: &str) -> Result<Response> {
    Response::error(message, status)
}

fn unavailable() -> Result<Response> {
    let page = views::platform_error(
        503,
        "Temporarily unavailable",
        "This blog cannot be shown right now. Please try again in a moment.",
        "/",
    );
    let resp = Response::from_html(page.into_string())?.with_status(503);
    resp.headers().set("retry-after", "5")?;
    Ok(resp)
}
