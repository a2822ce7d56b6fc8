//! Kill under load: `wrangler dev` is killed with SIGKILL (its node
//! process and both workerd processes at once, a crash, not a stop) in the
//! middle of a burst of concurrent writes and reads on several blogs, then
//! started again on the same state and port. Afterwards:
//!
//! - every acknowledged write is there, and nothing is half applied: for
//!   every post, the admin API's version is at least the last one
//!   acknowledged and at most the last one sent; the post's text is a text
//!   sent for that version (the acknowledged one, if it was); its history
//!   has every version from 1 to it, the last being the post's, each with a
//!   text sent for it; the page the actor serves (from its storage) and the
//!   public page (through the edge) show that version's text and no other
//!   one of that post; the blog's list pages link exactly the posts the
//!   admin API has;
//! - no post exists that no write created;
//! - view counts keep the README's promise: views acknowledged more than
//!   100 ms before the kill (counted by the actor), or more than 2 s before
//!   it (served by the edge, counted by the router), are all counted, and
//!   nothing is counted that was not sent.
//!
//! A write cut by the kill has no known outcome: it may hold any of the
//! versions sent for it, as long as everything agrees on which one. The
//! public page is where they can disagree: the router purges the edge
//! after the actor has committed, so a kill in between leaves the edge's
//! copy of the previous version (`x-grove-edge: hit`), served after the
//! restart for the rest of its 60 s lifetime while the admin API, the
//! history and the actor's page show the new one.
//!
//! This test runs its own platform, so that it can kill it.

// Native test code: std time is what measures the kill (the ban is for wasm32).
#![allow(clippy::expect_used, clippy::disallowed_methods)]

mod burst;
mod checks;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use grove_tests::platform::LocalPlatform;
use reqwest::Method;
use serde_json::json;

use burst::{reader, text, writer, Burst, Ledger};

