//! The admin over HTTP, as the TenantDO serves it: `/admin` (HTML forms)
//! and `/admin/api` (JSON), on top of [`TenantCore`].
//!
//! The router has verified the session and the CSRF token; here the actor
//! checks that the user owns this tenant, then dispatches.
//!
//! - [`reply`]: the response type the actor turns into HTTP.
//! - [`api`]: the JSON API.
//! - [`html`]: the server-rendered forms.
//! - [`media`]: the media library (list, alt text, delete); uploads are the router's.
//! - [`plan`]: the blog's plan and quotas; a downgrade, or a request for an upgrade.
//! - [`domains`]: custom domains (add, check, remove, the primary address).
//! - [`preview`]: a post as readers would see it, before it is saved.
//! - [`export`]: the export page (the zip itself is streamed by the router).
//! - [`import`]: importing posts and pages (the preview, then the write).
//! - [`lifecycle`]: the routes of [`welcome`] (the setup wizard) and
//!   [`account`] (export, deletion); [`address`]: renaming the subdomain.

pub mod account;
pub mod address;
pub mod api;
pub mod domains;
pub mod export;
pub mod html;
pub mod import;
pub mod lifecycle;
pub mod media;
pub mod plan;
pub mod preview;
pub mod reply;
pub mod welcome;

use crate::admin::store::ContentStore;
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use reply::Reply;

/// Time and a fresh id for the request (the actor supplies both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestCtx {
    pub now: i64,
    pub new_id: String,
}

fn is_api(path: &str) -> bool {
    path == "/admin/api" || path.starts_with("/admin/api/")
}

/// Serves one admin request.
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
) -> Reply {
    let api = is_api(&req.path);
    let owner = core
        .read(&req.tenant_id, ctx.now, |c| c.tenant.owner_id.clone())
        .await;
    match owner {
        Err(_) => return Reply::unavailable(api),
        Ok(None) => return Reply::not_found(api),
        Ok(Some(owner)) if owner != req.user.user_id => {
            return Reply::forbidden(api, &req.site_url)
        }
        Ok(Some(_)) => {}
    }
    let trimmed = req.path.trim_end_matches('/');
    let segments: Vec<&str> = trimmed.split('/').skip(2).collect();
    let media = match segments.as_slice() {
        ["media", rest @ ..] => Some(rest),
        ["api", "media", rest @ ..] => Some(rest),
        _ => None,
    };
    let plan = match segments.as_slice() {
        ["plan", rest @ ..] => Some(rest),
        ["api", "plan", rest @ ..] => Some(rest),
        _ => None,
    };
    if media.is_some() || plan.is_some() {
        let content = match core.read(&req.tenant_id, ctx.now, Clone::clone).await {
            Ok(Some(c)) => c,
            Ok(None) => return Reply::not_found(api),
            Err(_) => return Reply::unavailable(api),
        };
        let chrome = html::chrome(req, &content);
        if let Some(rest) = plan {
            return plan::handle(core, req, &content, &chrome, rest, api, ctx).await;
        }
        let rest = media.unwrap_or_default();
        return media::handle(core, req, &content, &chrome, rest, api).await;
    }
    if segments.as_slice() == ["export"] {
        return export::page(core, req, ctx).await;
    }
    if import::serves(&segments) {
        return import::handle(core, req, &segments, ctx).await;
    }
    if lifecycle::serves(&segments) {
        return lifecycle::handle(core, req, &segments, ctx).await;
    }
    let domains = match segments.as_slice() {
        ["domains", rest @ ..] | ["api", "domains", rest @ ..] => Some(rest),
        _ => None,
    };
    if let Some(rest) = domains {
        let content = match core.read(&req.tenant_id, ctx.now, Clone::clone).await {
            Ok(Some(c)) => c,
            Ok(None) => return Reply::not_found(api),
            Err(_) => return Reply::unavailable(api),
        };
        let chrome = html::chrome(req, &content);
        return domains::handle(core, req, &content, &chrome, rest, api, ctx).await;
    }
    if api {
        api::handle(core, req, segments.get(1..).unwrap_or_default(), ctx).await
    } else {
        html::handle(core, req, &segments, ctx).await
    }
}

#[cfg(test)]
mod domains_tests;
#[cfg(test)]
mod editor_tests;
#[cfg(test)]
mod tests;
