//! D1 statements per request, for tests and the benchmark.
//!
//! The router counts its own D1 statements (host lookups on a memo miss,
//! the apex listing, session checks) and adds the actor's count from its
//! response. Clients see the total in `x-grove-d1-queries` only when the
//! `DEV_METRICS` var is `true` (local runs); otherwise the header is removed.

use std::cell::Cell;

use grove_shared::protocol::D1_QUERIES_HEADER;
use worker::{Env, Response, Result};

thread_local! {
    // One request at a time per isolate thread between awaits is not
    // guaranteed, so concurrent requests can share this figure; it is a
    // development metric, exact when requests do not overlap.
    static ROUTER_D1: Cell<u64> = const { Cell::new(0) };
}

/// Starts counting for a new request.
pub fn reset() {
    ROUTER_D1.with(|c| c.set(0));
}

/// Records `n` D1 statements run by the router.
pub fn count_d1(n: u64) {
    ROUTER_D1.with(|c| c.set(c.get() + n));
}

/// Sets (local runs) or removes (production) the D1 header on the way out.
pub fn finish(resp: Response, env: &Env) -> Result<Response> {
    let on = env
        .var("DEV_METRICS")
        .map(|v| v.to_string() == "true")
        .unwrap_or(false);
    let actor: u64 = resp
        .headers()
        .get(D1_QUERIES_HEADER)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if on {
        let total = actor + ROUTER_D1.with(Cell::get);
        resp.headers().set(D1_QUERIES_HEADER, &total.to_string())?;
    } else {
        resp.headers().delete(D1_QUERIES_HEADER)?;
    }
    Ok(resp)
}
