//! Calling a tenant's actor, with a deadline.
//!
//! A panic inside a Durable Object leaves its caller waiting forever, so
//! every call races a timer; on timeout the reader gets a 503 page.

use std::time::Duration;

use futures::future::{select, Either};
use grove_shared::protocol::{ViewRequest, TENANT_DO_BINDING, VIEW_URL};
use wasm_bindgen::JsValue;
use worker::{Delay, Env, Method, Request, RequestInit, Response, Result};

/// How long a reader waits for an actor before getting a 503.
pub const ACTOR_DEADLINE: Duration = Duration::from_secs(8);

/// Outcome of an actor call.
pub enum ActorReply {
    Answered(Response),
    TimedOut,
}

/// Asks the TenantDO keyed by `view.tenant_id` to render a page.
pub async fn view(env: &Env, view: &ViewRequest) -> Result<ActorReply> {
    let stub = env
        .durable_object(TENANT_DO_BINDING)?
        .get_by_name(&view.tenant_id)?;
    let body = serde_json::to_string(view).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(JsValue::from_str(&body)));
    let req = Request::new_with_init(VIEW_URL, &init)?;
    let call = Box::pin(stub.fetch_with_request(req));
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
