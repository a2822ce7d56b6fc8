//! A tenant with a small reader limit gets 429 after its budget and
//! recovers after the window; another tenant on the same worker does not notice.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::{grove, read};

#[tokio::test]
async fn a_small_override_runs_out_then_recovers_and_spares_other_tenants() {
    let g = grove();
    let limited = g.sign_up("limited").await;
    let neighbour = g.sign_up("neighbour").await;
    let set = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/limits", limited.tenant_id),
            Some(json!({"reader_requests": {"max": 3, "window_secs": 3}})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);

    let host = limited.host(&g);
    for i in 0..3 {
        assert_eq!(
            read(&g, &host, "/").await.status,
            200,
            "view {i} is within the budget"
        );
    }
    let over = read(&g, &host, "/").await;
    assert_eq!(over.status, 429, "the fourth view in the window is refused");
    let retry: u64 = over
        .header("retry-after")
        .and_then(|r| r.parse().ok())
        .expect("Retry-After");
    assert!((1..=3).contains(&retry), "Retry-After {retry}");
    assert_eq!(
        over.header("ratelimit-policy"),
        Some("\"reader_requests\";q=3;w=3")
    );
    assert!(over
        .header("ratelimit")
        .is_some_and(|r| r.starts_with("\"reader_requests\";r=0;")));
    assert!(over.body.contains("Slow down"), "a page for browsers");

    // The neighbour, on the same worker, is unaffected.
    for _ in 0..10 {
        assert_eq!(read(&g, &neighbour.host(&g), "/").await.status, 200);
    }

    // After the window (one token per second here), views are served again.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(read(&g, &host, "/").await.status, 200, "recovered");
}

#[tokio::test]
async fn an_override_applies_on_the_next_request_and_removing_it_restores_the_plan() {
    let g = grove();
    let o = g.sign_up("override").await;
    let host = o.host(&g);
    for _ in 0..5 {
        assert_eq!(read(&g, &host, "/").await.status, 200);
    }
    // Lower the limit below what was already used: the very next view is refused.
    let set = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/limits", o.tenant_id),
            Some(json!({"reader_requests": {"max": 2, "window_secs": 600}})),
        )
        .await;
    assert_eq!(set.status, 200);
    assert_eq!(read(&g, &host, "/").await.status, 429);

    let limits = g
        .ops(
            Method::GET,
            &format!("/tenants/{}/limits", o.tenant_id),
            None,
        )
        .await
        .json();
    let reader = limits["limits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["class"] == "reader_requests")
        .cloned()
        .unwrap();
    assert_eq!(
        (reader["max"].as_i64(), reader["source"].as_str()),
        (Some(2), Some("override"))
    );

    let removed = g
        .ops(
            Method::DELETE,
            &format!("/tenants/{}/limits/reader_requests", o.tenant_id),
            None,
        )
        .await;
    assert_eq!(removed.status, 200);
    let reader = removed.json()["limits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["class"] == "reader_requests")
        .cloned()
        .unwrap();
    assert_eq!(
        (reader["max"].as_i64(), reader["source"].as_str()),
        (Some(6_000), Some("plan"))
    );
    assert_eq!(
        read(&g, &host, "/").await.status,
        200,
        "back under the plan's limit on the next request"
    );
}

#[tokio::test]
async fn admin_writes_are_limited_and_the_api_says_so_in_json() {
    let g = grove();
    let o = g.sign_up("writes").await;
    let set = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/limits", o.tenant_id),
            Some(json!({"admin_writes": {"max": 2, "window_secs": 3600}})),
        )
        .await;
    assert_eq!(set.status, 200);
    for i in 0..2 {
        let r = o
            .api(
                &g,
                Method::POST,
                "/admin/api/posts",
                Some(json!({"title": format!("Post {i}")})),
            )
            .await;
        assert_eq!(r.status, 201);
        assert!(
            r.header("ratelimit")
                .is_some_and(|v| v.starts_with("\"admin_writes\";r=")),
            "the remaining budget is shown"
        );
    }
    let over = o
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "One too many"})),
        )
        .await;
    assert_eq!(over.status, 429);
    assert_eq!(over.json()["error"], "rate_limited");
    assert!(over.header("retry-after").is_some());
    let posts = o
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json();
    assert_eq!(
        posts.as_array().map(Vec::len),
        Some(2),
        "the refused write changed nothing"
    );
}

#[tokio::test]
async fn searches_past_the_search_limit_get_a_429_with_its_headers() {
    let g = grove();
    let searcher = g.sign_up("searchlimit").await;
    let set = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/limits", searcher.tenant_id),
            Some(json!({"search_queries": {"max": 3, "window_secs": 60}})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let host = searcher.host(&g);
    for i in 0..3 {
        assert_eq!(
            read(&g, &host, "/search?q=kale").await.status,
            200,
            "search {i}"
        );
    }
    let over = read(&g, &host, "/search?q=kale").await;
    assert_eq!(
        over.status, 429,
        "the fourth search in the window is refused"
    );
    assert!(over.header("retry-after").is_some());
    assert_eq!(
        over.header("ratelimit-policy"),
        Some("\"search_queries\";q=3;w=60")
    );
    assert_eq!(
        read(&g, &host, "/").await.status,
        200,
        "pages are not searches: the blog still reads"
    );
}