/// Blogs written to and read at once.
const TENANTS: usize = 3;
/// Writers per blog: each creates posts and edits them, and all of them
/// edit one shared post (so some edits are refused with 409).
const WRITERS: usize = 3;
/// Readers per blog, alternating anonymous (edge) and signed-in (actor) reads.
const READERS: usize = 2;
/// When the kill lands after the burst starts: after the actors' first
/// flush of views to D1 (5 s after the first view), well before the next
/// one, so the counts are part in D1 and part in the actors' buffers, and
/// no flush is cut in half (a flush is at least once, which the README
/// does not promise).
const KILL_AFTER: Duration = Duration::from_millis(6_500);
/// The kill waits for this many writes in flight (and one read) at once.
const MIN_WRITES_IN_FLIGHT: usize = 3;
/// The README's bounds: the actor writes its view buffer to storage 100 ms
/// after a view; the router hands the views the edge served to the actor
/// 2 s after a tenant's first pending one.
pub const ACTOR_VIEWS_AT_RISK: Duration = Duration::from_millis(100);
pub const EDGE_VIEWS_AT_RISK: Duration = Duration::from_millis(2_000);
/// The alarm flushes views to D1 at most 5 s after the oldest pending one;
/// counts are read this long after the kill (and polled up to the second
/// bound before a shortfall is called a loss).
pub const VIEWS_SETTLED: Duration = Duration::from_millis(7_500);
pub const VIEWS_DEADLINE: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_a_kill_under_load() {
    let began = Instant::now();
    let state = LocalPlatform::fresh_state("kill-under-load");
    let mut platform = LocalPlatform::start(&state);
    let g = platform.grove();
    let ready = began.elapsed();

    // Several new blogs, with limits out of the way (this is not a limit test).
    let mut owners = Vec::new();
    let mut shared = Vec::new();
    for t in 0..TENANTS {
        let owner = g.sign_up("kill").await;
        let set = g
            .ops(
                Method::PUT,
                &format!("/tenants/{}/limits", owner.tenant_id),
                Some(json!({
                    "admin_writes": {"max": 100_000, "window_secs": 3600},
                    "reader_requests": {"max": 1_000_000, "window_secs": 60},
                })),
            )
            .await;
        assert_eq!(set.status, 200, "{}", set.body);
        let title = format!("Kill t{t} shared");
        let created = owner
            .api(
                &g,
                Method::POST,
                "/admin/api/posts",
                Some(json!({"title": title, "markdown": text(&format!("tok-t{t}shared-z")), "status": "published"})),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        shared.push((
            title,
            created.json()["id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ));
        owners.push(owner);
    }
    let mut ledger = Ledger::default();
    for (t, (title, id)) in shared.iter().enumerate() {
        let token = format!("tok-t{t}shared-z");
        ledger.sending(t, title, 1, &token);
        let post = owners[t]
            .api(&g, Method::GET, &format!("/admin/api/posts/{id}"), None)
            .await
            .json();
        ledger.acknowledged(title, &token, &post);
    }

    // The burst.
    let burst = Arc::new(Burst {
        g,
        owners: owners.clone(),
        shared,
        ledger: Mutex::new(ledger),
        stop: AtomicBool::new(false),
        writes_in_flight: AtomicUsize::new(0),
        reads_in_flight: AtomicUsize::new(0),
    });
    let mut tasks = Vec::new();
    for t in 0..TENANTS {
        for w in 0..WRITERS {
            tasks.push(tokio::spawn(writer(Arc::clone(&burst), t, w)));
        }
        for r in 0..READERS {
            tasks.push(tokio::spawn(reader(Arc::clone(&burst), t, r)));
        }
    }
    let burst_start = Instant::now();
    tokio::time::sleep(KILL_AFTER).await;

    // The crash, mid-burst: at the first instant with writes and reads in
    // flight on the wire.
    let mut in_flight = (0, 0);
    let killed = platform.kill_hard_when(|| {
        in_flight = (
            burst.writes_in_flight.load(Ordering::SeqCst),
            burst.reads_in_flight.load(Ordering::SeqCst),
        );
        (in_flight.0 >= MIN_WRITES_IN_FLIGHT && in_flight.1 > 0)
            || burst_start.elapsed() > KILL_AFTER * 2
    });
    let (writes_in_flight, reads_in_flight) = in_flight;
    burst.stop.store(true, Ordering::SeqCst);
    let kill = killed.sent;
    for task in tasks {
        tokio::time::timeout(Duration::from_secs(20), task)
            .await
            .expect("a burst task ends once the platform is gone")
            .expect("a burst task does not panic");
    }
    println!(
        "killed {:?} {} ms into the burst, {writes_in_flight} writes and {reads_in_flight} reads in flight; \
         signal delivered within {} ms, all gone after {} ms",
        killed.processes,
        (kill - burst_start).as_millis(),
        killed.delivered.as_millis(),
        killed.gone.as_millis()
    );
    assert!(
        killed.processes.iter().any(|p| p.ends_with(" workerd")),
        "the kill took the runtime down: {:?}",
        killed.processes
    );
    assert!(
        writes_in_flight >= MIN_WRITES_IN_FLIGHT && reads_in_flight > 0,
        "the kill landed mid-burst ({writes_in_flight} writes, {reads_in_flight} reads in flight)"
    );

    let restart = Instant::now();
    platform.restart();
    let g = platform.grove();
    let restarted = restart.elapsed();
    let ledger = Arc::try_unwrap(burst)
        .ok()
        .expect("no task holds the burst")
        .ledger
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let refused_other: usize = ledger
        .refused
        .iter()
        .filter(|(s, _)| **s != 409)
        .map(|(_, n)| n)
        .sum();
    println!(
        "burst: {} writes acknowledged, refused {:?}, {} unknown {:?}; {} post reads ({} answered)",
        ledger.acked,
        ledger.refused,
        ledger.unknown.len(),
        ledger.unknown,
        ledger.reads.len(),
        ledger.reads.iter().filter(|r| r.answer.is_some()).count()
    );
    assert_eq!(
        refused_other, 0,
        "the only refusals are version conflicts: {:?}",
        ledger.refused
    );
    assert!(
        ledger.acked >= 30,
        "the burst wrote something ({} writes acknowledged)",
        ledger.acked
    );
    let mut failures: Vec<String> = ledger
        .phantoms
        .iter()
        .map(|p| format!("during the burst, {p}"))
        .collect();

    // Views first: the checks below read pages, which count as views.
    failures.extend(checks::views(&g, &owners, &ledger, kill).await);

    // Then every post, as some write left it.
    let (checked, post_failures) = checks::posts(&g, &owners, &ledger).await;
    failures.extend(post_failures);
    println!(
        "{checked} posts checked on {TENANTS} blogs; ready after {} ms, restarted in {} ms, {} s in all",
        ready.as_millis(),
        restarted.as_millis(),
        began.elapsed().as_secs_f32()
    );
    assert!(
        failures.is_empty(),
        "after a SIGKILL under load and a restart:\n  {}",
        failures.join("\n  ")
    );
    drop(platform);
    let _ = std::fs::remove_dir_all(&state);
}
