//! The platform landing page at the apex: what Grove is and a few blogs.

use std::cell::RefCell;

use grove_shared::config::PlatformConfig;
use grove_shared::protocol::D1_BINDING;
use grove_shared::views::{self, BlogCard};
use serde::Deserialize;
use worker::{Env, Response, Result};

use crate::respond;

/// Blogs listed on the landing page.
const LISTED_BLOGS: usize = 12;
/// How long the rendered landing page is reused by an isolate.
const LANDING_TTL_MS: i64 = 60_000;

thread_local! {
    static LANDING: RefCell<Option<(String, i64)>> = const { RefCell::new(None) };
}

#[derive(Deserialize)]
struct BlogRow {
    subdomain: String,
    display_name: String,
    title: Option<String>,
    description: Option<String>,
}

/// Serves the landing page, rendering it at most once a minute per isolate.
pub async fn landing(
    env: &Env,
    config: &PlatformConfig,
    now: i64,
    metrics: &crate::metrics::RequestMetrics,
) -> Result<Response> {
    if let Some(page) = LANDING.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(_, exp)| *exp > now)
            .map(|(p, _)| p.clone())
    }) {
        return respond::html(200, page);
    }
    metrics.count_d1(1);
    let rows = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT t.subdomain, t.display_name, \
               (SELECT value FROM tenant_settings s WHERE s.tenant_id = t.id AND s.key = 'site_title') AS title, \
               (SELECT value FROM tenant_settings s WHERE s.tenant_id = t.id AND s.key = 'site_description') AS description \
             FROM tenants t ORDER BY t.created_at, t.subdomain LIMIT ?1",
        )
        .bind(&[(LISTED_BLOGS as f64).into()])?
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
    let page = views::landing(&config.apex_url(), &cards).into_string();
    LANDING.with(|l| *l.borrow_mut() = Some((page.clone(), now + LANDING_TTL_MS)));
    respond::html(200, page)
}
