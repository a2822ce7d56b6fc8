//! Asking a ThresholdDO, with a deadline (a panicking actor would leave the
//! caller waiting forever). Callers decide what a missing answer means:
//! reader views fail open, sign-in fails closed.

use std::time::Duration;

use futures::future::{select, Either};
use grove_shared::limits::set::{ThresholdRequest, THRESHOLD_DO_BINDING, THRESHOLD_URL};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{Delay, Env, Method, Request, RequestInit};

/// How long to wait for a ThresholdDO.
pub const THRESHOLD_DEADLINE: Duration = Duration::from_secs(3);

/// Sends `message` to the ThresholdDO named `key`; `None` if it did not
/// answer in time or answered with an error.
pub async fn ask<T: DeserializeOwned>(
    env: &Env,
    key: &str,
    message: &ThresholdRequest,
) -> Option<T> {
    let stub = env
        .durable_object(THRESHOLD_DO_BINDING)
        .ok()?
        .get_by_name(key)
        .ok()?;
    let body = serde_json::to_string(message).ok()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(JsValue::from_str(&body)));
    let req = Request::new_with_init(THRESHOLD_URL, &init).ok()?;
    let call = Box::pin(stub.fetch_with_request(req));
    let deadline = Box::pin(Delay::from(THRESHOLD_DEADLINE));
    let reply = match select(call, deadline).await {
        Either::Left((reply, _)) => Some(reply),
        Either::Right(((), _)) => None,
    };
    let mut resp = reply?.ok()?;
    if resp.status_code() != 200 {
        return None;
    }
    resp.json::<T>().await.ok()
}
