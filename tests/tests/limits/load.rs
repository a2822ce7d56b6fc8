//! Load check of the stated accuracy: with a limit of L per window and 10·L
//! requests at once, readers are admitted at most L times plus what refills
//! during the burst (the lease debits tokens before they are spent, so it
//! cannot overshoot), and at least L minus one lease.

use std::sync::Arc;
use std::time::Instant;

use reqwest::Method;
use serde_json::json;

use crate::grove;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_times_the_limit_at_once_admits_the_limit() {
    const L: u32 = 40;
    const WINDOW_SECS: u32 = 600; // one token refills every 15 s: none during the burst
    let g = Arc::new(grove());
    let o = g.sign_up("load").await;
    let set = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/limits", o.tenant_id),
            Some(json!({"reader_requests": {"max": L, "window_secs": WINDOW_SECS}})),
        )
        .await;
    assert_eq!(set.status, 200);
    let host = Arc::new(o.host(&g));
    let started = Instant::now();
    let tasks: Vec<_> = (0..10 * L)
        .map(|_| {
            let (g, host) = (g.clone(), host.clone());
            tokio::spawn(async move { crate::read(&g, &host, "/").await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("request task"));
    }
    let elapsed = started.elapsed();
    let accepted = statuses.iter().filter(|s| **s == 200).count() as u32;
    let limited = statuses.iter().filter(|s| **s == 429).count() as u32;
    let refill = (elapsed.as_secs_f64() / (f64::from(WINDOW_SECS) / f64::from(L))).floor() as u32;
    println!("load check: limit {L}, sent {}, accepted {accepted}, 429 {limited}, in {elapsed:?} (refill allowance {refill})", 10 * L);
    assert_eq!(
        accepted + limited,
        10 * L,
        "every request was served or refused: {statuses:?}"
    );
    assert!(accepted <= L + refill, "never over the limit: {accepted}");
    assert!(accepted >= L - 1, "at most one lease lost: {accepted}");
}
