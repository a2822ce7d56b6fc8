//! The benchmark's floors: routes that do nothing but answer, so `make
//! bench` can show what the runtime itself costs next to Grove's paths.
//!
//! - `/__grove/ping`: "ok", on every host, always (no lookup, no actor).
//! - `/__grove/ping?bytes=N`: N bytes of HTML filler (local runs only): the
//!   floor for answering with a page of that size; `&headers=page` adds the
//!   headers every reader page carries (validators, caching, security).
//! - `/__grove/actor-ping[?bytes=N[&headers=page]]`: the same, from a
//!   TenantDO (local runs only): the floor of any actor path, called the
//!   way reader views are; with `headers=page` it answers through the
//!   actor's own ready-made page responses.
//! - `/__grove/cache-ping?bytes=N`: N bytes of filler with a page's headers,
//!   read from the Cache API (put there by the first call; local runs
//!   only): the floor of an edge-cache hit, what `make bench-scale` reads
//!   its Zipf mix against.

use grove_shared::protocol::{Floor, D1_QUERIES_HEADER, PING_URL};
use grove_shared::reader_headers::{page_headers, Edge, HTML};
use worker::{web_sys, Cache, Env, Headers, Response, ResponseBuilder, Result, Url};

use crate::tenant_call::{self, ActorReply};

/// A trivial route on every host (what the benchmark compares against).
pub const PING_PATH: &str = "/__grove/ping";
/// A trivial actor round trip, local runs only.
pub const ACTOR_PING_PATH: &str = "/__grove/actor-ping";
/// A Cache API read of a page-sized answer, local runs only.
pub const CACHE_PING_PATH: &str = "/__grove/cache-ping";

/// `n` bytes of HTML filler, with a reader page's headers if asked.
pub fn filler(n: usize, page_like: bool) -> Result<Response> {
    let h = Headers::new();
    if page_like {
        let modified = Some("Mon, 30 Nov 2026 00:00:00 GMT");
        for (name, value) in page_headers(200, HTML, "\"floor\"", modified, Edge::Hit) {
            h.set(name, value)?;
        }
        h.set(D1_QUERIES_HEADER, "0")?;
    } else {
        h.set("content-type", HTML)?;
    }
    Ok(ResponseBuilder::new().with_headers(h).fixed(vec![b'x'; n]))
}

/// The floor's answer for `url`, if it is a floor route this run serves.
/// The actor floor calls the actor as reader views do
/// ([`tenant_call::call`]) and passes its answer on the same way.
pub async fn answer(url: &Url, env: &Env, dev: bool) -> Option<Result<web_sys::Response>> {
    let floor = Floor::from_query(url.query());
    if url.path() == PING_PATH {
        let resp = match floor.bytes.filter(|_| dev) {
            Some(n) => filler(n, floor.page_headers),
            None => Response::ok("ok"),
        };
        return Some(resp.map(Into::into));
    }
    if url.path() == CACHE_PING_PATH && dev {
        let n = floor.bytes.unwrap_or(2);
        return Some(from_cache(n).await.map(Into::into));
    }
    if url.path() != ACTOR_PING_PATH || !dev {
        return None;
    }
    let ping = format!("{PING_URL}{}", floor.query());
    Some(match tenant_call::call(env, "ping", &ping, None).await {
        Ok(ActorReply::Answered(resp)) => Ok(resp),
        Ok(ActorReply::TimedOut) => {
            Response::error("the ping actor timed out", 503).map(Into::into)
        }
        Err(e) => Err(e),
    })
}

/// `n` bytes of filler as the Cache API keeps them, answered with a
/// page's headers: the work of an edge-cache hit without Grove's.
async fn from_cache(n: usize) -> Result<Response> {
    let key = format!("https://floor.internal/page-{n}");
    let cache = Cache::default();
    if let Some(mut hit) = cache.get(&key, true).await? {
        let body = hit.bytes().await?;
        let page = filler(0, true)?;
        return Ok(ResponseBuilder::new()
            .with_headers(page.headers().clone())
            .fixed(body));
    }
    let stored = Headers::new();
    stored.set("content-type", HTML)?;
    stored.set("cache-control", "public, max-age=86400")?;
    cache
        .put(
            &key,
            ResponseBuilder::new()
                .with_headers(stored)
                .fixed(vec![b'x'; n]),
        )
        .await?;
    filler(n, true)
}
