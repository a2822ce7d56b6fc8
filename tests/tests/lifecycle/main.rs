//! A blog's life after sign-up, end to end against `wrangler dev`: the
//! setup wizard (steps saved, skipped, resumed; the dashboard's
//! checklist), renaming the subdomain (the old name's redirect and hold,
//! sessions kept, canonical links), and leaving (the export; a deletion
//! that leaves nothing of the blog in D1, R2 or KV and nothing else
//! touched; refusals; a deletion cut short and finished by the alarm).
//! Each test signs up its own blogs.

// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

mod deletion;
mod rename;
mod wizard;

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::{json, Value};

pub fn grove() -> Grove {
    Grove::from_env()
}

/// An anonymous GET of `path` on `host`.
pub async fn read(g: &Grove, host: &str, path: &str) -> Reply {
    g.send(g.request(Method::GET, host, path)).await
}

/// A GET of `path` on `host` with `o`'s session cookie.
pub async fn page_on(g: &Grove, o: &Owner, host: &str, path: &str) -> Reply {
    g.send(
        g.request(Method::GET, host, path)
            .header("cookie", format!("grove_session={}", o.session)),
    )
    .await
}

/// Publishes a post through the API; answers it.
pub async fn publish(g: &Grove, o: &Owner, title: &str) -> Value {
    let r = o
        .api(
            g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({ "title": title, "markdown": format!("The text of *{title}*."), "status": "published" })),
        )
        .await;
    assert_eq!(r.status, 201, "publish {title}: {}", r.body);
    r.json()
}

/// `/admin/api/me` of `o`.
pub async fn me(g: &Grove, o: &Owner) -> Value {
    let r = o.api(g, Method::GET, "/admin/api/me", None).await;
    assert_eq!(r.status, 200, "me: {}", r.body);
    r.json()
}
