//! Nothing acknowledged is lost: after a write is acknowledged, restarting
//! `wrangler dev` on the same state (a cold actor, a new isolate) shows it.
//! This test runs its own platform so that it can restart it.

use grove_tests::platform::LocalPlatform;
use grove_tests::{seed, Grove};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn acknowledged_writes_survive_a_restart() {
    let state = LocalPlatform::fresh_state("durability");
    let mut platform = LocalPlatform::start(&state);
    let g = Grove::at(platform.port);
    let user = &seed::demo().users[0];
    let owner = g.sign_in(&user.email, &user.password, "autumn").await;
    let host = owner.host(&g);

    let created = owner
        .api(&g, Method::POST, "/admin/api/posts", Some(json!({"title": "Survives Restarts", "markdown": "Still here.", "status": "published"})))
        .await;
    assert_eq!(created.status, 201);
    let settings = owner
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"site_description": "Written before the restart."})),
        )
        .await;
    assert_eq!(settings.status, 200);
    let page = owner
        .api(
            &g,
            Method::POST,
            "/admin/api/pages",
            Some(json!({"title": "Colophon", "markdown": "Set in type."})),
        )
        .await;
    assert_eq!(page.status, 201);

    platform.stop();
    let platform = LocalPlatform::start(&state);
    let g = Grove::at(platform.port);
    let read = |path: &'static str| {
        let g = &g;
        let host = host.clone();
        async move { g.send(g.request(Method::GET, &host, path)).await }
    };
    let post = read("/blog/survives-restarts").await;
    assert_eq!(post.status, 200);
    assert!(post.body.contains("Still here."));
    assert!(read("/").await.body.contains("Written before the restart."));
    assert!(read("/colophon").await.body.contains("Set in type."));
    // The session, too, is stored, not held in memory.
    let me = g
        .send(
            g.request(Method::GET, &host, "/admin/api/me")
                .header("cookie", format!("grove_session={}", owner.session)),
        )
        .await;
    assert_eq!(me.status, 200);
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}

#[tokio::test]
async fn limits_and_overrides_survive_a_restart() {
    let state = LocalPlatform::fresh_state("limits-durability");
    let mut platform = LocalPlatform::start(&state);
    let g = platform.grove();
    let user = &seed::demo().users[1];
    let owner = g.sign_in(&user.email, &user.password, "meadow").await;
    let set = g
        .ops(
            Method::PUT,
            "/tenants/t_meadow/limits",
            Some(json!({"admin_writes": {"max": 2, "window_secs": 3600}})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    for i in 0..2 {
        let r = owner
            .api(
                &g,
                Method::POST,
                "/admin/api/posts",
                Some(json!({"title": format!("Before restart {i}")})),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    // A suspension holds across a restart: the actor keeps it in D1 and in
    // its own storage, with no message needed after the restart.
    let suspended = g.ops(Method::POST, "/tenants/t_autumn/suspend", None).await;
    assert_eq!(suspended.status, 200, "{}", suspended.body);

    platform.stop();
    let platform = LocalPlatform::start(&state);
    let g = platform.grove();
    let autumn = format!("autumn.{}", g.base_domain);
    assert_eq!(view(&g, &autumn, "/").await.status, 503, "still suspended");
    assert_eq!(g.get(&autumn, "/").await.status, 503, "edge readers too");
    let limits = g
        .ops(Method::GET, "/tenants/t_meadow/limits", None)
        .await
        .json();
    let writes = limits["limits"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["class"] == "admin_writes").cloned())
        .unwrap_or_default();
    assert_eq!(
        (
            writes["max"].as_i64(),
            writes["source"].as_str(),
            writes["remaining"].as_i64()
        ),
        (Some(2), Some("override"), Some(0))
    );
    let over = owner
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "After restart"})),
        )
        .await;
    assert_eq!(
        over.status, 429,
        "the hour-long budget spent before the restart is still spent"
    );
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}

/// A reader's view that reaches the actor (any session cookie bypasses the edge cache).
async fn view(g: &Grove, host: &str, path: &str) -> grove_tests::Reply {
    g.send(
        g.request(Method::GET, host, path)
            .header("cookie", "grove_session=reader"),
    )
    .await
}

#[tokio::test]
async fn a_restarted_actor_serves_published_pages_without_d1() {
    let state = LocalPlatform::fresh_state("cold-restart");
    let mut platform = LocalPlatform::start(&state);
    let g = platform.grove();
    let host = format!("autumn.{}", g.base_domain);
    for path in ["/blog/rust-on-the-edge", "/"] {
        assert_eq!(view(&g, &host, path).await.status, 200, "{path}");
    }
    // The post view is flushed to D1 by the actor's alarm within 5 s; let
    // it land now, so the restarted actor has no write of its own to make.
    let mut pending = u64::MAX;
    for _ in 0..40 {
        let stats = g
            .ops(Method::GET, "/tenants/t_autumn/stats", None)
            .await
            .json();
        pending = stats["actor"]["pending_views"].as_u64().unwrap_or(u64::MAX);
        if pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(pending, 0, "the view was flushed");

    platform.stop();
    let platform = LocalPlatform::start(&state);
    let g = platform.grove();
    for path in ["/blog/rust-on-the-edge", "/"] {
        let r = view(&g, &host, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(r.body.contains("Autumn Notes"));
        let d1: u64 = r
            .header("x-grove-d1-queries")
            .and_then(|v| v.parse().ok())
            .expect("D1 counter");
        assert_eq!(
            d1, 0,
            "{path}: served from the actor's storage (and host from KV), not D1"
        );
    }
    let stats = g
        .ops(Method::GET, "/tenants/t_autumn/stats", None)
        .await
        .json();
    assert_eq!(
        stats["actor"]["cache"]["storage_hits"].as_u64(),
        Some(2),
        "{stats}"
    );
    assert_eq!(stats["actor"]["d1_queries"].as_u64(), Some(0), "{stats}");
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}

#[tokio::test]
async fn buffered_view_counts_survive_a_restart() {
    let state = LocalPlatform::fresh_state("views-durability");
    let mut platform = LocalPlatform::start(&state);
    let g = platform.grove();
    let host = format!("meadow.{}", g.base_domain);
    for _ in 0..4 {
        assert_eq!(view(&g, &host, "/blog/counting-bees").await.status, 200);
    }
    // Stop after the buffer's save (view_counts::SAVE_AFTER_MS, 100 ms)
    // but before the flush to D1 (5 s): the views are in the actor's
    // storage only.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    platform.stop();
    let platform = LocalPlatform::start(&state);
    let g = platform.grove();
    tokio::time::sleep(std::time::Duration::from_millis(6_500)).await;
    let user = &seed::demo().users[1];
    let owner = g.sign_in(&user.email, &user.password, "meadow").await;
    let views = owner
        .api(&g, Method::GET, "/admin/api/views", None)
        .await
        .json();
    assert_eq!(
        views["counting-bees"], 4,
        "the alarm flushed them after the restart: {views}"
    );
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}
