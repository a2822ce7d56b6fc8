//! Renaming the blog's subdomain (`lifecycle::rename` has the rules).
//!
//! | path | |
//! |---|---|
//! | GET `/admin/settings/address` | the rename form (also a section of Settings) |
//! | POST `/admin/settings/address` | `subdomain`: 303 to the form on the new host, or the form again with the refusal |
//! | GET `/admin/api/address` | `{subdomain, url}` |
//! | PUT `/admin/api/address` | `{subdomain}`: `{subdomain, url, previous, held_until}`, or `{error: taken\|held\|reserved\|invalid\|unchanged, message, field}` |
//!
//! The actor asks D1 whether the name is free first, then writes the
//! rename through its write queue (one batch; the database refuses a name
//! taken or held meanwhile). The answer names the host-map keys to forget
//! (`HOSTS_HEADER`): both names, every custom domain (whose cached
//! mapping carries the subdomain) and any name the blog still holds; every
//! page is rendered again, since its canonical link may name the old host.
//! The session cookie is on the platform's domain, so the owner stays
//! signed in on the new host.

use serde::{Deserialize, Serialize};

use super::reply::Reply;
use super::{html, RequestCtx};
use crate::admin::content::{Command, TenantContent};
use crate::admin::errors::WriteError;
use crate::admin::forms::FormData;
use crate::admin::store::ContentStore;
use crate::lifecycle::ports::Lifecycle;
use crate::lifecycle::rename::{self, Refusal, HOLD_MS};
use crate::page_store::PageStore;
use crate::protocol::{AdminRequest, HostKey};
use crate::tenant_core::TenantCore;
use crate::views::admin::address::{address_page, ADDRESS_PATH};

/// The API path.
pub const API_PATH: &str = "/admin/api/address";

/// Whether `path` is one of the rename's.
pub fn serves(path: &str) -> bool {
    matches!(path.trim_end_matches('/'), ADDRESS_PATH | API_PATH)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameInput {
    subdomain: String,
}

#[derive(Serialize)]
struct Address<'a> {
    subdomain: &'a str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    held_until: Option<i64>,
}

/// Why a rename did not happen.
enum NotRenamed {
    Refused(Refusal),
    /// Storage failed (logged by nobody here: the reply says try again).
    Unavailable,
}

/// Serves a rename path, after checking the owner.
pub async fn handle<S, P, L>(
    core: &TenantCore<S, P>,
    lifecycle: &L,
    req: &AdminRequest,
    ctx: &RequestCtx,
) -> Reply
where
    S: ContentStore,
    P: PageStore,
    L: Lifecycle,
{
    let api = req.path.starts_with(API_PATH);
    let content = match core.read(&req.tenant_id, ctx.now, Clone::clone).await {
        Ok(Some(c)) => c,
        Ok(None) => return Reply::not_found(api),
        Err(_) => return Reply::unavailable(api),
    };
    if content.tenant.owner_id != req.user.user_id {
        return Reply::forbidden(api, &req.site_url);
    }
    let chrome = html::chrome(req, &content);
    let current = content.tenant.subdomain.as_str();
    match (req.method.as_str(), api) {
        ("GET", false) => {
            let notice = req
                .query
                .as_deref()
                .is_some_and(|q| q.split('&').any(|p| p == "notice=renamed"))
                .then_some(
                    "Renamed. Your old address sends readers here for 30 days and stays yours until then.",
                );
            Reply::html(200, address_page(&chrome, None, None, notice))
        }
        ("GET", true) => Reply::json(
            200,
            &Address {
                subdomain: current,
                url: req.site_url.clone(),
                previous: None,
                held_until: None,
            },
        ),
        ("POST", false) => {
            let Some(data) = FormData::parse(&req.body) else {
                return Reply::bad_request(false, "The form could not be read.");
            };
            let typed = data.get("subdomain");
            match rename(core, lifecycle, req, ctx, &content, typed).await {
                Ok(origin) => Reply::see_other(&format!("{origin}{ADDRESS_PATH}?notice=renamed")),
                Err(NotRenamed::Refused(r)) => Reply::html(
                    r.status(),
                    address_page(&chrome, Some(typed), Some(&r.error()), None),
                ),
                Err(NotRenamed::Unavailable) => Reply::unavailable(false),
            }
        }
        ("PUT", true) => {
            let input: RenameInput = match serde_json::from_str(&req.body) {
                Ok(input) => input,
                Err(e) => {
                    return Reply::api_error(&WriteError::BadRequest(format!(
                        "Expected {{\"subdomain\": \"new-name\"}}: {e}"
                    )))
                }
            };
            match rename(core, lifecycle, req, ctx, &content, &input.subdomain).await {
                Ok(origin) => Reply::json(
                    200,
                    &Address {
                        subdomain: &input.subdomain.trim().to_ascii_lowercase(),
                        url: format!("{origin}/"),
                        previous: Some(current),
                        held_until: Some(ctx.now + HOLD_MS),
                    },
                ),
                Err(NotRenamed::Refused(r)) => Reply::json(r.status(), &r.api()),
                Err(NotRenamed::Unavailable) => Reply::unavailable(true),
            }
        }
        _ => Reply::method_not_allowed(api),
    }
}

/// Renames the blog to `typed`; answers the subdomain's new origin.
async fn rename<S, P, L>(
    core: &TenantCore<S, P>,
    lifecycle: &L,
    req: &AdminRequest,
    ctx: &RequestCtx,
    content: &TenantContent,
    typed: &str,
) -> Result<String, NotRenamed>
where
    S: ContentStore,
    P: PageStore,
    L: Lifecycle,
{
    let tenant = &content.tenant;
    let name = rename::check(typed, &tenant.subdomain).map_err(NotRenamed::Refused)?;
    match lifecycle.name_status(&name, &tenant.id, ctx.now).await {
        Ok(status) => {
            if let Some(refusal) = Option::<Refusal>::from(status) {
                return Err(NotRenamed::Refused(refusal));
            }
        }
        Err(_) => return Err(NotRenamed::Unavailable),
    }
    let platform = &content.domains.platform;
    let new_origin = platform.origin(&platform.tenant_host(&name));
    let command = Command::Rename { to: name.clone() };
    let wctx = super::html::write_ctx(req, ctx);
    match core.write(&tenant.id, &command, &wctx).await {
        Ok(_) => {}
        Err(WriteError::Store(cause)) => {
            return Err(match Refusal::of_commit(&cause) {
                Some(refusal) => NotRenamed::Refused(refusal),
                None => NotRenamed::Unavailable,
            })
        }
        Err(WriteError::Invalid(_)) => return Err(NotRenamed::Refused(Refusal::Unchanged)),
        Err(_) => return Err(NotRenamed::Unavailable),
    }
    // Both names, and every other key that maps to the blog (a custom
    // domain's cached mapping names the subdomain; a held name redirects).
    let mut keys = vec![
        HostKey::Subdomain(tenant.subdomain.clone()),
        HostKey::Subdomain(name.clone()),
    ];
    if let Ok(more) = lifecycle.host_keys(&tenant.id, &name).await {
        keys.extend(more);
    }
    core.forget_hosts(keys);
    Ok(new_origin)
}
