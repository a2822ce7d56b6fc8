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
//! - [`password_reset`]: a forgotten password: the link by mail, the new password.
//! - [`subdomains`]: the availability API of blog addresses (and sign-up's check).
//! - [`mailer`]: the `Mailer` port's runtime side: an email provider's API, or the local outbox.
//! - [`dev_outbox`]: `/dev/outbox` on the auth host, in local runs only.
//! - [`auth_limits`]: sign-in and sign-up limits: asking the ThresholdDOs, 429s.
//! - [`session`]: session cookies checked in D1, turned into an identity.
//! - [`admin_proxy`]: `/admin`: authenticate, authorise, CSRF, then the actor.
//! - [`held`]: admin forms kept across a sign-in (D1), and the resume page.
//! - [`export_download`]: the export's zip, streamed (media copied from R2 chunk by chunk).
//! - [`leave`]: deleting a blog (the password checked again), and the
//!   headers of the lifecycle's answers (the export's download, the wizard's frames).
//! - [`host_lookup`]: host → tenant (memo, then D1).
//! - [`edge_cache`]: the Cache API in front of the actors (anonymous reads; purge on write).
//! - [`edge_views`]: counting the post views the edge served, handed to the actors in batches.
//! - [`media_files`]: `/media/{id}.{ext}` from R2 through the edge cache, no actor hop.
//! - [`media_upload`]: uploads: check, reserve with the actor, put in R2, commit.
//! - [`import_upload`]: import files, read here (bounded) and handed to the actor as read.
//! - [`metrics`]: D1 statements per request (local runs only).
//! - [`floors`]: the benchmark's trivial routes (the runtime's floor).
//! - [`ops`]: the operators' API on `ops.{BASE_DOMAIN}` (limits, suspension, audit);
//!   [`ops_plans`]: its plans part (move a blog, approve or decline requests).
//! - [`dev_dns`]: local runs only: the records the local DNS resolver answers with.
//! - [`client_ip`]: the client address the edge reports, for per-IP limits.
//! - [`tenant_call`]: calling a TenantDO with a deadline.
//! - [`apex`]: the platform landing page.
//! - [`respond`]: HTML responses, security headers, platform error pages.
//!
//! Linking `grove_tenant_do` and `grove_threshold_do` here exports the
//! `TenantDO` and `ThresholdDO` classes from this one worker.

pub mod admin_proxy;
pub mod apex;
pub mod auth_limits;
pub mod auth_pages;
pub mod client_ip;
pub mod dev_dns;
pub mod dev_outbox;
pub mod edge_cache;
pub mod edge_views;
pub mod export_download;
pub mod floors;
pub mod held;
pub mod host_lookup;
pub mod import_upload;
pub mod leave;
pub mod mailer;
pub mod media_files;
pub mod media_upload;
pub mod metrics;
pub mod ops;
pub mod ops_plans;
pub mod password_reset;
pub mod respond;
pub mod routes;
pub mod session;
pub mod subdomains;
pub mod tenant_call;

pub use grove_tenant_do::TenantDO;
pub use grove_threshold_do::ThresholdDO;
use worker::{event, web_sys, Context, Env, Url};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: web_sys::Request, env: Env, ctx: Context) -> worker::Result<web_sys::Response> {
    // The URL is parsed once per request, here.
    let Ok(url) = Url::parse(&req.url()) else {
        return respond::internal_error().map(Into::into);
    };
    if url.path().starts_with("/__grove/") {
        let dev = grove_tenant_do::env_config::dev_metrics(&env);
        if let Some(answer) = floors::answer(&url, &env, dev).await {
            return answer.or_else(|e| {
                worker::console_error!("floor route failed: {e}");
                respond::internal_error().map(Into::into)
            });
        }
    }
    let metrics = metrics::RequestMetrics::default();
    match routes::handle(req, url, &env, &ctx, &metrics).await {
        Ok(resp) => metrics.finish(resp, &env),
        Err(e) => {
            worker::console_error!("request failed: {e}");
            respond::internal_error().map(Into::into)
        }
    }
}
