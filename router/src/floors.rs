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

use grove_shared::protocol::{D1_QUERIES_HEADER, PING_URL, TENANT_DO_BINDING};
use grove_shared::reader_headers::{cache_control, Edge, EDGE_HEADER, HTML};
use worker::{Env, Headers, Response, ResponseBuilder, Result, Url};

use crate::respond;

/// A trivial route on every host (what the benchmark compares against).
pub const PING_PATH: &str = "/__grove/ping";
/// A trivial actor round trip, local runs only.
pub const ACTOR_PING_PATH: &str = "/__grove/actor-ping";
/// The largest filler a floor route sends.
pub const MAX_FILLER_BYTES: usize = 1024 * 1024;

/// `?bytes=N` of a floor URL, if asked for and within bounds.
pub fn filler_bytes(query: Option<&str>) -> Option<usize> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("bytes="))
        .and_then(|n| n.parse().ok())
        .filter(|n| *n <= MAX_FILLER_BYTES)
}

/// Whether a floor URL asks for a reader page's headers.
pub fn page_headers(query: Option<&str>) -> bool {
    query.is_some_and(|q| q.split('&').any(|pair| pair == "headers=page"))
}

/// `n` bytes of HTML filler, with a reader page's headers if asked.
pub fn filler(n: usize, page_like: bool) -> Result<Response> {
    let h = Headers::new();
    h.set("content-type", HTML)?;
    if page_like {
        h.set("etag", "\"floor\"")?;
        h.set("last-modified", "Mon, 30 Nov 2026 00:00:00 GMT")?;
        h.set("cache-control", cache_control(200, Edge::Hit))?;
        h.set(EDGE_HEADER, Edge::Hit.as_str())?;
        respond::add_security_headers(&h, respond::SELF_ONLY)?;
        h.set(D1_QUERIES_HEADER, "0")?;
    }
    Ok(ResponseBuilder::new().with_headers(h).fixed(vec![b'x'; n]))
}

/// The floor's answer for `url`, if it is a floor route this run serves.
pub async fn answer(url: &Url, env: &Env, dev: bool) -> Option<Result<Response>> {
    if url.path() == PING_PATH {
        return Some(match filler_bytes(url.query()).filter(|_| dev) {
            Some(n) => filler(n, page_headers(url.query())),
            None => Response::ok("ok"),
        });
    }
    if url.path() != ACTOR_PING_PATH || !dev {
        return None;
    }
    let call = async {
        let stub = env.durable_object(TENANT_DO_BINDING)?.get_by_name("ping")?;
        let target = match (filler_bytes(url.query()), page_headers(url.query())) {
            (Some(n), true) => format!("{PING_URL}?bytes={n}&headers=page"),
            (Some(n), false) => format!("{PING_URL}?bytes={n}"),
            (None, _) => PING_URL.to_string(),
        };
        stub.fetch_with_str(&target).await
    };
    Some(call.await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_sizes_are_read_and_bounded() {
        assert_eq!(filler_bytes(Some("bytes=12800")), Some(12_800));
        assert_eq!(filler_bytes(Some("a=1&bytes=5")), Some(5));
        assert_eq!(filler_bytes(Some("bytes=99999999")), None);
        assert_eq!(filler_bytes(Some("bytes=x")), None);
        assert_eq!(filler_bytes(None), None);
        assert!(page_headers(Some("bytes=5&headers=page")));
        assert!(!page_headers(Some("bytes=5")) && !page_headers(None));
    }
}
