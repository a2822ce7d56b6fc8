//! Leaving: the account page, the export, and the answers to a deletion.
//!
//! | path | |
//! |---|---|
//! | GET `/admin/account` | export, then delete |
//! | GET `/admin/api/export` | the blog as JSON (`lifecycle::export`), as a download |
//! | POST `/admin/account/delete` | `password`, `confirm` (the blog's address): the router checks the password and sends a `LeaveRequest`; the answer comes once the blog is gone |
//! | DELETE `/admin/api/account` | `{password, confirm}`: the same, as JSON |
//!
//! The deletion itself is the actor's (`actor::leaving`); this module
//! checks what the owner typed and words the answers.

use serde::{Deserialize, Serialize};

use super::reply::Reply;
use super::RequestCtx;
use crate::admin::content::TenantContent;
use crate::admin::errors::{FieldError, WriteError};
use crate::admin::forms::FormData;
use crate::admin::store::ContentStore;
use crate::lifecycle::deletion::Deletion;
use crate::lifecycle::export::export as export_of;
use crate::media::library::MediaLibrary;
use crate::page_store::PageStore;
use crate::problem::{Format, Problem};
use crate::protocol::{AdminRequest, LeaveRequest, PasswordCheck};
use crate::tenant_core::TenantCore;
use crate::views::admin::account::{account_page, deleted_page, ACCOUNT_PATH};
use crate::views::admin::AdminChrome;

/// The API's deletion path.
pub const API_PATH: &str = "/admin/api/account";

/// Whether `method path` is a deletion, which the router handles first
/// (it checks the password) and sends as a `LeaveRequest`.
pub fn is_deletion(method: &str, path: &str) -> bool {
    matches!(
        (method, path.trim_end_matches('/')),
        ("POST", crate::views::admin::account::DELETE_PATH) | ("DELETE", API_PATH)
    )
}

/// The API's deletion body, as the owner sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveInput {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirm: String,
}

/// What the router passes on of a deletion's body: only the confirmation,
/// never the password.
pub fn confirm_only(api: bool, confirm: &str) -> String {
    if api {
        serde_json::json!({ "confirm": confirm }).to_string()
    } else {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("confirm", confirm)
            .finish()
    }
}

