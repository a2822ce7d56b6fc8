//! The read path never touches D1 once hot: figures from the platform's
//! own D1 counter (`x-grove-d1-queries`, local runs only) and the actor's
//! stats on the ops API.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use grove_tests::Grove;
use reqwest::Method;
use serde_json::json;

fn d1(reply: &grove_tests::Reply) -> u64 {
    reply
        .header("x-grove-d1-queries")
        .and_then(|v| v.parse().ok())
        .expect("the D1 counter header (DEV_METRICS)")
}

#[tokio::test]
async fn repeated_views_of_a_published_post_make_no_d1_queries() {
    let g = Grove::from_env();
    let o = g.sign_up("hot").await;
    let created = o.api(&g, Method::POST, "/admin/api/posts", Some(json!({"title": "Hot Post", "markdown": "Served from memory.", "status": "published"}))).await;
    assert_eq!(created.status, 201);
    let host = o.host(&g);
    let first = g
        .send(g.request(Method::GET, &host, "/blog/hot-post"))
        .await;
    assert_eq!(first.status, 200);
    for i in 0..20 {
        let r = g
            .send(g.request(Method::GET, &host, "/blog/hot-post"))
            .await;
        assert_eq!(r.status, 200);
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
    assert!(cache["hits"].as_u64().unwrap_or(0) >= 20, "{cache}");
    assert!(
        cache["bytes"].as_u64().unwrap_or(u64::MAX) <= cache["budget_bytes"].as_u64().unwrap_or(0)
    );
}

#[tokio::test]
async fn a_write_is_seen_by_the_next_read_with_no_stale_cache() {
    let g = Grove::from_env();
    let o = g.sign_up("fresh").await;
    let host = o.host(&g);
    let created = o
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Changing", "markdown": "version one", "status": "published"})),
        )
        .await;
    let id = created.json()["id"].as_str().unwrap().to_string();
    for _ in 0..3 {
        assert!(g
            .send(g.request(Method::GET, &host, "/blog/changing"))
            .await
            .body
            .contains("version one"));
    }
    let edited = o
        .api(&g, Method::PUT, &format!("/admin/api/posts/{id}"), Some(json!({"title": "Changing", "markdown": "version two", "status": "published", "version": 1})))
        .await;
    assert_eq!(edited.status, 200);
    let after = g
        .send(g.request(Method::GET, &host, "/blog/changing"))
        .await;
    assert!(after.body.contains("version two") && !after.body.contains("version one"));
    let owner_view = o.page(&g, "/blog/changing").await;
    assert!(
        owner_view.body.contains("version two"),
        "the owner sees it too"
    );
}
