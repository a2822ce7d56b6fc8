//! Custom domains end to end, against the real runtime: a domain goes
//! pending (its records shown, its host answering "No blog here"), is
//! verified through the local DNS resolver (records set on the ops host's
//! `/dev/dns`), serves the blog, becomes the primary address (the
//! subdomain and the www alias redirect to it, canonical links name it),
//! and is removed; the plan's quota, other blogs' claims, bad names and
//! other owners are refused.
//!
//! The paid blog is the demo seed's `harbor` (sign-up makes free blogs);
//! its tests take turns ([`harbor`]) and leave it with no domain.

// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

mod claims;
mod journey;
mod quota;
mod refusals;

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::{Mutex, MutexGuard};

pub fn grove() -> Grove {
    Grove::from_env()
}

/// The paid demo blog, signed in, for one test at a time, with no custom
/// domain (whatever an earlier test that failed left).
pub async fn harbor(g: &Grove) -> (MutexGuard<'static, ()>, Owner) {
    static TURN: Mutex<()> = Mutex::const_new(());
    let turn = TURN.lock().await;
    let owner = g
        .sign_in("harbor@grove.localhost", "harbor-demo-2026", "harbor")
        .await;
    let list = owner
        .api(g, Method::GET, "/admin/api/domains", None)
        .await
        .json();
    for d in list["domains"].as_array().into_iter().flatten() {
        remove(g, &owner, d["host"].as_str().unwrap_or_default()).await;
    }
    (turn, owner)
}

/// A GET of `path` on `host` (any host), as an anonymous reader.
pub async fn read(g: &Grove, host: &str, path: &str) -> Reply {
    g.send(g.request(Method::GET, host, path)).await
}

/// Where custom domains point in local runs.
pub fn target(g: &Grove) -> String {
    format!("domains.{}", g.base_domain)
}

/// Sets the local resolver's records of `name` (`{"TXT": [...], ...}`).
pub async fn set_dns(g: &Grove, name: &str, records: Value) {
    let r = g
        .ops(Method::PUT, &format!("/dev/dns/{name}"), Some(records))
        .await;
    assert_eq!(r.status, 200, "PUT /dev/dns/{name}: {}", r.body);
}

/// The records Grove asks for `host` to be verified (and its alias's).
pub async fn create_records(g: &Grove, owner: &Owner, host: &str) {
    let d = owner
        .api(g, Method::GET, &format!("/admin/api/domains/{host}"), None)
        .await
        .json();
    for record in d["records"].as_array().expect("records") {
        let (kind, name, value) = (
            record["type"].as_str().unwrap(),
            record["name"].as_str().unwrap(),
            record["value"].as_str().unwrap(),
        );
        set_dns(g, name, json!({ kind: [value] })).await;
    }
}

/// Adds `host` to `owner`'s blog through the API.
pub async fn add(g: &Grove, owner: &Owner, host: &str, alias: bool) -> Reply {
    owner
        .api(
            g,
            Method::POST,
            "/admin/api/domains",
            Some(json!({"host": host, "alias": alias})),
        )
        .await
}

/// Removes `host` from `owner`'s blog (200 or 404 both leave it gone).
pub async fn remove(g: &Grove, owner: &Owner, host: &str) {
    let r = owner
        .api(
            g,
            Method::DELETE,
            &format!("/admin/api/domains/{host}"),
            None,
        )
        .await;
    assert!(matches!(r.status, 200 | 404), "DELETE {host}: {}", r.body);
}

/// A domain name no other test or run uses.
pub fn fresh_domain(prefix: &str) -> String {
    format!("{}.example", grove_tests::owner::unique(prefix))
}
