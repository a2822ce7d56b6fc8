//! Post views served from the edge cache never reach the tenant's actor,
//! so the router counts them here and hands them over in batches after the
//! response (`wait_until`). See `grove_shared::view_counts` for the batch
//! rule and what an evicted isolate can lose.

use std::cell::RefCell;
use std::time::Duration;

use grove_shared::protocol::EdgeViewsRequest;
use grove_shared::view_counts::{EdgeViews, EDGE_MAX_AGE_MS};
use worker::{Context, Delay, Env};

thread_local! {
    // Never borrowed across an await.
    static PENDING: RefCell<EdgeViews> = RefCell::new(EdgeViews::default());
}

/// Counts an edge-served view of a post and hands over any due batches;
/// a tenant's first pending view starts the timer that hands its batch
/// over [`EDGE_MAX_AGE_MS`] later.
pub fn record(env: &Env, ctx: &Context, tenant_id: &str, slug: &str, now: i64) {
    let (first, due) = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let first = p.record(tenant_id, slug, now);
        (first, p.due(now))
    });
    if first {
        let env = env.clone();
        let tenant_id = tenant_id.to_string();
        ctx.wait_until(async move {
            Delay::from(Duration::from_millis(EDGE_MAX_AGE_MS as u64)).await;
            let Some(views) = PENDING.with(|p| p.borrow_mut().take(&tenant_id)) else {
                return;
            };
            if let Err(e) = hand_over(&env, tenant_id.clone(), views).await {
                worker::console_error!("tenant {tenant_id}: edge views not handed over: {e}");
            }
        });
    }
    for (tenant_id, views) in due {
        let env = env.clone();
        ctx.wait_until(async move {
            if let Err(e) = hand_over(&env, tenant_id.clone(), views).await {
                worker::console_error!("tenant {tenant_id}: edge views not handed over: {e}");
            }
        });
    }
}

async fn hand_over(env: &Env, tenant_id: String, views: Vec<(String, u64)>) -> worker::Result<()> {
    crate::tenant_call::edge_views(env, &EdgeViewsRequest { tenant_id, views }).await
}
