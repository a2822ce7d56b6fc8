//! The edge cache (Cache API) in front of the actors, for anonymous GETs
//! of public pages.
//!
//! - Only anonymous requests (no session cookie) of a page's canonical URL
//!   are cached; signed-in owners always go to the actor.
//! - The edge keeps a page for the actor's `x-grove-edge-ttl` (60 s; lists
//!   never past the next scheduled publish). Browsers get
//!   `max-age=0, must-revalidate` with `ETag` and `Last-Modified`, so they
//!   revalidate and get a 304 when nothing changed.
//! - A write purges the paths it changed on this location at once. Other
//!   locations keep their copy until it expires: staleness there is bounded
//!   by the edge TTL (60 s).

use grove_shared::auth::cookie::{read_cookie, SESSION_COOKIE};
use grove_shared::protocol::{D1_QUERIES_HEADER, EDGE_TTL_HEADER};
use grove_shared::site::reader_route;
use worker::{Cache, Headers, Method, Request, Response, Result};

/// `hit`, `miss` or `bypass`, on every reader response.
pub const EDGE_HEADER: &str = "x-grove-edge";

const BROWSER_POLICY: &str = "public, max-age=0, must-revalidate";
const PRIVATE_POLICY: &str = "private, no-cache";

/// Whether this request may be served from (and stored in) the edge cache.
pub fn cacheable(req: &Request, path: &str, query: Option<&str>) -> bool {
    if !matches!(req.method(), Method::Get | Method::Head) {
        return false;
    }
    let cookies = req.headers().get("cookie").ok().flatten();
    if read_cookie(cookies.as_deref(), SESSION_COOKIE).is_some() {
        return false;
    }
    let asked = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    reader_route(path, query).is_ok_and(|route| route.path() == asked)
}

fn not_modified(req: &Request, etag: Option<&str>) -> bool {
    let presented = req.headers().get("if-none-match").ok().flatten();
    match (presented, etag) {
        (Some(p), Some(e)) => p.split(',').any(|t| t.trim() == e || t.trim() == "*"),
        _ => false,
    }
}

/// The headers a reader gets with a page.
fn reader_headers(status: u16, headers: &Headers, edge: &str) -> Result<Headers> {
    let out = Headers::new();
    for name in [
        "content-type",
        "etag",
        "last-modified",
        "retry-after",
        "ratelimit-policy",
        "ratelimit",
        D1_QUERIES_HEADER,
    ] {
        if let Some(v) = headers.get(name)? {
            out.set(name, &v)?;
        }
    }
    let policy = match (status, edge) {
        (200, "bypass") => PRIVATE_POLICY,
        (200, _) => BROWSER_POLICY,
        _ => "no-store",
    };
    out.set("cache-control", policy)?;
    out.set(EDGE_HEADER, edge)?;
    Ok(out)
}

/// A page from the edge cache, if it has one for `url`. The cached body is
/// streamed through, not copied into the worker.
pub async fn lookup(req: &Request, url: &str) -> Result<Option<Response>> {
    let Some(stored) = Cache::default().get(url, true).await? else {
        return Ok(None);
    };
    let out = reader_headers(200, stored.headers(), "hit")?;
    if not_modified(req, stored.headers().get("etag")?.as_deref()) {
        return Ok(Some(Response::empty()?.with_status(304).with_headers(out)));
    }
    Ok(Some(stored.with_headers(out)))
}

/// Passes the actor's page to the reader, keeping a copy at the edge when
/// it is a 200 that may be cached.
pub async fn store(
    req: &Request,
    url: &str,
    mut page: Response,
    cache_it: bool,
) -> Result<Response> {
    let status = page.status_code();
    let ttl: i64 = page
        .headers()
        .get(EDGE_TTL_HEADER)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let edge = if cache_it { "miss" } else { "bypass" };
    let out = reader_headers(status, page.headers(), edge)?;
    if status == 200 && not_modified(req, page.headers().get("etag")?.as_deref()) {
        return Ok(Response::empty()?.with_status(304).with_headers(out));
    }
    if cache_it && status == 200 && ttl > 0 {
        let headers = Headers::new();
        for name in ["content-type", "etag", "last-modified"] {
            if let Some(v) = page.headers().get(name)? {
                headers.set(name, &v)?;
            }
        }
        headers.set("cache-control", &format!("public, max-age={ttl}"))?;
        // The body is a stream: tee it, one copy for the cache, one for the reader.
        let copy = page.cloned()?.with_headers(headers);
        Cache::default().put(url, copy).await?;
    }
    // Streamed through with the reader's headers, not copied into the worker.
    Ok(page.with_status(status).with_headers(out))
}

/// Purges `paths` under every origin of a tenant from this location's
/// cache, all at once.
pub async fn purge(origins: &[String], paths: &[&str]) {
    let cache = Cache::default();
    let urls: Vec<String> = origins
        .iter()
        .flat_map(|o| paths.iter().map(move |p| format!("{o}{p}")))
        .collect();
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
