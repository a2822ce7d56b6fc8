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

use grove_shared::protocol::{Floor, D1_QUERIES_HEADER, PING_URL, TENANT_DO_BINDING};
use grove_shared::reader_headers::{page_headers, Edge, HTML};
use worker::{Env, Headers, Response, ResponseBuilder, Result, Url};

/// A trivial route on every host (what the benchmark compares against).
pub const PING_PATH: &str = "/__grove/ping";
/// A trivial actor round trip, local runs only.
pub const ACTOR_PING_PATH: &str = "/__grove/actor-ping";

/// `n` bytes of HTML filler, with a reader page's headers if asked.
pub fn filler(n: usize, page_like: bool) -> Result<Response> {
    let h = Headers::new();
    if page_like {
        let modified = Some("Mon, 30 Nov 2026 00:00:00 GMT");
        for (name, value) in page_headers(200, "\"floor\"", modified, Edge::Hit) {
            h.set(name, value)?;
        }
        h.set(D1_QUERIES_HEADER, "0")?;
    } else {
        h.set("content-type", HTML)?;
    }
    Ok(ResponseBuilder::new().with_headers(h).fixed(vec![b'x'; n]))
}

/// The floor's answer for `url`, if it is a floor route this run serves.
pub async fn answer(url: &Url, env: &Env, dev: bool) -> Option<Result<Response>> {
    let floor = Floor::from_query(url.query());
    if url.path() == PING_PATH {
        return Some(match floor.bytes.filter(|_| dev) {
            Some(n) => filler(n, floor.page_headers),
            None => Response::ok("ok"),
        });
    }
    if url.path() != ACTOR_PING_PATH || !dev {
        return None;
    }
    let call = async {
        let stub = env.durable_object(TENANT_DO_BINDING)?.get_by_name("ping")?;
        stub.fetch_with_str(&format!("{PING_URL}{}", floor.query()))
            .await
    };
    Some(call.await)
}
