//! Import, as the actor serves it.
//!
//! | path | |
//! |---|---|
//! | GET `/admin/import` | the upload form |
//! | POST `/admin/import` | from the router: the preview page, or the result page once applied |
//! | POST `/admin/api/import` | from the router: the [`Report`] as JSON (`?mode=preview`, the default, or `apply`) |
//!
//! The router reads the upload and sends an [`ImportCall`] (the file as
//! read, or why it could not be): the bytes never reach the actor. A
//! preview reads the content and writes nothing; applying is one
//! [`Command::Import`] through the write queue, so the versions,
//! quotas, rendering, feeds, search index and edge purges are those of
//! any write, and the batch lands whole or not at all.

use super::reply::Reply;
use super::RequestCtx;
use crate::admin::content::{Command, Outcome, WriteCtx};
use crate::admin::errors::WriteError;
use crate::admin::store::ContentStore;
use crate::import::plan::{preview, ImportCommand, Report};
use crate::import::{FileError, ImportCall, Mode};
use crate::page_store::PageStore;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use crate::views::admin::import as view;

/// Whether the import serves these admin segments (after `/admin`).
pub fn serves(segments: &[&str]) -> bool {
    matches!(segments, ["import"] | ["api", "import"])
}

/// `{error, message, field: "file"}`, for a file refused whole.
fn file_json(refused: &FileError) -> Reply {
    Reply::json(
        refused.status(),
        &serde_json::json!({
            "error": refused.code,
            "message": refused.message,
            "field": "file",
        }),
    )
}

/// Serves an import path (the owner was checked by the caller).
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    segments: &[&str],
    ctx: &RequestCtx,
) -> Reply {
    let api = segments.first() == Some(&"api");
    let chrome = match core
        .read(&req.tenant_id, ctx.now, |c| super::html::chrome(req, c))
        .await
    {
        Ok(Some(chrome)) => chrome,
        Ok(None) => return Reply::not_found(api),
        Err(_) => return Reply::unavailable(api),
    };
    match (req.method.as_str(), api) {
        ("GET" | "HEAD", false) => return Reply::html(200, view::import_page(&chrome, None)),
        ("POST", _) => {}
        _ => return Reply::method_not_allowed(api),
    }
    let Ok(call) = serde_json::from_str::<ImportCall>(&req.body) else {
        return Reply::bad_request(
            api,
            "Send the file with the import form, or to the API as the request body.",
        );
    };
    let bundle = match call.file {
        Ok(bundle) => bundle,
        Err(refused) if api => return file_json(&refused),
        Err(refused) => {
            return Reply::html(refused.status(), view::import_page(&chrome, Some(&refused)))
        }
    };
    match call.mode {
        Mode::Preview => {
            let report = match core
                .read(&req.tenant_id, ctx.now, |c| {
                    preview(c, &bundle, call.on_conflict, ctx.now)
                })
                .await
            {
                Ok(Some(report)) => report,
                Ok(None) => return Reply::not_found(api),
                Err(_) => return Reply::unavailable(api),
            };
            if api {
                return Reply::json(200, &report);
            }
            let carried = serde_json::to_string(&bundle).unwrap_or_default();
            Reply::html(
                200,
                view::preview_page(&chrome, &report, &carried, call.on_conflict),
            )
        }
        Mode::Apply => {
            let wctx = WriteCtx {
                now: ctx.now,
                user_id: req.user.user_id.clone(),
                new_id: ctx.new_id.clone(),
            };
            let command = Command::Import(Box::new(ImportCommand {
                bundle: bundle.clone(),
                on_conflict: call.on_conflict,
            }));
            match core.write(&req.tenant_id, &command, &wctx).await {
                Ok(Outcome::Imported(report)) if api => Reply::json(200, &report),
                Ok(Outcome::Imported(report)) => {
                    Reply::html(200, view::result_page(&chrome, &report))
                }
                Ok(_) => Reply::unavailable(api),
                // Over a quota: nothing was written; the preview says why.
                Err(e @ WriteError::OverQuota { .. }) if !api => {
                    let report: Option<Report> = core
                        .read(&req.tenant_id, ctx.now, |c| {
                            preview(c, &bundle, call.on_conflict, ctx.now)
                        })
                        .await
                        .ok()
                        .flatten();
                    match report {
                        Some(report) => Reply::html(
                            e.status(),
                            view::preview_page(&chrome, &report, "", call.on_conflict),
                        ),
                        None => Reply::unavailable(false),
                    }
                }
                Err(e) if api => Reply::api_error(&e),
                Err(e) => Reply::problem(
                    &crate::problem::Problem::new(
                        e.status(),
                        e.to_api().error,
                        "Nothing was imported",
                        &format!("Nothing was imported. {}", e.to_api().message),
                    )
                    .home(view::IMPORT_PATH),
                    crate::problem::Format::Html,
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests;
