//! D1 statements per request, for tests and the benchmark.
//!
//! Each request carries its own [`RequestMetrics`]; the router counts the
//! D1 statements of the reader path (host lookups that miss the memo and
//! KV, the apex listing) and adds the actor's count from its response.
//! Clients see the total in `x-grove-d1-queries` only when the
//! `DEV_METRICS` var is `true` (local runs); otherwise no one sets it.

use std::cell::Cell;

use grove_shared::protocol::D1_QUERIES_HEADER;
use worker::{web_sys, Env, Result};

/// Figures of one request.
#[derive(Debug, Default)]
pub struct RequestMetrics {
    d1: Cell<u64>,
}

impl RequestMetrics {
    /// Records `n` D1 statements run by the router for this request.
    pub fn count_d1(&self, n: u64) {
        self.d1.set(self.d1.get() + n);
    }

    /// Adds the router's count to the D1 header on the way out (local runs
    /// only; in production no one sets the header). A response an actor
    /// finished already carries its count and, when the router counted
    /// none, passes untouched.
    pub fn finish(&self, resp: web_sys::Response, env: &Env) -> Result<web_sys::Response> {
        if !grove_tenant_do::env_config::dev_metrics(env) {
            return Ok(resp);
        }
        let headers = resp.headers();
        let actor: Option<u64> = headers.get(D1_QUERIES_HEADER)?.and_then(|v| v.parse().ok());
        if actor.is_some() && self.d1.get() == 0 {
            return Ok(resp);
        }
        let total = (actor.unwrap_or(0) + self.d1.get()).to_string();
        if headers.set(D1_QUERIES_HEADER, &total).is_ok() {
            return Ok(resp);
        }
        // An actor's response has immutable headers: answer with a copy.
        let copy = web_sys::Headers::new_with_headers(&headers)?;
        copy.set(D1_QUERIES_HEADER, &total)?;
        let init = web_sys::ResponseInit::new();
        init.set_status(resp.status());
        init.set_headers_headers(&copy);
        Ok(web_sys::Response::new_with_opt_readable_stream_and_init(
            resp.body().as_ref(),
            &init,
        )?)
    }
}
