//! `/admin` on a blog's host: the router's half of the admin.
//!
//! The router authenticates (session cookie → user, checked in D1),
//! authorises (the user must own the tenant), checks CSRF on every
//! state-changing request (the session-bound token, as the form's `csrf`
//! field or the API's `X-CSRF-Token` header), bounds the body, and only then
//! hands a typed [`AdminRequest`] to the tenant's actor, which checks
//! ownership again before doing anything.
//!
//! A form posted without a live session, or with an older session's CSRF
//! token, from the blog's own pages is not lost: it is kept ([`held`]) and
//! `/admin/resume` gives it back after sign-in, to send on once.

use grove_shared::admin::forms::FormData;
use grove_shared::admin::held::{resume_path, RESUME_PATH};
use grove_shared::auth::return_to::percent_encode_component;
use grove_shared::auth::session::csrf_matches;
use grove_shared::config::PlatformConfig;
use grove_shared::model::TenantRef;
use grove_shared::problem::{Format, Problem};
use grove_shared::protocol::{AdminRequest, HostKey, HOSTS_HEADER, PURGE_HEADER, REDIRECT_HEADER};
use grove_shared::views::admin::AdminChrome;
use grove_shared::views::auth::forbidden_page;
use worker::{Env, Method, Request, Response, Result};

use crate::held::{self, Resume};
use crate::tenant_call::{self, ActorReply};
use crate::{edge_cache, host_lookup, import_upload, media_upload, respond, session};

/// Largest admin request body (a 1 MiB post, form-encoded, with room to spare;
/// the 1 MiB Markdown limit itself is checked by the actor).
pub const MAX_ADMIN_BODY: usize = 4 * 1024 * 1024;

/// Whether `path` belongs to the admin.
pub fn is_admin_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// Serves an admin request for `tenant` on its subdomain host.
pub async fn handle(
    mut req: Request,
    env: &Env,
    config: &PlatformConfig,
    tenant: &TenantRef,
    now: i64,
) -> Result<Response> {
    let url = req.url()?;
    let path = url.path().to_string();
    if media_upload::is_upload(req.method().as_ref(), &path) {
        return media_upload::handle(req, env, config, tenant, now).await;
    }
    let format = Format::for_admin_path(&path);
    let api = format == Format::Json;
    let site_url = format!("{}/", config.origin(&config.tenant_host(&tenant.subdomain)));
    let method = req.method();
    if !matches!(
        method,
        Method::Get | Method::Head | Method::Post | Method::Put | Method::Delete
    ) {
        return respond::method_not_allowed(&config.apex_url());
    }

    let changes_state = !matches!(method, Method::Get | Method::Head);
    // An import's file is read here (bytes, not text), into what the actor takes.
    let import = import_upload::is_import(method.as_ref(), &path);
    let max_body = if import {
        import_upload::MAX_BODY
    } else {
        MAX_ADMIN_BODY
    };
    if let Some(len) = req
        .headers()
        .get("content-length")?
        .and_then(|l| l.parse::<usize>().ok())
    {
        if len > max_body && import {
            return respond::problem(&import_upload::too_large().home(&site_url), format);
        }
        if len > max_body {
            return too_large(format, config);
        }
    }
    // An import's file is read once the owner is known (below).
    let body = if changes_state && !import {
        req.text().await.unwrap_or_default()
    } else {
        String::new()
    };
    if body.len() > MAX_ADMIN_BODY {
        return too_large(format, config);
    }
    // A form sent without a live session (signed out in another tab,
    // expired) is kept, and given back after sign-in (not a file).
    let keep = !api && method == Method::Post && !import;

    let Some(signed_in) = session::current(env, &req, now).await? else {
        if api {
            return respond::json_error(
                401,
                "unauthenticated",
                "Sign in first: this needs a session cookie.",
            );
        }
        let auth = config.origin(&config.tenant_host("auth"));
        let kept = if keep {
            held::hold(env, &req, config, tenant, &path, &body, now).await?
        } else {
            None
        };
        let back_to = match &kept {
            Some(kept) => held::resume_url(config, tenant, kept),
            None => format!(
                "{}{}",
                site_url.trim_end_matches('/'),
                &url[worker::url::Position::BeforePath..]
            ),
        };
        let location = format!(
            "{auth}/signin?return_to={}",
            percent_encode_component(&back_to)
        );
        return match &kept {
            Some(kept) => held::see_other_keeping(&location, kept),
            None => respond::see_other(&location),
        };
    };
    if signed_in.identity.user_id != tenant.owner_id {
        let message = "You are signed in, but this blog is not yours to change.";
        return if api {
            respond::json_error(403, "forbidden", message)
        } else {
            respond::html(403, forbidden_page(message, &site_url).into_string())
        };
    }

    let mut import_csrf = None;
    let body = if import {
        match import_upload::read(&mut req, &url, api).await? {
            Ok(read) => {
                import_csrf = read.csrf;
                read.body
            }
            Err(problem) => return respond::problem(&problem.home(&site_url), format),
        }
    } else {
        body
    };
    if changes_state {
        let presented = if api {
            req.headers().get("x-csrf-token")?.unwrap_or_default()
        } else if let Some(csrf) = import_csrf {
            csrf
        } else {
            FormData::parse(&body)
                .map(|f| f.get("csrf").to_string())
                .unwrap_or_default()
        };
        if !csrf_matches(&signed_in.identity.csrf_token, &presented) {
            // A form from the blog's own page with an older session's token
            // (signed out and in again in another tab): kept, and shown
            // again at once.
            if keep {
                if let Some(kept) = held::hold(env, &req, config, tenant, &path, &body, now).await?
                {
                    return held::see_other_keeping(&resume_path(&kept.token), &kept);
                }
            }
            let message =
                "This request did not carry the CSRF token of your session. Nothing changed.";
            let refused = Problem::new(403, "csrf", "Request refused", message).home(&site_url);
            return respond::problem(&refused, format);
        }
    }

    let signout_url = format!("{}/signout", config.origin(&config.tenant_host("auth")));
    // Deleting the blog: the password is checked here, where the users
    // table is, and the actor is told the outcome in a typed message.
    if grove_shared::admin_http::account::is_deletion(method.as_ref(), &path) {
        let site = crate::leave::Site {
            config,
            tenant,
            site_url: &site_url,
            signout_url: &signout_url,
        };
        return crate::leave::handle(env, &req, &site, &signed_in, &path, &body).await;
    }
    let mut resumed = None;
    let (path, query, body) = if path.trim_end_matches('/') == RESUME_PATH {
        let chrome = AdminChrome {
            site_title: tenant.subdomain.clone(),
            site_url: site_url.clone(),
            email: signed_in.identity.email.clone(),
            csrf_token: signed_in.identity.csrf_token.clone(),
            signout_url: signout_url.clone(),
        };
        match held::resume(env, &req, &url, &body, &chrome, &tenant.id, now).await? {
            Resume::Answer(resp) => return Ok(resp),
            Resume::Send(taken) => {
                let body = taken.form.body_with_csrf(&signed_in.identity.csrf_token);
                let path = taken.form.path.clone();
                resumed = Some(taken);
                (path, None, body)
            }
        }
    } else {
        (path, url.query().map(str::to_string), body)
    };

    let admin = AdminRequest {
        tenant_id: tenant.id.clone(),
        user: signed_in.identity,
        method: if resumed.is_some() {
            "POST".to_string()
        } else {
            method.to_string()
        },
        path,
        query,
        body,
        site_url,
        signout_url,
        apex_url: config.apex_url(),
    };
    // The export's zip is streamed here, from the actor's content and R2.
    if let crate::export_download::Handled::Answer(resp) =
        crate::export_download::handle(env, tenant, &admin, now).await
    {
        return resp;
    }
    let reply = if import {
        tenant_call::admin_import(env, &admin).await?
    } else {
        tenant_call::admin(env, &admin).await?
    };
    match reply {
        ActorReply::Answered(resp) => {
            let resp = worker::Response::from(resp);
            // A write may change which blogs the home page lists (a first
            // post, the `listed` setting): this isolate reads it afresh.
            if changes_state {
                crate::apex::forget_listing();
            }
            after_write(env, config, tenant, &resp).await?;
            answered(resp, config, &admin.site_url, &admin.path)
        }
        ActorReply::TimedOut => {
            worker::console_error!(
                "tenant {}: actor missed its deadline (admin)",
                admin.tenant_id
            );
            // A kept submission whose send got no answer is kept again.
            if let Some(taken) = &resumed {
                held::put_back(env, &tenant.id, taken, now).await?;
            }
            let late = Problem::unavailable(
                "The blog did not answer in time. Your change may not have been saved: reload and check.",
            )
            .home(&admin.site_url);
            respond::problem(&late, format)
        }
    }
}

