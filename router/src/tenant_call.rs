//! Calling a tenant's actor, with a deadline.
//!
//! A panic inside a Durable Object leaves its caller waiting forever, so
//! every call races a timer; on timeout the caller answers 503.

use std::time::Duration;

use futures::future::{select, Either};
use std::future::Future;

use grove_shared::protocol::{AdminRequest, ViewRequest, ADMIN_URL, TENANT_DO_BINDING};
use serde::Serialize;
use wasm_bindgen::JsValue;
use worker::{Delay, Env, Method, Request, RequestInit, Response, Result};

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
    let stub = env
        .durable_object(TENANT_DO_BINDING)?
        .get_by_name(&view.tenant_id)?;
    let url = view.to_url();
    with_deadline(stub.fetch_with_str(&url)).await
}

/// Hands an authenticated admin request to the tenant's actor.
pub async fn admin(env: &Env, admin: &AdminRequest) -> Result<ActorReply> {
    call(env, &admin.tenant_id, ADMIN_URL, admin).await
}

async fn call<T: Serialize>(
    env: &Env,
    tenant_id: &str,
    url: &str,
    message: &T,
) -> Result<ActorReply> {
    let stub = env
        .durable_object(TENANT_DO_BINDING)?
        .get_by_name(tenant_id)?;
    let body =
        serde_json::to_string(message).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(JsValue::from_str(&body)));
    let req = Request::new_with_init(url, &init)?;
    with_deadline(stub.fetch_with_request(req)).await
}

/// Races an actor call against [`ACTOR_DEADLINE`].
async fn with_deadline(call: impl Future<Output = Result<Response>>) -> Result<ActorReply> {
    let call = Box::pin(call);
    let deadline = Box::pin(Delay::from(ACTOR_DEADLINE));
    let reply = match select(call, deadline).await {
        Either::Left((reply, _)) => Some(reply),
        Either::Right(((), _)) => None,
    };
    match reply {
        Some(reply) => reply.map(ActorReply::Answered),
        None => Ok(ActorReply::TimedOut),
    }
}
