//! The TenantDO's side of rate limiting: the reader lease, the admin-write
//! check, and the 429 responses (HTML for browsers, JSON for the API).

use grove_shared::limits::headers;
use grove_shared::limits::policy::{LimitClass, Plan};
use grove_shared::limits::set::{tenant_key, TakeReply, ThresholdRequest};
use grove_shared::views;
use grove_threshold_do::client::ask;
use worker::{Env, Response, Result};

/// Asks the tenant's ThresholdDO for `n` tokens of `class`. `None` when it
/// did not answer: callers fail open (a limiter outage must not take blogs down).
pub async fn take(
    env: &Env,
    tenant_id: &str,
    class: LimitClass,
    plan: Plan,
    n: u32,
    up_to: bool,
) -> Option<TakeReply> {
    let reply = ask::<TakeReply>(
        env,
        &tenant_key(tenant_id),
        &ThresholdRequest::Take {
            class,
            plan,
            n,
            up_to,
        },
    )
    .await;
    if reply.is_none() {
        worker::console_error!("tenant {tenant_id}: ThresholdDO did not answer; {class:?} not limited for this request");
    }
    reply
}

/// Adds `RateLimit-Policy` and `RateLimit` to a response.
pub fn add_headers(resp: &Response, reply: &TakeReply) -> Result<()> {
    let h = resp.headers();
    h.set(
        "ratelimit-policy",
        &headers::policy(reply.class, reply.limit),
    )?;
    h.set(
        "ratelimit",
        &headers::remaining(reply.class, &reply.decision),
    )?;
    Ok(())
}

/// 429 Too Many Requests, with `Retry-After` and the rate-limit headers.
pub fn too_many(reply: &TakeReply, json: bool) -> Result<Response> {
    let secs = headers::retry_after_secs(&reply.decision);
    let message = format!(
        "Too many requests. Please try again in {secs} second{}.",
        if secs == 1 { "" } else { "s" }
    );
    let resp = if json {
        Response::from_json(&serde_json::json!({ "error": "rate_limited", "message": message, "retry_after": secs }))?
    } else {
        Response::from_html(views::platform_error(429, "Slow down", &message, "/").into_string())?
    }
    .with_status(429);
    resp.headers().set("retry-after", &secs.to_string())?;
    resp.headers().set("cache-control", "no-store")?;
    add_headers(&resp, reply)?;
    Ok(resp)
}
