//! The platform's home at the apex: what Grove is, the way in ("Start a
//! blog" and "Sign in" on the auth host, or for a signed-in owner the way
//! to their blog's admin), and blogs to read.
//!
//! The list is cheap: an isolate reads it from D1 at most once every
//! [`LISTING_TTL_MS`] (one statement), and renders the page per request
//! around it, since who is looking changes the way in. A visitor without
//! a session cookie costs no D1 statement within that time; a signed-in
//! owner one (their session and blog, together).
//!
//! A blog is listed when it has published something (a published post, or
//! a page), is not suspended, and its owner allows it (the `listed`
//! setting, on unless turned off: `grove_shared::admin::listing`). A
//! change shows on the home within [`LISTING_TTL_MS`] (60 s) everywhere,
//! and at once in the isolate that carried the write: the admin proxy
//! calls [`forget_listing`] after any admin write.

use std::cell::RefCell;

use grove_shared::admin::listing;
use grove_shared::auth::cookie::{read_cookie, SESSION_COOKIE};
use grove_shared::auth::session::SessionToken;
use grove_shared::config::PlatformConfig;
use grove_shared::protocol::D1_BINDING;
use grove_shared::views::{self, BlogCard, Visitor};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Env, Headers, Response, Result, Url};

use crate::respond;

/// Blogs listed on the home page.
const LISTED_BLOGS: usize = 12;
/// How long an isolate reuses the list of blogs: 60 s.
pub const LISTING_TTL_MS: i64 = 60_000;

thread_local! {
    static LISTING: RefCell<Option<(Vec<BlogCard>, i64)>> = const { RefCell::new(None) };
}

#[derive(Deserialize)]
struct BlogRow {
    subdomain: String,
    display_name: String,
    title: Option<String>,
    description: Option<String>,
}

/// Drops this isolate's list of blogs: the next home page reads D1.
pub fn forget_listing() {
    LISTING.with(|l| *l.borrow_mut() = None);
}

/// Apex paths that belong to the auth host.
pub fn is_auth_path(path: &str) -> bool {
    matches!(path, "/signup" | "/signin")
}

/// 301 to the same path and query on the auth host.
pub fn to_auth_host(config: &PlatformConfig, url: &Url) -> Result<Response> {
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    let location = format!(
        "{}{}{query}",
        config.origin(&config.tenant_host("auth")),
        url.path()
    );
    respond::moved_permanently(&location)
}

/// Serves the home page.
pub async fn landing(
    env: &Env,
    headers: &Headers,
    config: &PlatformConfig,
    now: i64,
    metrics: &crate::metrics::RequestMetrics,
) -> Result<Response> {
    let cards = listing(env, config, now, metrics).await?;
    let visitor = visitor(env, headers, config, now, metrics).await?;
    let page = views::landing(&config.apex_url(), &cards, &visitor).into_string();
    let resp = respond::html(200, page)?;
    // The way in depends on the session cookie.
    resp.headers().set("cache-control", "private, no-cache")?;
    resp.headers().set("vary", "cookie")?;
    Ok(resp)
}

/// The blogs to list, from this isolate's memo or D1.
async fn listing(
    env: &Env,
    config: &PlatformConfig,
    now: i64,
    metrics: &crate::metrics::RequestMetrics,
) -> Result<Vec<BlogCard>> {
    if let Some(cards) = LISTING.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(_, exp)| *exp > now)
            .map(|(c, _)| c.clone())
    }) {
        return Ok(cards);
    }
    metrics.count_d1(1);
    let rows = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT t.subdomain, t.display_name, \
               (SELECT value FROM tenant_settings s WHERE s.tenant_id = t.id AND s.key = 'site_title') AS title, \
               (SELECT value FROM tenant_settings s WHERE s.tenant_id = t.id AND s.key = 'site_description') AS description \
             FROM tenants t \
             WHERE t.suspended = 0 \
               AND COALESCE((SELECT value FROM tenant_settings s WHERE s.tenant_id = t.id AND s.key = ?2), 'true') <> 'false' \
               AND (EXISTS (SELECT 1 FROM posts p WHERE p.tenant_id = t.id AND p.status = 'published') \
                    OR EXISTS (SELECT 1 FROM pages g WHERE g.tenant_id = t.id)) \
             ORDER BY t.created_at, t.subdomain LIMIT ?1",
        )
        .bind(&[(LISTED_BLOGS as f64).into(), listing::SETTING.into()])?
        .all()
        .await?
        .results::<BlogRow>()?;
    let cards: Vec<BlogCard> = rows
        .into_iter()
        .map(|r| BlogCard {
            url: format!("{}/", config.origin(&config.tenant_host(&r.subdomain))),
            title: r.title.filter(|t| !t.is_empty()).unwrap_or(r.display_name),
            description: r.description.unwrap_or_default(),
        })
        .collect();
    LISTING.with(|l| *l.borrow_mut() = Some((cards.clone(), now + LISTING_TTL_MS)));
    Ok(cards)
}

#[derive(Deserialize)]
struct OwnerRow {
    subdomain: String,
    display_name: String,
    title: Option<String>,
}

/// Who is looking: an owner with a live session and a blog, or anyone.
async fn visitor(
    env: &Env,
    headers: &Headers,
    config: &PlatformConfig,
    now: i64,
    metrics: &crate::metrics::RequestMetrics,
) -> Result<Visitor> {
    let auth = config.origin(&config.tenant_host("auth"));
    let anonymous = Visitor::Anonymous {
        signup_url: format!("{auth}/signup"),
        signin_url: format!("{auth}/signin"),
    };
    let cookie = headers.get("cookie")?;
    let Some(token) =
        read_cookie(cookie.as_deref(), SESSION_COOKIE).and_then(|t| SessionToken::parse(&t))
    else {
        return Ok(anonymous);
    };
    metrics.count_d1(1);
    let blog = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT t.subdomain AS subdomain, t.display_name AS display_name, \
               (SELECT value FROM tenant_settings s WHERE s.tenant_id = t.id AND s.key = 'site_title') AS title \
             FROM sessions se JOIN tenants t ON t.owner_id = se.user_id \
             WHERE se.token_hash = ?1 AND se.expires_at > ?2 ORDER BY t.created_at LIMIT 1",
        )
        .bind(&[token.storage_hash().into(), JsValue::from_f64(now as f64)])?
        .first::<OwnerRow>(None)
        .await?;
    Ok(match blog {
        Some(b) => {
            let blog_url = format!("{}/", config.origin(&config.tenant_host(&b.subdomain)));
            Visitor::Owner {
                admin_url: format!("{blog_url}admin"),
                blog_url,
                blog_title: b.title.filter(|t| !t.is_empty()).unwrap_or(b.display_name),
            }
        }
        None => anonymous,
    })
}
