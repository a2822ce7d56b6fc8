//! Calling a tenant's actor, with a deadline.
//!
//! A panic inside a Durable Object leaves its caller waiting forever, so
//! every call carries an `AbortSignal.timeout` of [`ACTOR_DEADLINE`]: the
//! runtime aborts the call when it runs out (a native timer, no callback
//! in the worker), and the caller answers 503.

use std::time::Duration;

use grove_shared::protocol::{AdminRequest, ViewRequest, ADMIN_URL, TENANT_DO_BINDING};
use worker::{web_sys, Env, Request, Response, Result};

/// How long a caller waits for an actor before giving up with a 503.
pub const ACTOR_DEADLINE: Duration = Duration::from_secs(8);

/// Outcome of an actor call.
pub enum ActorReply {
    Answered(Response),
    TimedOut,
}

/// Asks the TenantDO keyed by `view.tenant_id` for a page: a plain GET
/// whose URL carries the request (the hot path streams no body).
pub async fn view(env: &Env, view: &ViewRequest) -> Result<ActorReply> {
    call(env, &view.tenant_id, &view.to_url(), None).await
}

/// Hands an authenticated admin request to the tenant's actor.
pub async fn admin(env: &Env, admin: &AdminRequest) -> Result<ActorReply> {
    let body = serde_json::to_string(admin).map_err(|e| worker::Error::RustError(e.to_string()))?;
    call(env, &admin.tenant_id, ADMIN_URL, Some(&body)).await
}

/// A GET of `url` (a POST of `body`, if any) to the tenant's actor, aborted
/// by the runtime after [`ACTOR_DEADLINE`].
async fn call(env: &Env, tenant_id: &str, url: &str, body: Option<&str>) -> Result<ActorReply> {
    let stub = env
        .durable_object(TENANT_DO_BINDING)?
        .get_by_name(tenant_id)?;
    let deadline = web_sys::AbortSignal::timeout_with_u32(ACTOR_DEADLINE.as_millis() as u32);
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&deadline));
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&body.into());
    }
    let req = Request::from(web_sys::Request::new_with_str_and_init(url, &init)?);
    match stub.fetch_with_request(req).await {
        Ok(resp) => Ok(ActorReply::Answered(resp)),
        Err(_) if deadline.aborted() => Ok(ActorReply::TimedOut),
        Err(e) => Err(e),
    }
}
