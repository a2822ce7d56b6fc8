//! The read path never touches D1 once hot, the edge cache serves
//! anonymous repeats, and no cache is ever stale after a write. Figures
//! come from the platform's own D1 counter (`x-grove-d1-queries`, local
//! runs only), the `x-grove-edge` header and the actor's stats (ops API).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::json;

mod custom_domain;
mod spellings;
mod tags;

fn d1(reply: &Reply) -> u64 {
    reply
        .header("x-grove-d1-queries")
        .and_then(|v| v.parse().ok())
        .expect("the D1 counter header (DEV_METRICS)")
}

async fn get(g: &Grove, host: &str, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = g.request(Method::GET, host, path);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    g.send(req).await
}

/// A new blog with one published post.
async fn blog_with_post(g: &Grove, name: &str, title: &str, markdown: &str) -> Owner {
    let o = g.sign_up(name).await;
    let body = json!({"title": title, "markdown": markdown, "status": "published"});
    let created = o.api(g, Method::POST, "/admin/api/posts", Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    o
}

#[tokio::test]
async fn repeated_views_of_a_published_post_make_no_d1_queries() {
    let g = Grove::from_env();
    let o = blog_with_post(&g, "hot", "Hot Post", "Served from memory.").await;
    let host = o.host(&g);
    assert_eq!(get(&g, &host, "/blog/hot-post", None).await.status, 200);
    // Anonymous readers: served by the edge after the first view.
    for i in 0..10 {
        let r = get(&g, &host, "/blog/hot-post", None).await;
        assert_eq!(
            (r.status, r.header("x-grove-edge")),
            (200, Some("hit")),
            "view {i}"
        );
        assert_eq!(d1(&r), 0, "view {i} touched D1");
    }
    // Readers with a session bypass the edge: the actor serves them from memory.
    for i in 0..10 {
        let r = get(&g, &host, "/blog/hot-post", Some("grove_session=someone")).await;
        assert_eq!(
            (r.status, r.header("x-grove-edge")),
            (200, Some("bypass")),
            "view {i}"
        );
        assert_eq!(d1(&r), 0, "view {i} touched D1");
    }
    let stats = g
        .ops(
            Method::GET,
            &format!("/tenants/{}/stats", o.tenant_id),
            None,
        )
        .await;
    assert_eq!(stats.status, 200, "{}", stats.body);
    let cache = &stats.json()["actor"]["cache"];
    assert!(cache["hits"].as_u64().unwrap_or(0) >= 10, "{cache}");
    assert!(
        cache["bytes"].as_u64().unwrap_or(u64::MAX) <= cache["budget_bytes"].as_u64().unwrap_or(0)
    );
}

#[tokio::test]
async fn the_location_cache_serves_once_the_isolates_own_copy_has_expired() {
    let g = Grove::from_env();
    let o = blog_with_post(&g, "layers", "Layered", "Two edge layers.").await;
    let host = o.host(&g);
    let stats_path = format!("/tenants/{}/stats", o.tenant_id);
    let first = get(&g, &host, "/blog/layered", None).await;
    assert_eq!(first.header("x-grove-edge"), Some("miss"));
    let actor_hits = |s: &Reply| s.json()["actor"]["cache"]["hits"].as_u64().unwrap_or(0);
    let before = actor_hits(&g.ops(Method::GET, &stats_path, None).await);
    // The isolate's copy lives 1 s (edge_memory::TTL_MS); the Cache API's 60 s.
    tokio::time::sleep(std::time::Duration::from_millis(1_300)).await;
    for i in 0..3 {
        let r = get(&g, &host, "/blog/layered", None).await;
        assert_eq!(
            (r.status, r.header("x-grove-edge")),
            (200, Some("hit")),
            "view {i}"
        );
        assert_eq!(r.body, first.body, "view {i}");
        assert_eq!(d1(&r), 0, "view {i} touched D1");
    }
    let after = actor_hits(&g.ops(Method::GET, &stats_path, None).await);
    assert_eq!(after, before, "no view reached the actor");
}

#[tokio::test]
async fn a_write_is_seen_by_the_next_read_with_no_stale_cache_anywhere() {
    let g = Grove::from_env();
    let o = g.sign_up("fresh").await;
    let host = o.host(&g);
    let body = json!({"title": "Changing", "markdown": "version one", "status": "published"});
    let id = o
        .api(&g, Method::POST, "/admin/api/posts", Some(body))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..3 {
        assert!(get(&g, &host, "/blog/changing", None)
            .await
            .body
            .contains("version one"));
        assert!(get(&g, &host, "/", None).await.body.contains("version one"));
    }
    assert_eq!(
        get(&g, &host, "/blog/changing", None)
            .await
            .header("x-grove-edge"),
        Some("hit"),
        "it was cached"
    );
    let edit = json!({"title": "Changing", "markdown": "version two", "status": "published", "version": 1});
    assert_eq!(
        o.api(
            &g,
            Method::PUT,
            &format!("/admin/api/posts/{id}"),
            Some(edit)
        )
        .await
        .status,
        200
    );
    let after = get(&g, &host, "/blog/changing", None).await;
    assert!(
        after.body.contains("version two") && !after.body.contains("version one"),
        "anonymous reader, edge purged"
    );
    assert!(
        get(&g, &host, "/", None).await.body.contains("version two"),
        "the home page excerpt too"
    );
    assert!(
        o.page(&g, "/blog/changing")
            .await
            .body
            .contains("version two"),
        "the owner sees it too"
    );
}

#[tokio::test]
async fn a_matching_if_none_match_gets_a_304() {
    let g = Grove::from_env();
    let host = format!("meadow.{}", g.base_domain);
    let first = get(&g, &host, "/about", None).await;
    assert_eq!(first.status, 200);
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(first
        .header("last-modified")
        .is_some_and(|l| l.ends_with(" GMT")));
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=0, must-revalidate")
    );
    for _ in 0..2 {
        // Once from the actor's answer, once from the edge's copy.
        let again = g
            .send(
                g.request(Method::GET, &host, "/about")
                    .header("if-none-match", &etag),
            )
            .await;
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
    }
    let other = g
        .send(
            g.request(Method::GET, &host, "/about")
                .header("if-none-match", "\"something-else\""),
        )
        .await;
    assert_eq!(other.status, 200);
}

