//! The edge in front of the actors, for anonymous GETs of public pages:
//! this isolate's memory first ([`grove_shared::edge_memory`], no
//! subrequest), then the location's Cache API, then the tenant's actor.
//!
//! - Only anonymous requests (no session cookie) of a page's canonical URL
//!   are cached; signed-in owners always go to the actor.
//! - The Cache API keeps a page for the actor's `x-grove-edge-ttl` (60 s;
//!   lists never past the next scheduled publish); the isolate keeps its
//!   copy for at most `edge_memory::TTL_MS` (1 s) within that. Browsers get
//!   `max-age=0, must-revalidate` with `ETag` and `Last-Modified`, so they
//!   revalidate and get a 304 when nothing changed.
//! - Keys are the site's canonical origin plus the page's canonical path,
//!   whatever the request looked like (the router redirects every other
//!   spelling of a host), so a write's purge names every copy.
//! - A write purges the paths it changed from this isolate and this
//!   location's Cache API before it is acknowledged. A copy fetched before
//!   that purge but put after it (the race of an in-flight read with a
//!   write) is dropped again: the purge leaves a mark in the Cache API that
//!   every put checks afterwards. Other isolates keep their memory copy
//!   for at most 1 s; other locations keep theirs until it expires:
//!   staleness there is bounded by the edge TTL (60 s).

use std::cell::RefCell;

use grove_shared::auth::cookie::{read_cookie, SESSION_COOKIE};
use grove_shared::edge_memory::{self, EdgeMemory, EdgePage};
use grove_shared::protocol::{D1_QUERIES_HEADER, EDGE_TTL_HEADER, LAYER_HEADER, REDIRECT_HEADER};
use grove_shared::reader_headers::{
    cache_control, etag_matches, page_headers, Edge, EDGE_HEADER, HTML,
};
use grove_shared::site::{reader_route, ReaderRoute};
use grove_tenant_do::env_config::dev_metrics_on;
use worker::js_sys::Uint8Array;
use worker::web_sys;
use worker::{Cache, Headers, Response, ResponseBuilder, Result};

use crate::respond;

/// On Cache API copies: when the copy expires (Unix ms), so the isolate's
/// own copy of it never outlives it.
const EXPIRES_HEADER: &str = "x-grove-expires";
/// What the ready-made headers of a hot page weigh, roughly.
const HEADERS_WEIGHT: usize = 512;

/// A page in the isolate's memory, kept as the runtime objects a hit is
/// built from (its body and the headers of a hit), so serving it copies
/// nothing through the worker.
struct HotPage {
    tenant_id: String,
    expires_at: i64,
    etag: String,
    body: Uint8Array,
    headers: web_sys::Headers,
}

impl EdgePage for HotPage {
    fn tenant_id(&self) -> &str {
        &self.tenant_id
    }
    fn expires_at(&self) -> i64 {
        self.expires_at
    }
    fn weight(&self) -> usize {
        self.body.length() as usize + self.tenant_id.len() + self.etag.len() + HEADERS_WEIGHT
    }
}

thread_local! {
    // Never borrowed across an await.
    static MEMORY: RefCell<EdgeMemory<HotPage>> = RefCell::new(EdgeMemory::default());
}

/// The page a reader's GET or HEAD (with these `headers`) asks for, if
/// the edge may serve (and keep) it: an anonymous request of a page's
/// canonical URL.
pub fn cacheable_route(headers: &Headers, path: &str, query: Option<&str>) -> Option<ReaderRoute> {
    let cookies = headers.get("cookie").ok().flatten();
    if read_cookie(cookies.as_deref(), SESSION_COOKIE).is_some() {
        return None;
    }
    // Only the canonical spelling of a page is cached.
    let route = reader_route(path, query).ok()?;
    let canonical = route.path();
    let is_canonical = match query {
        Some(q) => canonical
            .strip_prefix(path)
            .and_then(|rest| rest.strip_prefix('?'))
            .is_some_and(|rest| rest == q),
        None => canonical == path,
    };
    is_canonical.then_some(route)
}

