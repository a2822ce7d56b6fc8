//! The TenantDO Durable Object: a thin adapter over
//! [`grove_shared::actor::shell::TenantShell`], with D1 as its content
//! store, its own storage for pages, views and its alarm, and the tenant's
//! ThresholdDO as its limiter ([`DoRuntime`]).
//!
//! Each request is parsed once into an [`ActorRequest`] and answered with
//! one `match`; every decision is the shell's. What stays here is what only
//! the runtime can do: reading the request, building responses (reader
//! pages as ready-made runtime objects, [`ReaderPages`]), and the
//! benchmark's floor.

use std::cell::RefCell;
use std::rc::Rc;

use grove_shared::actor::request::ActorRequest;
use grove_shared::actor::shell::{AdminAnswer, TenantShell, ViewPage};
use grove_shared::admin::content::WriteCtx;
use grove_shared::admin_http::RequestCtx;
use grove_shared::problem::{self, Format, Problem};
use grove_shared::protocol::{
    Floor, D1_QUERIES_HEADER, EDGE_TTL_HEADER, LAYER_HEADER, REDIRECT_HEADER,
};
use grove_shared::site::Rendered;
use grove_shared::tenant_core::TenantCore;
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

use crate::d1_store::D1Store;
use crate::do_page_store::DoPageStore;
use crate::env_config::{self, platform_config};
use crate::ids::new_id;
use crate::isolate::{isolate_memory, wasm_memory_bytes};
use crate::reader_pages::ReaderPages;
use crate::runtime::DoRuntime;

type Shell = TenantShell<D1Store, DoPageStore, DoRuntime>;

thread_local! {
    /// The actor floor's page (the benchmark), rendered once.
    static FLOOR_PAGE: RefCell<Option<Rendered>> = const { RefCell::new(None) };
}

#[durable_object]
pub struct TenantDO {
    /// `None` when the worker's configuration is unusable (logged at start).
    shell: Option<Rc<Shell>>,
    /// Ready-made responses of the hottest pages.
    reader_pages: ReaderPages,
}

fn now() -> i64 {
    worker::Date::now().as_millis() as i64
}

