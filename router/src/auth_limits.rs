//! The auth host's side of the sign-in and sign-up limits: asking the
//! ThresholdDOs (taking a token, resetting after a correct password) and
//! the 429 and 503 answers. What is counted, and why, is decided in
//! `grove_shared::limits::sign_in`. A limiter that does not answer means
//! refusal (fail closed), except for a reset, which only forgives.

use grove_shared::config::PlatformConfig;
use grove_shared::limits::headers;
use grove_shared::limits::policy::{LimitClass, Plan};
use grove_shared::limits::set::{TakeReply, ThresholdRequest};
use grove_threshold_do::client::ask;
use worker::{Env, Response, Result};

use crate::auth_pages::auth_page;
use crate::respond;

/// Takes one token of `class` from the ThresholdDO `key`; `None` if it
/// did not answer.
pub async fn throttle(env: &Env, key: &str, class: LimitClass) -> Option<TakeReply> {
    let message = ThresholdRequest::Take {
        class,
        plan: Plan::Free,
        n: 1,
        up_to: false,
    };
    ask::<TakeReply>(env, key, &message).await
}

/// Refills `class` at `key` and marks the time (a correct password). If the
/// limiter does not answer, the failures stay counted: nothing unsafe.
pub async fn reset(env: &Env, key: &str, class: LimitClass) {
    if ask::<bool>(env, key, &ThresholdRequest::Reset { class })
        .await
        .is_none()
    {
        worker::console_error!("sign-in limiter did not confirm a reset");
    }
}

pub fn sign_in_unavailable(config: &PlatformConfig) -> Result<Response> {
    respond::platform_error(
        503,
        "Try again shortly",
        "Signing in is briefly unavailable. Please try again in a moment.",
        &config.apex_url(),
    )
}

pub fn sign_up_unavailable(config: &PlatformConfig) -> Result<Response> {
    respond::platform_error(
        503,
        "Try again shortly",
        "Signing up is briefly unavailable. Please try again in a moment.",
        &config.apex_url(),
    )
}

/// 429 with the page, `Retry-After` and the rate-limit headers.
pub fn too_many(page: String, reply: &TakeReply, config: &PlatformConfig) -> Result<Response> {
    let resp = auth_page(429, page, None, config)?;
    let h = resp.headers();
    h.set(
        "retry-after",
        &headers::retry_after_secs(&reply.decision).to_string(),
    )?;
    h.set(
        "ratelimit-policy",
        &headers::policy(reply.class, reply.limit),
    )?;
    h.set(
        "ratelimit",
        &headers::remaining(reply.class, &reply.decision),
    )?;
    Ok(resp)
}
