//! Rate limits and the ops API against the real Workers runtime: budgets,
//! 429s and recovery, overrides on the next request, isolation between
//! tenants, sign-in throttling, the ops token, suspension, and a load check
//! of the stated accuracy.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]

mod load;
mod ops;
mod reader;
mod sign_in;

use grove_tests::Grove;

pub fn grove() -> Grove {
    Grove::from_env()
}

/// An anonymous reader's GET.
pub async fn read(g: &Grove, host: &str, path: &str) -> grove_tests::Reply {
    g.send(g.request(reqwest::Method::GET, host, path)).await
}
