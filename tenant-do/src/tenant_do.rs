//! The TenantDO Durable Object.
//!
//! Internal protocol (see `grove_shared::protocol`): the router POSTs a JSON
//! [`ViewRequest`] to [`VIEW_URL`]; the actor answers with the finished HTML
//! response. The first view loads the tenant's site from D1 (one batch);
//! every later view is served from memory.
//!
//! Concurrency: a DO handles one event at a time between `.await`s. Two cold
//! views may both load the site; both loads are correct and the last one
//! installed wins, so no lock is needed on the read path. The `RefCell` is
//! never borrowed across an `.await`.

use std::cell::RefCell;

use grove_shared::protocol::{ViewRequest, VIEW_URL};
use grove_shared::reader_cache::ReaderCache;
use grove_shared::views;
use worker::{durable_object, DurableObject, Env, Method, Request, Response, Result, State};

use crate::d1_content::load_site;
use crate::env_config::platform_config;

#[durable_object]
pub struct TenantDO {
    env: Env,
    cache: RefCell<Option<ReaderCache>>,
}

impl DurableObject for TenantDO {
    fn new(_state: State, env: Env) -> Self {
        TenantDO {
            env,
            cache: RefCell::new(None),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let is_view =
            req.method() == Method::Post && req.url().is_ok_and(|u| u.as_str() == VIEW_URL);
        if !is_view {
            return plain(404, "unknown internal route");
        }
        let view: ViewRequest = match req.json().await {
            Ok(v) => v,
            Err(_) => return plain(400, "malformed view request"),
        };
        match self.view(&view).await {
            Ok(resp) => Ok(resp),
            Err(e) => {
                worker::console_error!("tenant {}: view failed: {e}", view.tenant_id);
                unavailable()
            }
        }
    }
}

impl TenantDO {
    async fn view(&self, view: &ViewRequest) -> Result<Response> {
        if self.cache.borrow().is_none() {
            let config = platform_config(&self.env)?;
            let now = worker::Date::now().as_millis() as i64;
            let Some(site) = load_site(&self.env, &config, &view.tenant_id, now).await? else {
                return plain(404, "no such tenant");
            };
            *self.cache.borrow_mut() = Some(ReaderCache::new(site));
        }
        let rendered = {
            let mut cache = self.cache.borrow_mut();
            let Some(cache) = cache.as_mut() else {
                return unavailable();
            };
            cache.serve(&view.path, view.query.as_deref())
        };
        html(rendered.status, &rendered.html)
    }
}

fn html(status: u16, body: &str) -> Result<Response> {
    let resp = Response::from_html(body)?.with_status(status);
    resp.headers().set("cache-control", "no-cache")?;
    Ok(resp)
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
