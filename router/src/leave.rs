//! The router's half of leaving Grove: deleting a blog asks for the
//! password again, and only the router has the users table and Argon2.
//!
//! `POST /admin/account/delete` (form) and `DELETE /admin/api/account`
//! (JSON) arrive here after the session and CSRF checks. The password is
//! verified against the owner's hash, under the same failure limit as
//! sign-in (so a stolen session cannot guess it); the actor then gets a
//! typed [`LeaveRequest`] that says what the check found, with only the
//! typed confirmation in its body, never the password. The actor answers
//! once every step is done: the router forgets the blog's hosts, purges
//! its pages and clears the session cookie (its sessions are gone).
//!
//! The other lifecycle answers' headers are decided here too
//! ([`lifecycle_headers`]): the export's download name, and the framing
//! the setup wizard's theme previews need.

use grove_shared::admin::forms::FormData;
use grove_shared::admin_http::account::{confirm_only, LeaveInput};
use grove_shared::auth::cookie::clear_session_cookie;
use grove_shared::auth::password::verify_password;
use grove_shared::config::PlatformConfig;
use grove_shared::lifecycle::export;
use grove_shared::lifecycle::welcome::frame_headers;
use grove_shared::limits::policy::LimitClass;
use grove_shared::limits::set::sign_in_key;
use grove_shared::model::TenantRef;
use grove_shared::problem::{Format, Problem};
use grove_shared::protocol::{AdminRequest, LeaveRequest, PasswordCheck, D1_BINDING};
use grove_shared::views::admin::account::EXPORT_PATH;
use grove_shared::views::admin::address::current_address;
use serde::Deserialize;
use worker::{Env, Request, Response, Result};

use crate::admin_proxy::{after_write, answered};
use crate::auth_limits::{reset, throttle};
use crate::client_ip::client_ip;
use crate::respond;
use crate::session::SignedIn;
use crate::tenant_call::{self, ActorReply};

/// The blog a deletion is asked on.
pub struct Site<'a> {
    pub config: &'a PlatformConfig,
    pub tenant: &'a TenantRef,
    pub site_url: &'a str,
    pub signout_url: &'a str,
}

#[derive(Deserialize)]
struct HashRow {
    password_hash: String,
}

/// Checks the password, hands the deletion to the actor, and answers.
pub async fn handle(
    env: &Env,
    req: &Request,
    site: &Site<'_>,
    signed_in: &SignedIn,
    path: &str,
    body: &str,
) -> Result<Response> {
    let format = Format::for_admin_path(path);
    let api = format == Format::Json;
    let (password, confirm) = if api {
        match serde_json::from_str::<LeaveInput>(body) {
            Ok(input) => (input.password, input.confirm),
            Err(_) => {
                let p = Problem::bad_request(
                    "Send {\"password\": \"…\", \"confirm\": \"your blog's address\"}.",
                );
                return respond::problem(&p, format);
            }
        }
    } else {
        let form = FormData::parse(body).unwrap_or_default();
        (
            form.get("password").to_string(),
            form.get("confirm").to_string(),
        )
    };
    let user = &signed_in.identity;
    let password = if password.is_empty() {
        PasswordCheck::Missing
    } else {
        // Failures count as sign-in failures do; a correct password forgives them.
        let key = sign_in_key(&client_ip(req), &user.email);
        match throttle(env, &key, LimitClass::SignIn).await {
            None => {
                let p = Problem::unavailable("Your password cannot be checked right now. Nothing was deleted: try again in a moment.")
                    .home("/admin/account");
                return respond::problem(&p, format);
            }
            Some(reply) if reply.decision.granted == 0 => {
                let p = Problem::too_many(&reply).home("/admin/account");
                return respond::problem(&p, format);
            }
            Some(_) => {}
        }
        let row = env
            .d1(D1_BINDING)?
            .prepare("SELECT password_hash FROM users WHERE id = ?1")
            .bind(&[user.user_id.as_str().into()])?
            .first::<HashRow>(None)
            .await?;
        match row {
            Some(r) if verify_password(&password, &r.password_hash) => {
                reset(env, &key, LimitClass::SignIn).await;
                PasswordCheck::Verified
            }
            _ => PasswordCheck::Wrong,
        }
    };
    let leave = LeaveRequest {
        admin: AdminRequest {
            tenant_id: site.tenant.id.clone(),
            user: user.clone(),
            method: req.method().to_string(),
            path: path.to_string(),
            query: None,
            body: confirm_only(api, &confirm),
            site_url: site.site_url.to_string(),
            signout_url: site.signout_url.to_string(),
            apex_url: site.config.apex_url(),
        },
        password,
        halt_after: halt_after(env, req),
    };
    match tenant_call::leave(env, &leave).await? {
        ActorReply::Answered(resp) => {
            let resp = Response::from(resp);
            let deleted = resp.status_code() == 200;
            // The home page may have listed the blog.
            crate::apex::forget_listing();
            after_write(env, site.config, site.tenant, &resp).await?;
            let resp = answered(resp, site.config, site.site_url, path)?;
            if deleted {
                let secure = site.config.scheme == "https";
                resp.headers().append(
                    "set-cookie",
                    &clear_session_cookie(&site.config.base_domain, secure),
                )?;
            }
            Ok(resp)
        }
        ActorReply::TimedOut => {
            worker::console_error!(
                "tenant {}: deletion not finished before the deadline",
                site.tenant.id
            );
            let p = Problem::unavailable(
                "Your blog is being deleted and is no longer shown. It did not finish in time for this answer; it finishes on its own within a minute.",
            )
            .home(site.site_url);
            respond::problem(&p, format)
        }
    }
}

/// Local runs only (`DEV_METRICS`): `X-Grove-Fault: halt-deletion-after-N`
/// stops the deletion after N steps, as if the actor had died there.
fn halt_after(env: &Env, req: &Request) -> Option<u8> {
    if !grove_tenant_do::env_config::dev_metrics(env) {
        return None;
    }
    req.headers()
        .get("x-grove-fault")
        .ok()
        .flatten()?
        .strip_prefix("halt-deletion-after-")?
        .parse()
        .ok()
}

/// The headers a lifecycle answer adds to an admin answer: the export is
/// a download (`Content-Disposition`), and the wizard's frames are allowed
/// ([`frame_headers`]). `ok`: the actor answered 200.
pub fn lifecycle_headers(resp: Response, site_url: &str, path: &str, ok: bool) -> Result<Response> {
    let h = resp.headers();
    if ok && path.trim_end_matches('/') == EXPORT_PATH {
        let now = worker::Date::now().as_millis() as i64;
        let subdomain = current_address(site_url).map_or("blog", |(sub, _)| sub);
        h.set("content-disposition", &export::disposition(subdomain, now))?;
    }
    let csp = h.get("content-security-policy")?.unwrap_or_default();
    if let Some((csp, frame_options)) = frame_headers(path, &csp) {
        h.set("content-security-policy", &csp)?;
        h.set("x-frame-options", frame_options)?;
    }
    Ok(resp)
}
