//! The one typed client of the tenant actors: every call (reader views,
//! admin requests, operators' changes, figures) goes through [`call`], with
//! the deadline in one place.
//!
//! A panic inside a Durable Object leaves its caller waiting forever, so
//! every call carries an `AbortSignal.timeout` of [`ACTOR_DEADLINE`]: the
//! runtime aborts the call when it runs out (a native timer, no callback
//! in the worker), and the caller answers 503.
//!
//! Calls go through the stub's runtime object and hand back the runtime's
//! own response: a reader page the actor finished can then leave the
//! worker as it came, instead of being taken apart into a `worker::Response`
//! and rebuilt around its body stream.

use std::time::Duration;

use grove_shared::protocol::{
    AdminRequest, ControlRequest, EdgeViewsRequest, LeaveRequest, ViewRequest, ADMIN_URL,
    CONTROL_URL, LEAVE_URL, STATS_URL, TENANT_DO_BINDING, VIEWS_URL,
};
use worker::wasm_bindgen::JsCast;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{web_sys, worker_sys, Env, Result};

/// How long a caller waits for an actor before giving up with a 503.
pub const ACTOR_DEADLINE: Duration = Duration::from_secs(8);
/// How long an owner waits for their blog's deletion (every step, R2's
/// objects a thousand at a time); past it the actor's alarm finishes it.
pub const LEAVE_DEADLINE: Duration = Duration::from_secs(30);

/// Outcome of an actor call.
pub enum ActorReply {
    Answered(web_sys::Response),
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

/// How long an owner waits for an import (a thousand posts planned,
/// committed, rendered and indexed in one write).
pub const IMPORT_DEADLINE: Duration = Duration::from_secs(30);

/// [`admin`] for an import, with [`IMPORT_DEADLINE`].
pub async fn admin_import(env: &Env, admin: &AdminRequest) -> Result<ActorReply> {
    let body = serde_json::to_string(admin).map_err(|e| worker::Error::RustError(e.to_string()))?;
    call_within(
        env,
        &admin.tenant_id,
        ADMIN_URL,
        Some(&body),
        IMPORT_DEADLINE,
    )
    .await
}

/// Hands an owner's deletion of their blog (password checked) to its actor.
pub async fn leave(env: &Env, leave: &LeaveRequest) -> Result<ActorReply> {
    let body = serde_json::to_string(leave).map_err(|e| worker::Error::RustError(e.to_string()))?;
    call_within(
        env,
        &leave.admin.tenant_id,
        LEAVE_URL,
        Some(&body),
        LEAVE_DEADLINE,
    )
    .await
}

/// Asks the tenant's actor to carry out an operator's change; `Some` with
/// the tenant's public paths once the actor confirms it, `None` when it
/// did not (an error, or no answer before the deadline).
pub async fn control(env: &Env, control: &ControlRequest) -> Option<Vec<String>> {
    let body = serde_json::to_string(control).ok()?;
    match call(env, &control.tenant_id, CONTROL_URL, Some(&body)).await {
        Ok(ActorReply::Answered(resp)) if resp.status() == 200 => {
            let mut resp = worker::Response::from(resp);
            resp.json::<Vec<String>>().await.ok()
        }
        Ok(_) => None,
        Err(e) => {
            worker::console_error!("tenant {}: control call failed: {e}", control.tenant_id);
            None
        }
    }
}

/// Hands post views the edge served to the tenant's actor.
pub async fn edge_views(env: &Env, views: &EdgeViewsRequest) -> Result<()> {
    let body = serde_json::to_string(views).map_err(|e| worker::Error::RustError(e.to_string()))?;
    match call(env, &views.tenant_id, VIEWS_URL, Some(&body)).await? {
        ActorReply::Answered(resp) if (200..300).contains(&resp.status()) => Ok(()),
        ActorReply::Answered(resp) => Err(worker::Error::RustError(format!(
            "the actor answered {}",
            resp.status()
        ))),
        ActorReply::TimedOut => Err(worker::Error::RustError("the actor timed out".into())),
    }
}

/// The actor's figures (JSON), or `None` when it did not answer in time.
pub async fn stats(env: &Env, tenant_id: &str) -> Option<serde_json::Value> {
    match call(env, tenant_id, STATS_URL, Some("")).await {
        Ok(ActorReply::Answered(resp)) if resp.status() == 200 => {
            let mut resp = worker::Response::from(resp);
            resp.json().await.ok()
        }
        _ => None,
    }
}

/// A GET of `url` (a POST of `body`, if any) to the actor named `name`,
/// aborted by the runtime after [`ACTOR_DEADLINE`].
pub async fn call(env: &Env, name: &str, url: &str, body: Option<&str>) -> Result<ActorReply> {
    call_within(env, name, url, body, ACTOR_DEADLINE).await
}

/// [`call`] with its own deadline.
pub async fn call_within(
    env: &Env,
    name: &str,
    url: &str,
    body: Option<&str>,
    deadline: Duration,
) -> Result<ActorReply> {
    let stub: worker_sys::DurableObject = env
        .durable_object(TENANT_DO_BINDING)?
        .get_by_name(name)?
        .into_rpc();
    let deadline = web_sys::AbortSignal::timeout_with_u32(deadline.as_millis() as u32);
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&deadline));
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&body.into());
    }
    let req = web_sys::Request::new_with_str_and_init(url, &init)?;
    match JsFuture::from(stub.fetch_with_request(&req)?).await {
        Ok(resp) => Ok(ActorReply::Answered(resp.dyn_into()?)),
        Err(_) if deadline.aborted() => Ok(ActorReply::TimedOut),
        Err(e) => Err(e.into()),
    }
}