/// A page's validators, as the actor or the Cache API gave them.
struct PageMeta {
    /// As the actor gave it: an HTML page, a feed, a sitemap.
    content_type: String,
    etag: String,
    last_modified: Option<String>,
}

impl PageMeta {
    fn of(h: &Headers) -> Result<PageMeta> {
        Ok(PageMeta {
            content_type: h.get("content-type")?.unwrap_or_else(|| HTML.to_string()),
            etag: h.get("etag")?.unwrap_or_default(),
            last_modified: h.get("last-modified")?,
        })
    }

    /// The headers a reader gets with this page.
    fn reader_headers(&self, edge: Edge) -> Result<Headers> {
        let h = Headers::new();
        for (name, value) in page_headers(
            200,
            &self.content_type,
            &self.etag,
            self.last_modified.as_deref(),
            edge,
        ) {
            h.set(name, value)?;
        }
        Ok(h)
    }

    fn hot_page(&self, tenant_id: &str, body: &[u8], expires_at: i64) -> Result<HotPage> {
        let headers = self.reader_headers(Edge::Hit)?;
        if dev_metrics_on() {
            headers.set(LAYER_HEADER, "edge-memory")?;
        }
        Ok(HotPage {
            tenant_id: tenant_id.to_string(),
            expires_at,
            etag: self.etag.clone(),
            body: Uint8Array::from(body),
            headers: headers.0,
        })
    }
}

/// A hit from the isolate's memory (or a 304), as the runtime's own
/// response: nothing is rebuilt on the way out.
fn serve(if_none_match: Option<&str>, page: &HotPage) -> Result<web_sys::Response> {
    let init = web_sys::ResponseInit::new();
    init.set_headers_headers(&page.headers);
    let body = if etag_matches(if_none_match, &page.etag) {
        init.set_status(304);
        None
    } else {
        Some(page.body.as_ref())
    };
    Ok(web_sys::Response::new_with_opt_buffer_source_and_init(
        body, &init,
    )?)
}

/// A page with fresh headers (or a 304).
fn serve_fresh(
    if_none_match: Option<&str>,
    meta: &PageMeta,
    body: Vec<u8>,
    edge: Edge,
) -> Result<web_sys::Response> {
    let h = meta.reader_headers(edge)?;
    if etag_matches(if_none_match, &meta.etag) {
        return Ok(ResponseBuilder::new()
            .with_status(304)
            .with_headers(h)
            .empty()
            .into());
    }
    Ok(ResponseBuilder::new().with_headers(h).fixed(body).into())
}

/// This isolate's copy of the page at `url`, if it has a fresh one.
pub fn from_memory(
    if_none_match: Option<&str>,
    url: &str,
    now: i64,
) -> Result<Option<web_sys::Response>> {
    let Some(page) = MEMORY.with(|m| m.borrow_mut().get(url, now)) else {
        return Ok(None);
    };
    serve(if_none_match, &page).map(Some)
}

/// The location's cached copy of the page at `url`, if it has one; the
/// isolate keeps it in memory too.
pub async fn from_cache(
    if_none_match: Option<&str>,
    url: &str,
    tenant_id: &str,
    now: i64,
) -> Result<Option<web_sys::Response>> {
    let Some(mut stored) = Cache::default().get(url, true).await? else {
        return Ok(None);
    };
    let expires: i64 = stored
        .headers()
        .get(EXPIRES_HEADER)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(now);
    let meta = PageMeta::of(stored.headers())?;
    let body = stored.bytes().await?;
    let hot = meta.hot_page(tenant_id, &body, expires.min(now + edge_memory::TTL_MS))?;
    MEMORY.with(|m| m.borrow_mut().keep(url.to_string(), hot, now));
    let resp = serve_fresh(if_none_match, &meta, body, Edge::Hit)?;
    if dev_metrics_on() {
        resp.headers().set(LAYER_HEADER, "edge-cache")?;
    }
    Ok(Some(resp))
}