/// What was typed to confirm, from the body the router passed on.
fn typed_confirm(admin: &AdminRequest) -> String {
    if Format::for_admin_path(&admin.path) == Format::Json {
        serde_json::from_str::<serde_json::Value>(&admin.body)
            .ok()
            .and_then(|v| {
                v.get("confirm")
                    .and_then(|c| c.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_default()
    } else {
        FormData::parse(&admin.body)
            .map(|f| f.get("confirm").to_string())
            .unwrap_or_default()
    }
}

pub(super) fn handle(
    req: &AdminRequest,
    content: &TenantContent,
    chrome: &AdminChrome,
    rest: &[&str],
) -> Reply {
    match (req.method.as_str(), rest) {
        ("GET", []) => Reply::html(
            200,
            account_page(chrome, &content.tenant.subdomain, "", None),
        ),
        ("GET" | "HEAD", ["delete"]) => Reply::see_other(ACCOUNT_PATH),
        // Only the router sends a deletion, as a `LeaveRequest`.
        ("POST", ["delete"]) => not_through_the_router(false),
        (_, [] | ["delete"]) => Reply::method_not_allowed(false),
        _ => Reply::not_found(false),
    }
}

/// `DELETE /admin/api/account` that did not come as a `LeaveRequest`.
pub(super) fn api(req: &AdminRequest) -> Reply {
    match req.method.as_str() {
        "DELETE" => not_through_the_router(true),
        _ => Reply::method_not_allowed(true),
    }
}

fn not_through_the_router(api: bool) -> Reply {
    Reply::bad_request(
        api,
        "Deleting a blog asks for your password again: use the form on the Account page.",
    )
}

/// `GET /admin/api/export`.
pub(super) async fn export<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    ctx: &RequestCtx,
    content: &TenantContent,
) -> Reply {
    if req.method != "GET" {
        return Reply::method_not_allowed(true);
    }
    let media = match core.store().media().list(&req.tenant_id).await {
        Ok(media) => media,
        Err(_) => return Reply::unavailable(true),
    };
    Reply::json(200, &export_of(content, &media, &req.site_url, ctx.now))
}

/// The checks of a deletion: the password as the router found it, and
/// the blog's address typed out.
pub fn check_leave(req: &LeaveRequest, content: &TenantContent) -> Result<(), WriteError> {
    let mut errors = Vec::new();
    match req.password {
        PasswordCheck::Verified => {}
        PasswordCheck::Wrong => errors.push(FieldError::new(
            "password",
            "That is not your password. Nothing was deleted.",
        )),
        PasswordCheck::Missing => errors.push(FieldError::new(
            "password",
            "Type your password: deleting a blog asks for it again.",
        )),
    }
    let subdomain = &content.tenant.subdomain;
    if typed_confirm(&req.admin).trim().to_ascii_lowercase() != *subdomain {
        errors.push(FieldError::new(
            "confirm",
            &format!("Type {subdomain}, your blog's address, to confirm which blog goes."),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(WriteError::Invalid(errors))
    }
}

/// A refused deletion: the form again, with what was typed to confirm.
pub fn refused(admin: &AdminRequest, content: &TenantContent, error: &WriteError) -> Reply {
    if Format::for_admin_path(&admin.path) == Format::Json {
        return Reply::api_error(error);
    }
    let chrome = super::html::chrome(admin, content);
    let page = account_page(
        &chrome,
        &content.tenant.subdomain,
        &typed_confirm(admin),
        Some(error),
    );
    Reply::html(error.status(), page)
}

#[derive(Serialize)]
struct Deleted<'a> {
    deleted: bool,
    tenant_id: &'a str,
    subdomain: &'a str,
    held_until: i64,
}

/// The blog is gone. `admin` is the request that deleted it.
pub fn deleted(format: Format, deletion: &Deletion, admin: &AdminRequest) -> Reply {
    match format {
        Format::Json => Reply::json(
            200,
            &Deleted {
                deleted: true,
                tenant_id: &deletion.tenant_id,
                subdomain: &deletion.subdomain,
                held_until: deletion.held_until(),
            },
        ),
        Format::Html => Reply::html(
            200,
            deleted_page(
                &deletion.subdomain,
                deletion.held_until(),
                &apex_of(admin, &deletion.subdomain),
            ),
        ),
    }
}

/// The platform's home: as the router gave it, else from the blog's
/// origin (`scheme://{sub}.{base}[:port]/`).
fn apex_of(admin: &AdminRequest, subdomain: &str) -> String {
    if !admin.apex_url.is_empty() {
        return admin.apex_url.clone();
    }
    match admin.site_url.split_once("://") {
        Some((scheme, rest)) => {
            let rest = rest
                .strip_prefix(subdomain)
                .and_then(|r| r.strip_prefix('.'))
                .unwrap_or(rest);
            format!("{scheme}://{rest}")
        }
        None => "/".to_string(),
    }
}

/// The deletion began and did not finish in this request: the alarm
/// finishes it.
pub fn interrupted(format: Format) -> Reply {
    let mut p = Problem::new(
        503,
        "deletion_under_way",
        "Deletion under way",
        "Your blog is being deleted and is no longer shown. The deletion did not finish in this request; it finishes on its own within a minute.",
    );
    p.retry_after = Some(5);
    Reply::problem(&p, format)
}

/// A deletion was asked again while one is under way.
pub fn under_way(format: Format) -> Reply {
    let p = Problem::new(
        409,
        "deletion_under_way",
        "Deletion under way",
        "This blog is already being deleted.",
    );
    Reply::problem(&p, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::test_fixtures::content;
    use crate::admin_http::tests::request;

    fn leave(password: PasswordCheck, body: &str, path: &str) -> LeaveRequest {
        LeaveRequest {
            admin: request("u_owner", "POST", path, body),
            password,
            halt_after: None,
        }
    }

    #[test]
    fn a_deletion_needs_the_password_and_the_address_typed_out() {
        let c = content();
        let ok = leave(
            PasswordCheck::Verified,
            &confirm_only(false, " Test "),
            "/admin/account/delete",
        );
        assert_eq!(check_leave(&ok, &c), Ok(()));
        let wrong = leave(
            PasswordCheck::Wrong,
            &confirm_only(false, "tset"),
            "/admin/account/delete",
        );
        let e = check_leave(&wrong, &c).unwrap_err();
        assert!(e
            .field_message("password")
            .is_some_and(|m| m.contains("not your password")));
        assert!(e
            .field_message("confirm")
            .is_some_and(|m| m.contains("Type test")));
        let reply = refused(&wrong.admin, &c, &e);
        assert_eq!(reply.status, 422);
        assert!(
            reply.body.contains("value=\"tset\""),
            "what was typed stays"
        );
        let api = leave(
            PasswordCheck::Missing,
            &confirm_only(true, "test"),
            API_PATH,
        );
        let e = check_leave(&api, &c).unwrap_err();
        let reply = refused(&api.admin, &c, &e);
        assert_eq!(reply.content_type, super::super::reply::JSON);
        assert!(reply.body.contains("\"field\":\"password\""));
    }

    #[test]
    fn only_the_confirmation_is_passed_on_and_deletions_are_recognised() {
        assert_eq!(confirm_only(false, "a b"), "confirm=a+b");
        assert_eq!(confirm_only(true, "x\""), "{\"confirm\":\"x\\\"\"}");
        assert!(is_deletion("POST", "/admin/account/delete"));
        assert!(is_deletion("DELETE", "/admin/api/account/"));
        assert!(!is_deletion("GET", "/admin/account/delete"));
        assert!(!is_deletion("POST", "/admin/account"));
        let mut gone = request("u_owner", "POST", "/admin/account/delete", "");
        gone.site_url = "http://gone.grove.localhost:8787/".into();
        gone.apex_url = String::new();
        assert_eq!(apex_of(&gone, "gone"), "http://grove.localhost:8787/");
        gone.apex_url = "https://grove.place/".into();
        assert_eq!(apex_of(&gone, "gone"), "https://grove.place/");
    }
}
