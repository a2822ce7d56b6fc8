//! Owners end to end: accounts and sessions, every write through the
//! TenantDO, isolation between tenants, CSRF, forms kept across a sign-in,
//! concurrency and scheduling, against the real Workers runtime. Each test signs up its own blogs so it
//! never disturbs the demo blogs the reader tests check.

// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

mod accounts;
mod concurrency;
mod csrf;
mod editor;
mod held;
mod isolation;
mod plans;
mod scheduling;
mod writes;

use grove_tests::Grove;

pub fn grove() -> Grove {
    Grove::from_env()
}

/// An anonymous GET of a public page on `host`.
pub async fn read(g: &Grove, host: &str, path: &str) -> grove_tests::Reply {
    g.send(g.request(reqwest::Method::GET, host, path)).await
}
