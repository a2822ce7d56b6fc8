//! The dispatch of one request: Host → site, then the site's handler.

use grove_shared::config::PlatformConfig;
use grove_shared::host::{classify, normalize_host, HostError, HostRoute};
use grove_shared::protocol::ViewRequest;
use grove_shared::site::ReaderRoute;
use grove_tenant_do::env_config::platform_config;
use worker::{web_sys, Context, Env, Headers, Response, Result, Url};

use crate::host_lookup::{find_tenant, HostKind};
use crate::metrics::RequestMetrics;
use crate::tenant_call::{self, ActorReply};
use crate::{admin_proxy, apex, auth_pages, edge_cache, edge_views, media_files, ops, respond};

/// Handles one request from a reader.
///
/// The runtime's request is turned into a `worker::Request` only off the
/// reader path: that conversion reads the request's `cf` properties, a
/// measurable cost on every page view.
pub async fn handle(
    req: web_sys::Request,
    url: Url,
    env: &Env,
    ctx: &Context,
    metrics: &RequestMetrics,
) -> Result<web_sys::Response> {
    let config = platform_config(env)?;
    let now = worker::Date::now().as_millis() as i64;
    let headers = Headers(req.headers());
    let host_header = headers.get("host")?;
    let host = match normalize_host(host_header.as_deref()) {
        Ok(host) => host,
        Err(HostError::Missing) => {
            return built(respond::platform_error(
                400,
                "Bad request",
                "The request has no Host header.",
                &config.apex_url(),
            ))
        }
        Err(HostError::Malformed) => {
            return built(respond::platform_error(
                400,
                "Bad request",
                "The Host header is not a valid host name.",
                &config.apex_url(),
            ))
        }
    };
    let route = classify(&host, &config.base_domain);
    if matches!(
        route,
        HostRoute::Apex | HostRoute::Subdomain(_) | HostRoute::CustomDomain(_)
    ) {
        let raw = host_header.as_deref().unwrap_or_default();
        let rest = &url[worker::url::Position::BeforePath..];
        if let Some(location) = config.canonical_redirect(raw, &host, url.scheme(), rest) {
            return built(respond::to_canonical(&location, req.method().as_str()));
        }
    }
    if route == HostRoute::WwwRedirect {
        let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let location = format!(
            "{}{}{query}",
            config.origin(&config.base_domain),
            url.path()
        );
        return built(respond::moved_permanently(&location));
    }
    // The platform's icon on its own hosts; a blog's is a page of the blog.
    if grove_shared::feeds::favicon::IconPath::of_path(url.path()).is_some()
        && matches!(route, HostRoute::Apex | HostRoute::Platform(_))
    {
        return built(respond::platform_icon(req.method().as_str()));
    }
    if route == HostRoute::Platform("auth".into()) {
        return built(auth_pages::handle(req.into(), env, ctx, &config, now).await);
    }
    if route == HostRoute::Platform("ops".into()) {
        return built(ops::finish(ops::handle(req.into(), env, now).await?));
    }
    // The admin script, from the blog's own host (where the admin is).
    if url.path() == grove_shared::views::admin::SCRIPT_PATH
        && matches!(route, HostRoute::Subdomain(_))
    {
        return built(respond::admin_script(req.method().as_str()));
    }
    let admin = admin_proxy::is_admin_path(url.path());
    if !admin && !matches!(req.method().as_str(), "GET" | "HEAD") {
        return built(respond::method_not_allowed(&config.apex_url()));
    }
    let (kind, name) = match route {
        HostRoute::Apex if url.path() == "/" && !admin => {
            return built(apex::landing(env, &headers, &config, now, metrics).await)
        }
        // The way in lives on the auth host.
        HostRoute::Apex if apex::is_auth_path(url.path()) => {
            return built(apex::to_auth_host(&config, &url))
        }
        HostRoute::Apex if url.path() == "/pricing" => {
            let signup = format!("{}/signup", config.origin(&config.tenant_host("auth")));
            let page = grove_shared::views::pricing(&config.apex_url(), &signup);
            return built(respond::html(200, page.into_string()));
        }
        HostRoute::Subdomain(sub) => (HostKind::Subdomain, sub),
        HostRoute::CustomDomain(host) => (HostKind::CustomDomain, host),
        HostRoute::Apex | HostRoute::WwwRedirect | HostRoute::Platform(_) | HostRoute::NoSite => {
            return built(no_blog(&config));
        }
    };
    let Some(tenant) = find_tenant(env, kind, &name, now, metrics).await? else {
        // A renamed blog's old name sends everything (admin too) to the
        // new one, path and query kept, while the name is held.
        if kind == HostKind::Subdomain {
            if let Some(moved) = crate::host_lookup::moved_to(env, &name, now, metrics).await? {
                let rest = &url[worker::url::Position::BeforePath..];
                let location = moved.location(&config, rest);
                return built(respond::to_canonical(&location, req.method().as_str()));
            }
        }
        return built(no_blog(&config));
    };
    if admin {
        if kind == HostKind::CustomDomain {
            // The session cookie lives on the platform's domain: the admin is
            // always served on the blog's subdomain.
            let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
            let location = format!(
                "{}{}{query}",
                config.origin(&config.tenant_host(&tenant.subdomain)),
                url.path()
            );
            return built(respond::see_other(&location));
        }
        return built(admin_proxy::handle(req.into(), env, &config, &tenant, now).await);
    }
    // The blog's primary custom domain takes readers from its other hosts.
    if let Some(to) = grove_shared::domains::redirect::reader_redirect(&tenant, &host, url.path()) {
        let rest = &url[worker::url::Position::BeforePath..];
        let moved = respond::moved_permanently(&format!("{}{rest}", config.origin(to)))?;
        // Browsers keep a 301 with no lifetime for good: an owner who
        // moves the primary back would lose those readers.
        moved
            .headers()
            .set("cache-control", "public, max-age=3600")?;
        return Ok(moved.into());
    }
    let path = url.path().to_string();
    if media_files::is_media_path(&path) {
        let origin = config.origin(&host);
        return built(media_files::serve(env, &tenant.id, &origin, &path, &headers).await);
    }
    let query = url.query().map(str::to_string);
    let edge_route = edge_cache::cacheable_route(&headers, &path, query.as_deref());
    let edge = edge_route.is_some();
    // Keyed by the site's canonical origin and the page's canonical path,
    // exactly as a write's purge names it.
    let cache_key = match &edge_route {
        Some(route) => format!("{}{}", config.origin(&host), route.path()),
        None => String::new(),
    };
    let if_none_match = headers.get("if-none-match")?;
    if edge {
        let if_none_match = if_none_match.as_deref();
        let mut hit = edge_cache::from_memory(if_none_match, &cache_key, now)?;
        if hit.is_none() {
            hit = edge_cache::from_cache(if_none_match, &cache_key, &tenant.id, now).await?;
        }
        if let Some(hit) = hit {
            if let Some(ReaderRoute::Post(slug)) = &edge_route {
                edge_views::record(env, ctx, &tenant.id, slug, now);
            }
            return Ok(hit);
        }
    }
    let view = ViewRequest {
        tenant_id: tenant.id,
        path,
        query,
        for_edge: edge,
        if_none_match: if edge { None } else { if_none_match.clone() },
    };
    match tenant_call::view(env, &view).await? {
        ActorReply::Answered(resp) => {
            let if_none_match = if_none_match.as_deref();
            edge_cache::store(if_none_match, &cache_key, &view.tenant_id, resp, edge, now).await
        }
        ActorReply::TimedOut => {
            worker::console_error!("tenant {}: actor missed its deadline", view.tenant_id);
            built(respond::unavailable(&config.apex_url()))
        }
    }
}

/// A response built as a `worker::Response`, handed on as the runtime's own.
fn built(resp: Result<Response>) -> Result<web_sys::Response> {
    resp.map(Into::into)
}

fn no_blog(config: &PlatformConfig) -> Result<Response> {
    respond::platform_error(
        404,
        "No blog here",
        "There is no blog at this address. It may have moved, or never existed.",
        &config.apex_url(),
    )
}
