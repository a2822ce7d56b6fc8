//! D1 statements per request, for tests and the benchmark.
//!
//! Each request carries its own [`RequestMetrics`]; the router counts the
//! D1 statements of the reader path (host lookups that miss the memo and
//! KV, the apex listing) and adds the actor's count from its response.
//! Clients see the total in `x-grove-d1-queries` only when the
//! `DEV_METRICS` var is `true` (local runs); otherwise the header is removed.

use std::cell::Cell;

use grove_shared::protocol::D1_QUERIES_HEADER;
use worker::{Env, Response, Result};

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

    /// Sets (local runs) or removes (production) the D1 header on the way out.
    pub fn finish(&self, resp: Response, env: &Env) -> Result<Response> {
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
            resp.headers()
                .set(D1_QUERIES_HEADER, &(actor + self.d1.get()).to_string())?;
        } else {
            resp.headers().delete(D1_QUERIES_HEADER)?;
        }
        Ok(resp)
    }
}
