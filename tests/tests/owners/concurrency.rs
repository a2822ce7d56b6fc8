//! Writes for a tenant happen one at a time in its actor: concurrent edits
//! are either accepted in order or refused with 409, never lost silently.

use std::collections::HashMap;

use futures_like::join_all;
use reqwest::Method;
use serde_json::json;

use crate::grove;

/// `join_all` without another dependency: spawn and await in order.
mod futures_like {
    pub async fn join_all<T: Send + 'static>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            out.push(t.await.expect("task finished"));
        }
        out
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_edits_from_two_sessions_are_ordered_or_refused() {
    let g = std::sync::Arc::new(grove());
    let first = g.sign_up("race").await;
    let second = g
        .sign_in(&first.email, &first.password, &first.subdomain)
        .await;
    let created = first
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Contested", "markdown": "v1", "status": "published"})),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let tasks = (0..20u64)
        .map(|i| {
            let g = g.clone();
            let owner = if i % 2 == 0 { first.clone() } else { second.clone() };
            let id = id.clone();
            tokio::spawn(async move {
                // Editors start a few ms apart, so some see others' saves and some do not.
                tokio::time::sleep(std::time::Duration::from_millis(i * 7)).await;
                // Each editor opens the post, then saves its edit based on what it saw.
                let seen = owner.api(&g, Method::GET, &format!("/admin/api/posts/{id}"), None).await.json();
                let version = seen["version"].as_i64().unwrap_or_default();
                let body = json!({"title": "Contested", "markdown": format!("edit {i}"), "status": "published", "version": version});
                let r = owner.api(&g, Method::PUT, &format!("/admin/api/posts/{id}"), Some(body)).await;
                (i, r.status, r.json())
            })
        })
        .collect();
    let results = join_all(tasks).await;

    let accepted: HashMap<i64, String> = results
        .iter()
        .filter(|(_, status, _)| *status == 200)
        .map(|(i, _, post)| {
            (
                post["version"].as_i64().unwrap_or_default(),
                format!("edit {i}"),
            )
        })
        .collect();
    let conflicts = results
        .iter()
        .filter(|(_, status, _)| *status == 409)
        .count();
    println!(
        "20 parallel edits: {} accepted, {conflicts} refused with 409",
        accepted.len()
    );
    assert_eq!(
        accepted.len() + conflicts,
        20,
        "every edit was accepted or got 409: {results:?}"
    );
    assert!(!accepted.is_empty(), "at least the first edit wins");
    assert_eq!(
        accepted.len(),
        results.iter().filter(|(_, s, _)| *s == 200).count(),
        "no two accepted edits share a version"
    );

    let history = first
        .api(
            &g,
            Method::GET,
            &format!("/admin/api/posts/{id}/history"),
            None,
        )
        .await
        .json();
    let history = history.as_array().cloned().unwrap_or_default();
    let versions: Vec<i64> = history
        .iter()
        .map(|r| r["version"].as_i64().unwrap_or_default())
        .collect();
    let expected: Vec<i64> = (1..=(1 + accepted.len() as i64)).collect();
    assert_eq!(
        versions, expected,
        "history is gap-free, one version per accepted write"
    );
    for rev in &history[1..] {
        let v = rev["version"].as_i64().unwrap_or_default();
        assert_eq!(
            rev["markdown"].as_str(),
            accepted.get(&v).map(String::as_str),
            "version {v} holds the edit that was acknowledged with it"
        );
    }
    let last = accepted.keys().max().copied().unwrap_or_default();
    let page = crate::read(&g, &first.host(&g), "/blog/contested").await;
    assert!(
        page.body.contains(&format!("<p>{}</p>", accepted[&last])),
        "readers see the last accepted edit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_creates_with_one_slug_have_exactly_one_winner() {
    let g = std::sync::Arc::new(grove());
    let owner = g.sign_up("slugrace").await;
    let tasks = (0..20)
        .map(|i| {
            let g = g.clone();
            let owner = owner.clone();
            tokio::spawn(async move {
                let body = json!({"title": format!("Same Slug {i}"), "slug": "same-slug", "markdown": format!("creator {i}")});
                owner.api(&g, Method::POST, "/admin/api/posts", Some(body)).await.status
            })
        })
        .collect();
    let statuses = join_all(tasks).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        19,
        "{statuses:?}"
    );
    let posts = owner
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json();
    assert_eq!(posts.as_array().map(Vec::len), Some(1));
}
