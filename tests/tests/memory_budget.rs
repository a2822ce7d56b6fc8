//! The page budget holds with 1,000 large posts: every post is served, the
//! cache evicts the least recently used pages, and the bytes it holds never
//! exceed the budget (lowered to 4 MiB here, so 1,000 posts overflow it).
//! Runs its own platform (its own seed).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::Arc;

use grove_tests::platform::LocalPlatform;
use reqwest::Method;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_large_posts_stay_within_the_memory_budget() {
    let state = LocalPlatform::fresh_state("memory-budget");
    LocalPlatform::seed_bench(&state, 1_000);
    let platform = LocalPlatform::start_with(&state, &[("READER_CACHE_BYTES", "4194304")]);
    let g = Arc::new(platform.grove());
    let host = Arc::new(format!("bench.{}", g.base_domain));
    for chunk in (1..=1_000).collect::<Vec<u32>>().chunks(16) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|n| {
                let (g, host) = (g.clone(), host.clone());
                let path = format!("/blog/bench-post-{n:04}");
                // A session cookie bypasses the edge: every view reaches the actor.
                tokio::spawn(async move {
                    g.send(
                        g.request(Method::GET, &host, &path)
                            .header("cookie", "grove_session=reader"),
                    )
                    .await
                    .status
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 200);
        }
    }
    let stats = g
        .ops(Method::GET, "/tenants/t_bench/stats", None)
        .await
        .json();
    let cache = &stats["actor"]["cache"];
    let (bytes, budget) = (
        cache["bytes"].as_u64().unwrap(),
        cache["budget_bytes"].as_u64().unwrap(),
    );
    println!("1,000 posts: cache {cache}");
    assert!(bytes <= budget, "{bytes} > {budget}");
    assert!(
        cache["evictions"].as_u64().unwrap() > 0,
        "the pages did not all fit: the budget was enforced"
    );
    assert!(cache["entries"].as_u64().unwrap() < 1_000);
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}
