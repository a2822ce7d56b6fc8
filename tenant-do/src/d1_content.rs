//! Loads a tenant's published site from D1 in one batch (one round trip).

use std::collections::HashMap;

use grove_shared::config::PlatformConfig;
use grove_shared::model::{parse_tags, Page, Post, PostStatus};
use grove_shared::protocol::D1_BINDING;
use grove_shared::site::{Site, SiteInfo};
use grove_shared::theme::SiteSettings;
use serde::Deserialize;
use worker::{Env, Result};

#[derive(Deserialize)]
struct TenantRow {
    subdomain: String,
    display_name: String,
}

#[derive(Deserialize)]
struct SettingRow {
    key: String,
    value: String,
}

#[derive(Deserialize)]
struct PostRow {
    id: String,
    slug: String,
    title: String,
    markdown: String,
    tags: String,
    published_at: Option<i64>,
    updated_at: i64,
    version: i64,
}

#[derive(Deserialize)]
struct PageRow {
    id: String,
    slug: String,
    title: String,
    markdown: String,
    show_in_nav: i64,
    nav_order: i64,
    updated_at: i64,
    version: i64,
}

#[derive(Deserialize)]
struct DomainRow {
    host: String,
}

/// The tenant's site as readers may see it at `now`, or `None` if the tenant does not exist.
pub async fn load_site(
    env: &Env,
    config: &PlatformConfig,
    tenant_id: &str,
    now: i64,
) -> Result<Option<Site>> {
    let db = env.d1(D1_BINDING)?;
    let statements = vec![
        db.prepare("SELECT subdomain, display_name FROM tenants WHERE id = ?1").bind(&[tenant_id.into()])?,
        db.prepare("SELECT key, value FROM tenant_settings WHERE tenant_id = ?1").bind(&[tenant_id.into()])?,
        db.prepare(
            "SELECT id, slug, title, markdown, tags, published_at, updated_at, version FROM posts \
             WHERE tenant_id = ?1 AND status = 'published' AND published_at <= ?2 \
             ORDER BY published_at DESC",
        )
        .bind(&[tenant_id.into(), (now as f64).into()])?,
        db.prepare(
            "SELECT id, slug, title, markdown, show_in_nav, nav_order, updated_at, version FROM pages \
             WHERE tenant_id = ?1 ORDER BY nav_order, slug",
        )
        .bind(&[tenant_id.into()])?,
        db.prepare(
            "SELECT host FROM domains WHERE tenant_id = ?1 AND verified = 1 ORDER BY created_at, host LIMIT 1",
        )
        .bind(&[tenant_id.into()])?,
    ];
    let results = db.batch(statements).await?;
    let [tenant, settings, posts, pages, domains] = results.as_slice() else {
        return Err(worker::Error::RustError(
            "D1 batch returned an unexpected number of results".into(),
        ));
    };
    let Some(tenant) = tenant.results::<TenantRow>()?.into_iter().next() else {
        return Ok(None);
    };
    let settings: HashMap<String, String> = settings
        .results::<SettingRow>()?
        .into_iter()
        .map(|r| (r.key, r.value))
        .collect();
    let posts = posts
        .results::<PostRow>()?
        .into_iter()
        .map(|r| Post {
            id: r.id,
            slug: r.slug,
            title: r.title,
            markdown: r.markdown,
            status: PostStatus::Published,
            tags: parse_tags(&r.tags),
            published_at: r.published_at,
            updated_at: r.updated_at,
            version: r.version,
        })
        .collect();
    let pages = pages
        .results::<PageRow>()?
        .into_iter()
        .map(|r| Page {
            id: r.id,
            slug: r.slug,
            title: r.title,
            markdown: r.markdown,
            show_in_nav: r.show_in_nav != 0,
            nav_order: r.nav_order,
            updated_at: r.updated_at,
            version: r.version,
        })
        .collect();
    let primary_host = domains
        .results::<DomainRow>()?
        .into_iter()
        .next()
        .map(|d| d.host)
        .unwrap_or_else(|| config.tenant_host(&tenant.subdomain));
    let info = SiteInfo {
        tenant_id: tenant_id.to_string(),
        canonical_origin: config.origin(&primary_host),
        settings: SiteSettings::from_rows(&tenant.display_name, &settings),
    };
    Ok(Some(Site::new(info, posts, pages, now)))
}