impl DurableObject for TenantDO {
    fn new(state: State, env: Env) -> Self {
        env_config::dev_metrics(&env);
        let shell = match platform_config(&env) {
            Ok(config) => {
                let core = TenantCore::with_memory(
                    D1Store::new(env.clone(), config),
                    DoPageStore::new(state.storage()),
                    isolate_memory(&env),
                );
                // Reader limits are on unless `READER_LIMITS` is `off` (the
                // benchmark measures the check's cost that way).
                let reader_limits = env
                    .var("READER_LIMITS")
                    .map(|v| v.to_string() != "off")
                    .unwrap_or(true);
                let runtime = DoRuntime::new(state.storage(), state.storage(), env);
                Some(Rc::new(TenantShell::new(core, runtime, reader_limits)))
            }
            Err(e) => {
                worker::console_error!("TenantDO: bad configuration: {e}");
                None
            }
        };
        TenantDO {
            shell,
            reader_pages: ReaderPages,
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let Some(shell) = &self.shell else {
            return problem(&unavailable(), Format::Html);
        };
        let method = req.method().to_string();
        let url = req.inner().url();
        let body = if ActorRequest::has_body(&method) {
            req.text().await.unwrap_or_default()
        } else {
            String::new()
        };
        let request = match ActorRequest::parse(&method, &url, &body) {
            Ok(request) => request,
            Err(e) => return problem(&Problem::bad_request(&e.to_string()), Format::Json),
        };
        let d1_before = shell.core().store().queries();
        let resp = match request {
            ActorRequest::View(view) => {
                let before = shell.core().cache_stats();
                let resp = match shell.view(&view, now()).await {
                    Ok(page) => self.page(&view.tenant_id, &page, view.if_none_match.as_deref()),
                    Err(p) => problem(&p, Format::Html),
                };
                if env_config::dev_metrics_on() {
                    if let Ok(resp) = &resp {
                        let layer = shell.core().cache_stats().layer_since(&before);
                        resp.headers().set(LAYER_HEADER, layer)?;
                    }
                }
                resp
            }
            ActorRequest::Admin(admin) => {
                let ctx = RequestCtx {
                    now: now(),
                    new_id: new_id()?,
                };
                admin_response(shell.admin(&admin, &ctx).await)
            }
            ActorRequest::EdgeViews(views) => match shell.edge_views(&views, now()).await {
                Ok(()) => Response::ok("counted"),
                Err(p) => problem(&p, Format::Json),
            },
            ActorRequest::Stats => {
                let figures = shell.stats();
                let stats = serde_json::json!({
                    "cache": figures.cache,
                    "isolate": {
                        "memory": figures.memory,
                        "wasm_memory_bytes": wasm_memory_bytes(),
                        "ready_responses": self.reader_pages.stats(),
                    },
                    "d1_queries": shell.core().store().queries(),
                    "d1_writes": shell.core().store().writes(),
                    "leased_reader_tokens": figures.leased_reader_tokens,
                    "pending_views": figures.pending_views,
                });
                Response::from_json(&stats)
            }
            ActorRequest::Control(control) => {
                worker::console_log!(
                    "tenant {}: operators: {:?}",
                    control.tenant_id,
                    control.action
                );
                let ctx = WriteCtx {
                    now: now(),
                    user_id: "ops".into(),
                    new_id: new_id()?,
                };
                match shell.control(&control, &ctx).await {
                    Ok(paths) => Response::from_json(&paths),
                    Err(p) => problem(&p, Format::Json),
                }
            }
            ActorRequest::Media(media) => {
                let answer = shell.media(&media, now()).await;
                let resp = match &answer.reply {
                    Ok(reply) => Response::from_json(reply),
                    Err(p) => problem(p, Format::Json),
                }?;
                if let Some(limit) = &answer.limit {
                    for (name, value) in problem::limit_headers(limit) {
                        resp.headers().set(name, &value)?;
                    }
                }
                Ok(resp)
            }
            ActorRequest::Leave(leave) => {
                worker::console_log!("tenant {}: its owner deletes it", leave.admin.tenant_id);
                let ctx = RequestCtx {
                    now: now(),
                    new_id: new_id()?,
                };
                admin_response(shell.leave(&leave, &ctx).await)
            }
            ActorRequest::Ping(floor) => return self.ping(floor),
        }?;
        count_d1(resp, shell.core().store().queries() - d1_before)
    }

    async fn alarm(&self) -> Result<Response> {
        if let Some(shell) = &self.shell {
            shell.alarm(now(), new_id()?).await;
        }
        Response::ok("")
    }
}

impl TenantDO {
    /// A reader's page: for the edge, the page with its validators and
    /// edge lifetime; otherwise the reader's finished response (or a 304).
    fn page(
        &self,
        tenant_id: &str,
        view: &ViewPage,
        if_none_match: Option<&str>,
    ) -> Result<Response> {
        let page = &view.page;
        if let Some(location) = &page.location {
            // A redirect crosses to the router as a 200 naming where it
            // goes (the runtime would follow a real 301); never kept at
            // the edge, so it carries no edge lifetime.
            let resp = Response::from_html(&page.html)?;
            resp.headers().set(REDIRECT_HEADER, location)?;
            resp.headers().set("cache-control", "no-store")?;
            return Ok(resp);
        }
        if view.json {
            // Search results: JSON, never kept by the edge (the router
            // adds the security and caching headers of uncached answers).
            let resp =
                Response::from_bytes(page.html.as_bytes().to_vec())?.with_status(page.status);
            resp.headers()
                .set("content-type", "application/json; charset=utf-8")?;
            return Ok(resp);
        }
        let Some(ttl) = view.edge_ttl else {
            return self.reader_pages.respond(tenant_id, page, if_none_match);
        };
        let resp = Response::from_html(&page.html)?.with_status(page.status);
        let h = resp.headers();
        h.set("content-type", page.format.content_type())?;
        h.set("cache-control", "no-cache")?;
        h.set("etag", &page.etag)?;
        if page.modified > 0 {
            h.set(
                "last-modified",
                &grove_shared::time::http_date(page.modified),
            )?;
        }
        h.set(EDGE_TTL_HEADER, &ttl.to_string())?;
        Ok(resp)
    }

    /// The benchmark's actor floor: "pong"; `?bytes=N` of filler; with
    /// `&headers=page`, answered as a reader page (the hot page's path).
    fn ping(&self, floor: Floor) -> Result<Response> {
        match (floor.bytes, floor.page_headers) {
            (Some(n), true) => FLOOR_PAGE.with(|floor| {
                let mut floor = floor.borrow_mut();
                let page = match floor.take() {
                    Some(page) if page.html.len() == n => page,
                    _ => Rendered::new(200, " ".repeat(n)).at(1),
                };
                let resp = self.reader_pages.respond("floor", &page, None);
                *floor = Some(page);
                resp.and_then(|r| count_d1(r, 0))
            }),
            (Some(n), false) => Response::from_html(" ".repeat(n)),
            (None, _) => Response::ok("pong"),
        }
    }
}

/// An admin answer as the shell put it on the wire ([`AdminAnswer::wire`]).
fn admin_response(answer: AdminAnswer) -> Result<Response> {
    rendered(answer.wire())
}

/// A rendered answer (status, headers, body) as a response.
fn rendered(r: problem::Rendered) -> Result<Response> {
    let resp = Response::ok(r.body)?.with_status(r.status);
    for (name, value) in &r.headers {
        resp.headers().set(name, value)?;
    }
    Ok(resp)
}

/// A [`Problem`] as a response in `format`.
fn problem(p: &Problem, format: Format) -> Result<Response> {
    rendered(p.render(format))
}

fn unavailable() -> Problem {
    Problem::unavailable("This blog cannot be shown right now. Please try again in a moment.")
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