/// What a write's answer asks of the router: the hosts it took from or
/// gave to the blog are forgotten before anything else (so the next
/// lookup reads D1), then the pages it changed are purged, on those hosts
/// too, before the owner's next read.
pub(crate) async fn after_write(
    env: &Env,
    config: &PlatformConfig,
    tenant: &TenantRef,
    resp: &Response,
) -> Result<()> {
    let forgotten = match resp.headers().get(HOSTS_HEADER)? {
        Some(keys) => host_lookup::forget_keys(env, config, &HostKey::parse_header(&keys)).await,
        None => Vec::new(),
    };
    if let Some(paths) = resp.headers().get(PURGE_HEADER)? {
        let mut origins =
            edge_cache::tenant_origins(env, config, &tenant.id, &tenant.subdomain).await?;
        for origin in forgotten {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        let paths: Vec<&str> = paths.split(' ').filter(|p| !p.is_empty()).collect();
        edge_cache::purge(&tenant.id, &origins, &paths, false).await;
    }
    Ok(())
}

pub(crate) fn answered(
    resp: Response,
    config: &PlatformConfig,
    site_url: &str,
    path: &str,
) -> Result<Response> {
    if let Some(location) = resp.headers().get(REDIRECT_HEADER)? {
        return respond::see_other(&location);
    }
    let ok = resp.status_code() == 200;
    let resp = respond::secure_admin(resp, &respond::platform_form_action(config), site_url)?;
    crate::leave::lifecycle_headers(resp, site_url, path, ok)
}

fn too_large(format: Format, config: &PlatformConfig) -> Result<Response> {
    let message = "The request is too large (a post is at most 1 MiB).";
    let p = Problem::new(413, "too_large", "Too large", message).home(&config.apex_url());
    respond::problem(&p, format)
}