/// The headers a reader gets with an actor's response the edge does not
/// keep (an error page, a 429).
fn passed_headers(status: u16, headers: &Headers, edge: Edge) -> Result<Headers> {
    let out = Headers::new();
    for name in [
        "content-type",
        "etag",
        "last-modified",
        "retry-after",
        "ratelimit-policy",
        "ratelimit",
        D1_QUERIES_HEADER,
        LAYER_HEADER,
    ] {
        if let Some(v) = headers.get(name)? {
            out.set(name, &v)?;
        }
    }
    out.set("cache-control", cache_control(status, edge))?;
    out.set(EDGE_HEADER, edge.as_str())?;
    respond::add_security_headers(&out, respond::SELF_ONLY)?;
    Ok(out)
}

/// Passes the actor's answer (asked for at `fetched_at`) to the reader.
/// A page the actor finished for the reader (a bypass) goes through
/// untouched. A 200 the edge may keep goes to this location's Cache API
/// and to the isolate's memory, unless a write of its tenant was purged
/// since.
pub async fn store(
    if_none_match: Option<&str>,
    url: &str,
    tenant_id: &str,
    page: web_sys::Response,
    cache_it: bool,
    fetched_at: i64,
) -> Result<web_sys::Response> {
    if !cache_it && page.headers().has(EDGE_HEADER)? {
        return Ok(page);
    }
    let mut page = Response::from(page);
    // A reader's redirect (an old slug) crosses from the actor as a 200
    // naming its location: the runtime would follow a real one.
    if let Some(location) = page.headers().get(REDIRECT_HEADER)? {
        let edge = if cache_it { Edge::Miss } else { Edge::Bypass };
        let out = passed_headers(301, page.headers(), edge)?;
        out.set("location", &location)?;
        return Ok(page.with_status(301).with_headers(out).into());
    }
    let status = page.status_code();
    let ttl: i64 = page
        .headers()
        .get(EDGE_TTL_HEADER)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if !(cache_it && status == 200 && ttl > 0) {
        let edge = if cache_it { Edge::Miss } else { Edge::Bypass };
        let out = passed_headers(status, page.headers(), edge)?;
        // Streamed through with the reader's headers, not copied into the worker.
        return Ok(page.with_status(status).with_headers(out).into());
    }
    let meta = PageMeta::of(page.headers())?;
    let d1 = page.headers().get(D1_QUERIES_HEADER)?;
    let layer = page.headers().get(LAYER_HEADER)?;
    let body = page.bytes().await?;
    let expires_at = fetched_at + ttl * 1000;
    if MEMORY.with(|m| m.borrow().may_keep(tenant_id, fetched_at)) {
        let headers = Headers::new();
        headers.set("content-type", &meta.content_type)?;
        headers.set("etag", &meta.etag)?;
        if let Some(modified) = &meta.last_modified {
            headers.set("last-modified", modified)?;
        }
        headers.set("cache-control", &format!("public, max-age={ttl}"))?;
        headers.set(EXPIRES_HEADER, &expires_at.to_string())?;
        let copy = ResponseBuilder::new()
            .with_headers(headers)
            .fixed(body.clone());
        let cache = Cache::default();
        cache.put(url, copy).await?;
        // A write of this tenant may have been purged while the copy was
        // on its way (here, or in another isolate of this location): then
        // the copy goes again, since no later purge would remove it.
        if raced_a_purge(&cache, tenant_id, fetched_at).await {
            if let Err(e) = cache.delete(url, true).await {
                worker::console_error!("edge: dropping a raced copy of {url} failed: {e}");
            }
        } else {
            let hot = meta.hot_page(tenant_id, &body, edge_memory::expires_at(fetched_at, ttl))?;
            MEMORY.with(|m| m.borrow_mut().keep(url.to_string(), hot, fetched_at));
        }
    }
    let resp = serve_fresh(if_none_match, &meta, body, Edge::Miss)?;
    if let Some(d1) = d1 {
        resp.headers().set(D1_QUERIES_HEADER, &d1)?;
    }
    if let Some(layer) = layer {
        resp.headers().set(LAYER_HEADER, &layer)?;
    }
    Ok(resp)
}

/// Where the location's Cache API remembers when a tenant was last purged,
/// so an isolate whose copy raced a purge in another isolate can tell.
fn purge_mark_url(tenant_id: &str) -> String {
    format!("https://purge-mark.internal/{tenant_id}")
}

