//! Which admin paths belong to a blog's lifecycle, and their dispatch:
//! the setup wizard (`/admin/welcome...`, [`super::welcome`]), the
//! account page and the export (`/admin/account`, `/admin/api/export`,
//! [`super::account`]). Renames (`/admin/settings/address`,
//! `/admin/api/address`, [`super::address`]) need the actor's lifecycle
//! port, so the shell calls them directly.

use super::reply::Reply;
use super::{account, html, welcome, RequestCtx};
use crate::admin::store::ContentStore;
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;

/// Whether the lifecycle serves these admin segments (after `/admin`).
pub fn serves(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["welcome", ..] | ["account", ..] | ["api", "export" | "account"]
    )
}

/// Serves a lifecycle path (the owner was checked by the caller).
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    segments: &[&str],
    ctx: &RequestCtx,
) -> Reply {
    let api = segments.first() == Some(&"api");
    let content = match core.read(&req.tenant_id, ctx.now, Clone::clone).await {
        Ok(Some(c)) => c,
        Ok(None) => return Reply::not_found(api),
        Err(_) => return Reply::unavailable(api),
    };
    let chrome = html::chrome(req, &content);
    match segments {
        ["welcome", rest @ ..] => welcome::handle(core, req, ctx, &content, &chrome, rest).await,
        ["account", rest @ ..] => account::handle(req, &content, &chrome, rest),
        ["api", "export"] => account::export(core, req, ctx, &content).await,
        ["api", "account"] => account::api(req),
        _ => Reply::not_found(api),
    }
}
