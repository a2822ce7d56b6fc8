//! The media library over HTTP (uploads themselves are the router's, which
//! holds the bytes): `/admin/media` (the library page, alt text, delete
//! with a confirmation) and `/admin/api/media` (list with usage, one file,
//! `PUT` its alt text, `DELETE`, 409 with its users unless `?force=true`).

use super::reply::Reply;
use crate::admin::content::TenantContent;
use crate::admin::forms::FormData;
use crate::admin::store::ContentStore;
use crate::limits::policy::media_quota;
use crate::media::error::MediaError;
use crate::media::library::{self, MediaLibrary};
use crate::media::upload::clean_alt;
use crate::media::{item::MediaItem, refs};
use crate::page_store::PageStore;
use crate::problem::Format;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use crate::views::admin::{self as v, AdminChrome};

fn notice(query: Option<&str>) -> Option<&'static str> {
    query?.split('&').find_map(|p| match p {
        "notice=alt" => Some("Alt text saved."),
        "notice=deleted" => Some("File deleted."),
        p if p.starts_with("uploaded=") => Some("Uploaded."),
        _ => None,
    })
}

fn refused(e: &MediaError, name: &str, api: bool) -> Reply {
    let format = if api { Format::Json } else { Format::Html };
    Reply::problem(&e.problem(name).home("/admin/media"), format)
}

fn forced(query: Option<&str>, form: Option<&FormData>) -> bool {
    let in_query = query.is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "force" && v == "true")
    });
    in_query || form.is_some_and(|f| f.get("force") == "true")
}

/// The API's view of a file.
pub fn item_json(item: &MediaItem) -> serde_json::Value {
    serde_json::json!({
        "id": item.id,
        "url": item.path(),
        "type": item.kind.mime(),
        "bytes": item.bytes,
        "width": item.width,
        "height": item.height,
        "alt": item.alt,
        "filename": item.filename,
        "created_at": item.created_at,
        "markdown": item.markdown(),
    })
}

/// Serves `/admin/media/{rest..}` (`api`: `/admin/api/media/{rest..}`).
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    content: &TenantContent,
    chrome: &AdminChrome,
    rest: &[&str],
    api: bool,
) -> Reply {
    let lib = core.store().media();
    let tenant = req.tenant_id.as_str();
    let plan = content.tenant.plan;
    let unavailable = || Reply::unavailable(api);
    match (req.method.as_str(), rest) {
        ("GET", []) => {
            let (Ok(items), Ok(usage)) = (lib.list(tenant).await, lib.usage(tenant).await) else {
                return unavailable();
            };
            let quota = media_quota(plan);
            if api {
                let items: Vec<_> = items.iter().map(item_json).collect();
                return Reply::json(
                    200,
                    &serde_json::json!({
                        "usage": {
                            "bytes": usage.bytes,
                            "files": usage.files,
                            "max_total_bytes": quota.max_total_bytes,
                            "max_file_bytes": quota.max_file_bytes,
                            "plan": plan.as_str(),
                        },
                        "items": items,
                    }),
                );
            }
            let page = v::Library {
                items: &items,
                usage,
                quota,
                plan,
            };
            Reply::html(
                200,
                v::library_page(chrome, &page, notice(req.query.as_deref())),
            )
        }
        (method, [id, tail @ ..]) => {
            let item = match lib.get(tenant, id).await {
                Ok(Some(item)) => item,
                Ok(None) => return refused(&MediaError::NotFound, "", api),
                Err(_) => return unavailable(),
            };
            match (method, tail, api) {
                ("GET", [], true) => Reply::json(200, &item_json(&item)),
                ("GET", ["delete"], false) => {
                    let users = refs::used_by(content, &item);
                    Reply::html(200, v::media_delete_page(chrome, &item, &users))
                }
                ("PUT", [], true) | ("POST", ["alt"], false) => {
                    let alt = if api {
                        #[derive(serde::Deserialize)]
                        struct Alt {
                            alt: String,
                        }
                        match serde_json::from_str::<Alt>(&req.body) {
                            Ok(a) => a.alt,
                            Err(_) => {
                                return Reply::bad_request(true, "Send JSON: {\"alt\": \"…\"}.")
                            }
                        }
                    } else {
                        match FormData::parse(&req.body) {
                            Some(f) => f.get("alt").to_string(),
                            None => {
                                return Reply::bad_request(false, "The form could not be read.")
                            }
                        }
                    };
                    let alt = match clean_alt(&alt) {
                        Ok(alt) => alt,
                        Err(e) => return refused(&e, &item.filename, api),
                    };
                    match lib.set_alt(tenant, &item.id, &alt).await {
                        Ok(true) if api => Reply::json(200, &item_json(&MediaItem { alt, ..item })),
                        Ok(true) => {
                            Reply::see_other(&format!("/admin/media?notice=alt#m-{}", item.id))
                        }
                        Ok(false) => refused(&MediaError::NotFound, "", api),
                        Err(_) => unavailable(),
                    }
                }
                ("DELETE", [], true) | ("POST", ["delete"], false) => {
                    let form = if api {
                        None
                    } else {
                        FormData::parse(&req.body)
                    };
                    let users = refs::used_by(content, &item);
                    if !users.is_empty() && !forced(req.query.as_deref(), form.as_ref()) {
                        if api {
                            let p = MediaError::InUse(users.clone()).problem(&item.filename);
                            return Reply::json(
                                409,
                                &serde_json::json!({
                                    "error": p.code,
                                    "message": p.message,
                                    "used_by": users,
                                }),
                            );
                        }
                        let mut reply =
                            Reply::html(409, v::media_delete_page(chrome, &item, &users));
                        reply.status = 409;
                        return reply;
                    }
                    match library::delete(lib, tenant, &item.id).await {
                        Ok(Some(gone)) => {
                            core.purge_file(gone.path());
                            if api {
                                Reply::json(200, &serde_json::json!({"deleted": gone.id}))
                            } else {
                                Reply::see_other("/admin/media?notice=deleted")
                            }
                        }
                        Ok(None) => refused(&MediaError::NotFound, "", api),
                        Err(_) => unavailable(),
                    }
                }
                _ => Reply::method_not_allowed(api),
            }
        }
        _ => Reply::method_not_allowed(api),
    }
}
