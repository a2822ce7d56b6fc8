//! Rate limits and the ops API against the real Workers runtime: budgets,
//! 429s and recovery, overrides on the next request, isolation between
//! tenants, sign-in and sign-up limits, the ops token, suspension, and a load check
//! of the stated accuracy.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]

mod load;
mod ops;
mod reader;
mod sign_in;
mod sign_up;

use grove_tests::Grove;

pub fn grove() -> Grove {
    Grove::from_env()
}

/// An anonymous reader's GET of a URL no one asked for before (a fresh
/// query string), so it passes the edge cache and reaches the tenant's
/// actor, where reader limits apply, as a cache-busting client's would.
pub async fn read(g: &Grove, host: &str, path: &str) -> grove_tests::Reply {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let sep = if path.contains('?') { '&' } else { '?' };
    g.send(g.request(
        reqwest::Method::GET,
        host,
        &format!("{path}{sep}uncached={n}"),
    ))
    .await
}
