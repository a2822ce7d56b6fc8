//! Admin form submissions kept across a sign-in: the D1 and HTTP half of
//! [`grove_shared::admin::held`] (which explains who may resume, and why).
//!
//! A held row is found only by the hash of its one-time token *and* the
//! tenant of the host it is resumed on *and* the hash of the browser's
//! binding cookie, and only before it expires; sending it on deletes it
//! first, so it can be sent once. The page that shows it is served to the
//! tenant's signed-in owner only (the admin proxy checks that first).

use grove_shared::admin::forms::FormData;
use grove_shared::admin::held::{
    encode_secret, from_own_pages, held_cookie, resume_path, secret_hash, HeldForm, HELD_COOKIE,
    HOLD_FOR_MS,
};
use grove_shared::auth::cookie::read_cookie;
use grove_shared::auth::return_to::percent_decode;
use grove_shared::config::PlatformConfig;
use grove_shared::limits::policy::{LimitClass, Plan};
use grove_shared::limits::set::{held_key, TakeReply, ThresholdRequest};
use grove_shared::model::TenantRef;
use grove_shared::protocol::D1_BINDING;
use grove_shared::views::admin::{resume_gone_page, resume_page, AdminChrome};
use grove_tenant_do::ids::random_bytes;
use grove_threshold_do::client::ask;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Env, Method, Request, Response, Result, Url};

use crate::client_ip::client_ip;
use crate::respond;

/// A submission just held: its token and the cookie that binds it.
pub struct Kept {
    pub token: String,
    pub set_cookie: String,
}

/// A held submission taken for sending on, with what puts it back.
pub struct Taken {
    pub form: HeldForm,
    token_hash: String,
    binding_hash: String,
}

#[derive(Deserialize)]
struct HeldRow {
    path: String,
    fields: String,
}

/// Holds the form posted to `path` if it is an admin form sent from the
/// blog's own pages, within the per-IP bound; `None` if it is not held.
pub async fn hold(
    env: &Env,
    req: &Request,
    config: &PlatformConfig,
    tenant: &TenantRef,
    path: &str,
    body: &str,
    now: i64,
) -> Result<Option<Kept>> {
    let own = config.origin(&config.tenant_host(&tenant.subdomain));
    let h = req.headers();
    let sec_fetch_site = h.get("sec-fetch-site")?;
    let origin = h.get("origin")?;
    if !from_own_pages(sec_fetch_site.as_deref(), origin.as_deref(), &own) {
        return Ok(None);
    }
    let Some(form) = HeldForm::new(path, body) else {
        return Ok(None);
    };
    let limit = ThresholdRequest::Take {
        class: LimitClass::HeldSubmissions,
        plan: Plan::Free,
        n: 1,
        up_to: false,
    };
    match ask::<TakeReply>(env, &held_key(&client_ip(req)), &limit).await {
        Some(reply) if reply.decision.granted > 0 => {}
        _ => return Ok(None),
    }
    // One binding per browser: keep the one it has, so every submission it
    // has waiting stays resumable.
    let binding = match binding(req).filter(|b| secret_hash(b).is_some()) {
        Some(b) => b,
        None => encode_secret(random_bytes::<32>()?),
    };
    let token = encode_secret(random_bytes::<32>()?);
    let (Some(token_hash), Some(binding_hash)) = (secret_hash(&token), secret_hash(&binding))
    else {
        return Ok(None);
    };
    insert(
        env,
        &tenant.id,
        &token_hash,
        &binding_hash,
        &form,
        now,
        now + HOLD_FOR_MS,
    )
    .await?;
    Ok(Some(Kept {
        token,
        set_cookie: held_cookie(&binding, config.scheme == "https"),
    }))
}

async fn insert(
    env: &Env,
    tenant_id: &str,
    token_hash: &str,
    binding_hash: &str,
    form: &HeldForm,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    let db = env.d1(D1_BINDING)?;
    let t = JsValue::from_f64(now as f64);
    db.batch(vec![
        // Expired rows go as new ones come.
        db.prepare("DELETE FROM held_submissions WHERE expires_at <= ?1")
            .bind(std::slice::from_ref(&t))?,
        db.prepare(
            "INSERT INTO held_submissions \
             (token_hash, tenant_id, binding_hash, path, fields, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(&[
            token_hash.into(),
            tenant_id.into(),
            binding_hash.into(),
            form.path.as_str().into(),
            form.stored().into(),
            t,
            JsValue::from_f64(expires_at as f64),
        ])?,
    ])
    .await?;
    Ok(())
}

/// The 303 that follows holding: `location` with the binding cookie.
pub fn see_other_keeping(location: &str, kept: &Kept) -> Result<Response> {
    let resp = respond::see_other(location)?;
    resp.headers().append("set-cookie", &kept.set_cookie)?;
    Ok(resp)
}

/// Where the writer goes to get the submission back: the resume page on
/// the blog's own origin.
pub fn resume_url(config: &PlatformConfig, tenant: &TenantRef, kept: &Kept) -> String {
    format!(
        "{}{}",
        config.origin(&config.tenant_host(&tenant.subdomain)),
        resume_path(&kept.token)
    )
}

