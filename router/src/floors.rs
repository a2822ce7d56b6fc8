//! The benchmark's floors: routes that do nothing but answer, so `make
//! bench` can show what the runtime itself costs next to Grove's paths.
//!
//! - `/__grove/ping`: "ok", on every host, always (no lookup, no actor).
//! - `/__grove/ping?bytes=N`: N bytes of HTML filler (local runs only): the
//!   floor for answering with a page of that size.
//! - `/__grove/actor-ping[?bytes=N]`: the same, from a TenantDO (local runs
//!   only): the floor of any actor path, called the way reader views are.

use grove_shared::protocol::{PING_URL, TENANT_DO_BINDING};
use worker::{Env, Response, ResponseBuilder, Result, Url};

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

/// `n` bytes of HTML filler.
pub fn filler(n: usize) -> Response {
    let h = worker::Headers::new();
    let _ = h.set("content-type", "text/html; charset=utf-8");
    ResponseBuilder::new().with_headers(h).fixed(vec![b'x'; n])
}

/// The floor's answer for `url`, if it is a floor route this run serves.
pub async fn answer(url: &Url, env: &Env, dev: bool) -> Option<Result<Response>> {
    if url.path() == PING_PATH {
        return Some(Ok(match filler_bytes(url.query()).filter(|_| dev) {
            Some(n) => filler(n),
            None => Response::ok("ok").unwrap_or_else(|_| filler(2)),
        }));
    }
    if url.path() != ACTOR_PING_PATH || !dev {
        return None;
    }
    let call = async {
        let stub = env.durable_object(TENANT_DO_BINDING)?.get_by_name("ping")?;
        let target = match filler_bytes(url.query()) {
            Some(n) => format!("{PING_URL}?bytes={n}"),
            None => PING_URL.to_string(),
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
    }
}
