//! A thousand blogs in one isolate stay within its memory budgets. Every
//! actor of an isolate shares one wasm linear memory, so the budgets for
//! rendered pages and loaded contents belong to the isolate, not to each
//! actor. Here 1,000 blogs of 20 posts (about 116 MB of Markdown) are each
//! read cold (home page and two posts, bypassing the edge), with budgets
//! lowered to 8 MiB of pages and 4 MiB of contents: the budgets hold, the
//! oldest entries of other tenants are evicted, the wasm memory grows by
//! no more than the budgets and a margin, and every blog still serves its
//! own posts afterwards. Runs its own platform (its own seed).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::Arc;

use grove_tests::platform::LocalPlatform;
use grove_tests::Grove;
use reqwest::Method;
use serde_json::Value;

const TENANTS: usize = 1_000;
const PAGE_BUDGET: u64 = 8 * 1024 * 1024;
const CONTENT_BUDGET: u64 = 4 * 1024 * 1024;
/// What the heap may add beyond the budgets: allocator slack and the
/// actors' own small state (1,000 of them).
const MARGIN: u64 = 24 * 1024 * 1024;

async fn isolate(g: &Grove, tenant: &str) -> Value {
    let stats = g
        .ops(Method::GET, &format!("/tenants/{tenant}/stats"), None)
        .await;
    assert_eq!(stats.status, 200, "{}", stats.body);
    stats.json()["actor"]["isolate"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_blogs_stay_within_the_isolates_memory_budgets() {
    let state = LocalPlatform::fresh_state("isolate-memory");
    LocalPlatform::seed_scale(&state, TENANTS, 20);
    let platform = LocalPlatform::start_with(
        &state,
        &[
            ("READER_CACHE_BYTES", &PAGE_BUDGET.to_string()),
            ("CONTENT_CACHE_BYTES", &CONTENT_BUDGET.to_string()),
        ],
    );
    let g = Arc::new(platform.grove());
    let before = isolate(&g, "t_s0001").await;
    let wasm_before = before["wasm_memory_bytes"].as_u64().unwrap();

    let blogs: Vec<usize> = (1..=TENANTS).collect();
    for chunk in blogs.chunks(16) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|&n| {
                let g = g.clone();
                tokio::spawn(async move {
                    let host = format!("s{n:04}.{}", g.base_domain);
                    let mut statuses = Vec::new();
                    for path in ["/", "/blog/post-01", "/blog/post-07"] {
                        // A session cookie bypasses the edge: the actor serves it.
                        let r = g
                            .send(
                                g.request(Method::GET, &host, path)
                                    .header("cookie", "grove_session=reader"),
                            )
                            .await;
                        assert!(
                            r.body.contains(&format!("Blog {n:04}")),
                            "{host}{path} is its own blog's page"
                        );
                        statuses.push(r.status);
                    }
                    statuses
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), vec![200, 200, 200]);
        }
    }

    let after = isolate(&g, "t_s0500").await;
    println!("isolate before: {before}\nisolate after {TENANTS} blogs: {after}");
    let memory = &after["memory"];
    let get = |k: &str| memory[k].as_u64().unwrap();
    assert_eq!(get("page_budget_bytes"), PAGE_BUDGET);
    assert_eq!(get("content_budget_bytes"), CONTENT_BUDGET);
    assert!(get("page_bytes") <= PAGE_BUDGET, "{memory}");
    assert!(get("content_bytes") <= CONTENT_BUDGET, "{memory}");
    assert!(
        get("page_evictions") > 0 && get("content_evictions") > 0,
        "the blogs did not all fit: the budgets were enforced ({memory})"
    );
    assert!(get("contents") < TENANTS as u64, "{memory}");
    let wasm_after = after["wasm_memory_bytes"].as_u64().unwrap();
    assert!(
        wasm_after <= wasm_before + PAGE_BUDGET + CONTENT_BUDGET + MARGIN,
        "wasm memory grew from {wasm_before} to {wasm_after} bytes"
    );

    // The first blogs' pages and contents were evicted long ago: they are
    // served again, their own, from the actors' storage.
    for n in [1, 2, 3] {
        let host = format!("s{n:04}.{}", g.base_domain);
        let r = g
            .send(
                g.request(Method::GET, &host, "/blog/post-07")
                    .header("cookie", "grove_session=reader"),
            )
            .await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains(&format!("Post 07 of blog {n:04}")));
    }
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}