fn binding(req: &Request) -> Option<String> {
    let header = req.headers().get("cookie").ok().flatten();
    read_cookie(header.as_deref(), HELD_COOKIE)
}

/// The hashes that find a row: the token's, and this browser's binding.
fn keys(req: &Request, token: &str) -> Option<(String, String)> {
    Some((secret_hash(token)?, secret_hash(&binding(req)?)?))
}

/// The held form for `token` on this tenant from this browser, still live.
async fn find(
    env: &Env,
    req: &Request,
    tenant_id: &str,
    token: &str,
    now: i64,
) -> Result<Option<HeldForm>> {
    let Some((token_hash, binding_hash)) = keys(req, token) else {
        return Ok(None);
    };
    let row = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT path, fields FROM held_submissions \
             WHERE token_hash = ?1 AND tenant_id = ?2 AND binding_hash = ?3 AND expires_at > ?4",
        )
        .bind(&[
            token_hash.into(),
            tenant_id.into(),
            binding_hash.into(),
            JsValue::from_f64(now as f64),
        ])?
        .first::<HeldRow>(None)
        .await?;
    Ok(row.and_then(|r| HeldForm::from_stored(&r.path, &r.fields)))
}

/// Deletes the held form for `token` (as [`find`] finds it) and returns
/// it: whoever deletes it is the one who sends it on.
async fn take(
    env: &Env,
    req: &Request,
    tenant_id: &str,
    token: &str,
    now: i64,
) -> Result<Option<Taken>> {
    let Some((token_hash, binding_hash)) = keys(req, token) else {
        return Ok(None);
    };
    let row = env
        .d1(D1_BINDING)?
        .prepare(
            "DELETE FROM held_submissions \
             WHERE token_hash = ?1 AND tenant_id = ?2 AND binding_hash = ?3 AND expires_at > ?4 \
             RETURNING path, fields",
        )
        .bind(&[
            token_hash.as_str().into(),
            tenant_id.into(),
            binding_hash.as_str().into(),
            JsValue::from_f64(now as f64),
        ])?
        .first::<HeldRow>(None)
        .await?;
    Ok(row
        .and_then(|r| HeldForm::from_stored(&r.path, &r.fields))
        .map(|form| Taken {
            form,
            token_hash,
            binding_hash,
        }))
}

/// Puts a taken form back (its send did not get an answer), for another
/// 30 minutes.
pub async fn put_back(env: &Env, tenant_id: &str, taken: &Taken, now: i64) -> Result<()> {
    insert(
        env,
        tenant_id,
        &taken.token_hash,
        &taken.binding_hash,
        &taken.form,
        now,
        now + HOLD_FOR_MS,
    )
    .await
}

/// What `/admin/resume` does with a request from the tenant's owner.
pub enum Resume {
    /// Answer this (the kept text, a redirect after discarding, or why
    /// nothing is kept).
    Answer(Response),
    /// Send this submission on to the actor, as a POST to its target.
    Send(Taken),
}

/// `/admin/resume` for the tenant's signed-in owner, CSRF already checked:
/// GET shows the kept text (`?token=`), POST sends it on (`do=send`) or
/// discards it (`do=discard`), once.
pub async fn resume(
    env: &Env,
    req: &Request,
    url: &Url,
    body: &str,
    chrome: &AdminChrome,
    tenant_id: &str,
    now: i64,
) -> Result<Resume> {
    let answer = match req.method() {
        Method::Get | Method::Head => {
            let token = query_param(url.query(), "token").unwrap_or_default();
            show(env, req, chrome, tenant_id, &token, now).await?
        }
        Method::Post => {
            let form = FormData::parse(body).unwrap_or_default();
            match take(env, req, tenant_id, form.get("token"), now).await? {
                None => gone(chrome)?,
                Some(taken) if form.get("do") == "discard" => {
                    respond::see_other(&taken.form.form_page())?
                }
                Some(taken) => return Ok(Resume::Send(taken)),
            }
        }
        _ => {
            let resp = respond::platform_error(
                405,
                "Method not allowed",
                "Only GET and POST are served here.",
                &chrome.site_url,
            )?;
            resp.headers().set("allow", "GET, HEAD, POST")?;
            resp
        }
    };
    Ok(Resume::Answer(answer))
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| percent_decode(v)).flatten()
    })
}

/// The kept text, or why it is not there.
async fn show(
    env: &Env,
    req: &Request,
    chrome: &AdminChrome,
    tenant_id: &str,
    token: &str,
    now: i64,
) -> Result<Response> {
    let page = match find(env, req, tenant_id, token, now).await? {
        Some(form) => (200, resume_page(chrome, &form, token)),
        None => (404, resume_gone_page(chrome)),
    };
    let resp = respond::admin_html(page.0, page.1.into_string(), &chrome.site_url)?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// The page shown when a token finds nothing to send or discard.
fn gone(chrome: &AdminChrome) -> Result<Response> {
    respond::admin_html(
        404,
        resume_gone_page(chrome).into_string(),
        &chrome.site_url,
    )
}
