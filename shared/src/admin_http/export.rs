//! `/admin/export`: the export page, with what the download will hold.
//! The download itself (`GET /admin/api/export`) is the router's zip,
//! made from the JSON document `account::export` answers.

use super::reply::Reply;
use super::{html, RequestCtx};
use crate::admin::store::ContentStore;
use crate::media::library::MediaLibrary;
use crate::model::PostStatus;
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use crate::views::admin::export::{export_page, ExportSummary};

/// `GET /admin/export`.
pub(super) async fn page<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
) -> Reply {
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        return Reply::method_not_allowed(false);
    }
    let content = match core.read(&req.tenant_id, ctx.now, Clone::clone).await {
        Ok(Some(c)) => c,
        Ok(None) => return Reply::not_found(false),
        Err(_) => return Reply::unavailable(false),
    };
    let summary = ExportSummary {
        posts: content.posts.len(),
        drafts: content
            .posts
            .iter()
            .filter(|p| p.status != PostStatus::Published)
            .count(),
        pages: content.pages.len(),
        // The page still offers the download when the count fails.
        media: core.store().media().usage(&req.tenant_id).await.ok(),
    };
    Reply::html(200, export_page(&html::chrome(req, &content), &summary))
}