/// How long a purge mark is kept: longer than any copy could be in flight
/// (an actor call has an 8 s deadline; a Cache API put takes milliseconds).
const PURGE_MARK_SECS: i64 = 120;
/// Clock slack between isolates: a copy fetched this soon before a purge
/// is treated as fetched before it (dropping it costs one miss).
const PURGE_SLACK_MS: i64 = 1_000;

/// Whether a purge of `tenant_id` happened at or after `fetched_at`: in
/// this isolate (its memory's marks) or in any isolate of this location
/// (the purge mark in the Cache API).
pub(crate) async fn raced_a_purge(cache: &Cache, tenant_id: &str, fetched_at: i64) -> bool {
    if !MEMORY.with(|m| m.borrow().may_keep(tenant_id, fetched_at)) {
        return true;
    }
    let mark = match cache.get(purge_mark_url(tenant_id).as_str(), true).await {
        Ok(Some(mark)) => mark,
        Ok(None) => return false,
        // Unknown: keep nothing rather than risk a stale copy.
        Err(_) => return true,
    };
    mark.headers()
        .get(PURGED_AT_HEADER)
        .ok()
        .flatten()
        .and_then(|v| v.parse::<i64>().ok())
        .is_some_and(|purged_at| purged_at + PURGE_SLACK_MS >= fetched_at)
}

/// On a purge mark: when the tenant was purged (Unix ms).
const PURGED_AT_HEADER: &str = "x-grove-purged-at";

/// Records in the location's Cache API that `tenant_id` was purged at `now`.
async fn mark_purge(cache: &Cache, tenant_id: &str, now: i64) -> Result<()> {
    let headers = Headers::new();
    headers.set(PURGED_AT_HEADER, &now.to_string())?;
    headers.set(
        "cache-control",
        &format!("public, max-age={PURGE_MARK_SECS}"),
    )?;
    let mark = ResponseBuilder::new()
        .with_headers(headers)
        .fixed(Vec::new());
    cache.put(purge_mark_url(tenant_id).as_str(), mark).await
}

/// Purges `paths` of a tenant under each of its origins from this
/// isolate and this location's cache, all at once. `everything` drops
/// every page of the tenant from the isolate's memory. Pages of the tenant
/// fetched before now (the write is already committed) are not kept after.
pub async fn purge(tenant_id: &str, origins: &[String], paths: &[&str], everything: bool) {
    let now = worker::Date::now().as_millis() as i64;
    let urls: Vec<String> = origins
        .iter()
        .flat_map(|o| paths.iter().map(move |p| format!("{o}{p}")))
        .collect();
    MEMORY.with(|m| {
        let urls = (!everything).then_some(urls.as_slice());
        m.borrow_mut().purge(tenant_id, urls, now);
    });
    let cache = Cache::default();
    // The mark first: a copy put after this point sees it and goes again.
    if let Err(e) = mark_purge(&cache, tenant_id, now).await {
        worker::console_error!("edge purge mark of tenant {tenant_id} failed: {e}");
    }
    let deletions = urls.iter().map(|url| {
        let cache = &cache;
        async move {
            if let Err(e) = cache.delete(url.as_str(), true).await {
                worker::console_error!("edge purge of {url} failed: {e}");
            }
        }
    });
    futures::future::join_all(deletions).await;
}

#[derive(serde::Deserialize)]
struct DomainRow {
    host: String,
}

/// Every origin a tenant's pages are cached under: its subdomain and its
/// verified custom domains.
pub async fn tenant_origins(
    env: &worker::Env,
    config: &grove_shared::config::PlatformConfig,
    tenant_id: &str,
    subdomain: &str,
) -> Result<Vec<String>> {
    let mut origins = vec![config.origin(&config.tenant_host(subdomain))];
    let domains = env
        .d1(grove_shared::protocol::D1_BINDING)?
        .prepare("SELECT host FROM domains WHERE tenant_id = ?1 AND verified = 1")
        .bind(&[tenant_id.into()])?
        .all()
        .await?
        .results::<DomainRow>()?;
    origins.extend(domains.into_iter().map(|d| config.origin(&d.host)));
    Ok(origins)
}
