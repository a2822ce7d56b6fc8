//! The Grove worker entry: every request to every blog arrives here.
//!
//! The router is stateless apart from a bounded, TTL'd memo of host →
//! tenant. It decides from the Host header which site a request is for,
//! serves the platform's own pages (apex landing, redirects, errors) and
//! hands tenant requests to that tenant's actor, keyed by tenant id, with a
//! deadline. It never sends internal error text to a client.
//!
//! # Layout
//! - [`routes`]: the top-level dispatch of one request.
//! - [`auth_pages`]: the auth host: sign up, sign in, sign out.
//! - [`session`]: session cookies checked in D1, turned into an identity.
//! - [`admin_proxy`]: `/admin`: authenticate, authorise, CSRF, then the actor.
//! - [`host_lookup`]: host → tenant (memo, then D1).
//! - [`edge_cache`]: the Cache API in front of the actors (anonymous reads; purge on write).
//! - [`edge_views`]: counting the post views the edge served, handed to the actors in batches.
//! - [`metrics`]: D1 statements per request (local runs only).
//! - [`ops`]: the operators' API on `ops.{BASE_DOMAIN}` (limits, suspension, audit).
//! - [`client_ip`]: the client address the edge reports, for per-IP limits.
//! - [`tenant_call`]: calling a TenantDO with a deadline.
//! - [`apex`]: the platform landing page.
//! - [`respond`]: HTML responses, security headers, platform error pages.
//!
//! Linking `grove_tenant_do` and `grove_threshold_do` here exports the
//! `TenantDO` and `ThresholdDO` classes from this one worker.

pub mod admin_proxy;
pub mod apex;
pub mod auth_pages;
pub mod client_ip;
pub mod edge_cache;
pub mod edge_views;
pub mod host_lookup;
pub mod metrics;
pub mod ops;
pub mod respond;
pub mod routes;
pub mod session;
pub mod tenant_call;

pub use grove_tenant_do::TenantDO;
pub use grove_threshold_do::ThresholdDO;
use worker::{event, Context, Env, Request, Response};

/// A trivial route on every host (what the benchmark compares against).
pub const PING_PATH: &str = "/__grove/ping";
/// A trivial actor round trip, local runs only (the benchmark's second floor).
pub const ACTOR_PING_PATH: &str = "/__grove/actor-ping";

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    // The URL is parsed once per request, here.
    let Ok(url) = req.url() else {
        return respond::internal_error();
    };
    // The runtime's floor, for the benchmark: no host lookup, no actor, no D1.
    if url.path() == PING_PATH {
        return Response::ok("ok");
    }
    // The floor of an actor call (local runs only): router → a TenantDO → "pong".
    if url.path() == ACTOR_PING_PATH && grove_tenant_do::env_config::dev_metrics(&env) {
        let stub = env
            .durable_object(grove_shared::protocol::TENANT_DO_BINDING)?
            .get_by_name("ping")?;
        let mut init = worker::RequestInit::new();
        init.with_method(worker::Method::Post);
        let req = Request::new_with_init(grove_shared::protocol::PING_URL, &init)?;
        return stub.fetch_with_request(req).await;
    }
    let metrics = metrics::RequestMetrics::default();
    match routes::handle(req, url, &env, &ctx, &metrics).await {
        Ok(resp) => metrics.finish(resp, &env),
        Err(e) => {
            worker::console_error!("request failed: {e}");
            respond::internal_error()
        }
    }
}