#[tokio::test]
async fn view_counts_reach_d1_in_one_flush_and_the_admin_shows_them() {
    let g = Grove::from_env();
    let o = blog_with_post(&g, "views", "Counted Post", "Count me.").await;
    let host = o.host(&g);
    for _ in 0..7 {
        // Views that reach the actor (a session cookie bypasses the edge cache).
        assert_eq!(
            get(
                &g,
                &host,
                "/blog/counted-post",
                Some("grove_session=reader")
            )
            .await
            .status,
            200
        );
    }
    let before = o
        .api(&g, Method::GET, "/admin/api/views", None)
        .await
        .json();
    assert_eq!(
        before["counted-post"], 0,
        "buffered in the actor, not yet in D1"
    );
    tokio::time::sleep(std::time::Duration::from_millis(6_000)).await;
    let after = o
        .api(&g, Method::GET, "/admin/api/views", None)
        .await
        .json();
    assert_eq!(after["counted-post"], 7, "flushed by the alarm");
    let dashboard = o.page(&g, "/admin").await;
    assert!(
        dashboard
            .body
            .contains("<td class=\"num\" data-label=\"Views\">7</td>"),
        "the admin shows them"
    );
}

#[tokio::test]
async fn views_served_by_the_edge_are_counted_too() {
    let g = Grove::from_env();
    let o = blog_with_post(&g, "edgeviews", "Popular", "Everyone reads this.").await;
    let host = o.host(&g);
    // One view reaches the actor (edge miss); the next 20 are edge hits
    // (from the isolate's memory or the Cache API), which the router hands
    // over as one batch 2 s after the first.
    for i in 0..21 {
        let r = get(&g, &host, "/blog/popular", None).await;
        assert_eq!(
            r.header("x-grove-edge"),
            Some(if i == 0 { "miss" } else { "hit" })
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(6_500)).await;
    let views = o
        .api(&g, Method::GET, "/admin/api/views", None)
        .await
        .json();
    assert_eq!(views["popular"], 21, "{views}");
}
