//! Building responses: HTML with security headers, redirects and the
//! platform's error pages. Nothing here puts internal error text in a body.

use grove_shared::problem::{Format, Problem};
use grove_shared::reader_headers::{admin_csp, csp, CSP_SELF, SCRIPT_CSP, SECURITY};
use grove_shared::views;
use worker::{Headers, Response, Result};

use grove_shared::config::PlatformConfig;

/// Form targets of pages that post across platform hosts (admin → sign-out,
/// sign-in → back to the blog): this platform's own hosts.
pub fn platform_form_action(config: &PlatformConfig) -> String {
    let port = config.port.map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "'self' {s}://{b}{port} {s}://*.{b}{port}",
        s = config.scheme,
        b = config.base_domain
    )
}

/// Forms may post only to the page's own origin.
pub const SELF_ONLY: &str = "'self'";

/// Sets the security headers on `h`, forms allowed to post to `form_action`.
pub fn add_security_headers(h: &Headers, form_action: &str) -> Result<()> {
    if form_action == SELF_ONLY {
        h.set("content-security-policy", CSP_SELF)?;
    } else {
        h.set("content-security-policy", &csp(form_action))?;
    }
    for (name, value) in SECURITY {
        h.set(name, value)?;
    }
    Ok(())
}

/// Adds the security headers to a response. The headers are copied into a
/// fresh set, since a response from an actor has immutable headers.
pub fn secure(resp: Response) -> Result<Response> {
    secure_with(resp, SELF_ONLY)
}

/// [`secure`], with forms allowed to post to `form_action`.
pub fn secure_with(resp: Response, form_action: &str) -> Result<Response> {
    let h = headers_copy(&resp)?;
    add_security_headers(&h, form_action)?;
    Ok(resp.with_headers(h))
}

/// An admin page (from the actor or the router): the security headers,
/// with forms allowed to post to `form_action` and the one admin script
/// allowed, from the blog's own host `site_url`.
pub fn secure_admin(resp: Response, form_action: &str, site_url: &str) -> Result<Response> {
    let h = headers_copy(&resp)?;
    add_security_headers(&h, form_action)?;
    let script = format!(
        "{}{}",
        site_url.trim_end_matches('/'),
        views::admin::SCRIPT_PATH
    );
    h.set("content-security-policy", &admin_csp(form_action, &script))?;
    Ok(resp.with_headers(h))
}

/// An admin page built by the router, its forms posting to its own origin.
pub fn admin_html(status: u16, body: String, site_url: &str) -> Result<Response> {
    secure_admin(
        Response::from_html(body)?.with_status(status),
        SELF_ONLY,
        site_url,
    )
}

/// The admin script (`GET /admin/static/admin.js` on a blog's host): no
/// session needed, it is the same for every blog.
pub fn admin_script(method: &str) -> Result<Response> {
    if !matches!(method, "GET" | "HEAD") {
        let resp = Response::empty()?.with_status(405);
        resp.headers().set("allow", "GET, HEAD")?;
        return Ok(resp);
    }
    let resp = Response::ok(views::admin::SCRIPT)?;
    let h = resp.headers();
    h.set("content-type", "text/javascript; charset=utf-8")?;
    h.set("cache-control", "public, max-age=300")?;
    h.set("content-security-policy", SCRIPT_CSP)?;
    for (name, value) in SECURITY {
        h.set(name, value)?;
    }
    Ok(resp)
}

/// The platform's icon, on the hosts that are no blog (apex, auth): a
/// blog's own icon is one of its pages.
pub fn platform_icon(method: &str) -> Result<Response> {
    if !matches!(method, "GET" | "HEAD") {
        let resp = Response::empty()?.with_status(405);
        resp.headers().set("allow", "GET, HEAD")?;
        return Ok(resp);
    }
    let resp = Response::ok(grove_shared::feeds::favicon::platform_icon())?;
    let h = resp.headers();
    h.set(
        "content-type",
        grove_shared::reader_headers::Format::Svg.content_type(),
    )?;
    h.set("cache-control", "public, max-age=86400")?;
    h.set("content-security-policy", CSP_SELF)?;
    for (name, value) in SECURITY {
        h.set(name, value)?;
    }
    Ok(resp)
}

/// A response's headers as a fresh, changeable set (an actor's response
/// has immutable ones).
pub fn headers_copy(resp: &Response) -> Result<Headers> {
    let h = Headers::new();
    for (name, value) in resp.headers().entries() {
        h.append(&name, &value)?;
    }
    Ok(h)
}

/// An HTML response with a status.
pub fn html(status: u16, body: String) -> Result<Response> {
    secure(Response::from_html(body)?.with_status(status))
}

/// An HTML page of the auth host, whose forms redirect to the blogs.
pub fn auth_html(status: u16, body: String, config: &PlatformConfig) -> Result<Response> {
    secure_with(
        Response::from_html(body)?.with_status(status),
        &platform_form_action(config),
    )
}

/// 303 See Other.
pub fn see_other(location: &str) -> Result<Response> {
    let resp = Response::empty()?.with_status(303);
    resp.headers().set("location", location)?;
    Ok(resp)
}

/// A JSON error `{error, message}` with a status.
pub fn json_error(status: u16, error: &str, message: &str) -> Result<Response> {
    let body = serde_json::json!({ "error": error, "message": message });
    secure(Response::from_json(&body)?.with_status(status))
}

/// A [`Problem`] as a page or as JSON, with its headers and the security
/// headers.
pub fn problem(p: &Problem, format: Format) -> Result<Response> {
    let rendered = p.render(format);
    let resp = Response::ok(rendered.body)?.with_status(rendered.status);
    for (name, value) in &rendered.headers {
        resp.headers().set(name, value)?;
    }
    secure(resp)
}

/// A platform error page (not themed: no tenant is involved).
pub fn platform_error(status: u16, title: &str, message: &str, apex_url: &str) -> Result<Response> {
    html(
        status,
        views::platform_error(status, title, message, apex_url).into_string(),
    )
}

/// 301 to `location`.
pub fn moved_permanently(location: &str) -> Result<Response> {
    let resp = Response::empty()?.with_status(301);
    resp.headers().set("location", location)?;
    Ok(resp)
}

/// A permanent redirect to a site's canonical URL: 301 for GET and HEAD,
/// 308 (which keeps the method and body) for anything else.
pub fn to_canonical(location: &str, method: &str) -> Result<Response> {
    let status = if matches!(method, "GET" | "HEAD") {
        301
    } else {
        308
    };
    let resp = Response::empty()?.with_status(status);
    resp.headers().set("location", location)?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// 503 with `Retry-After`, for an actor that did not answer in time.
pub fn unavailable(apex_url: &str) -> Result<Response> {
    let resp = platform_error(
        503,
        "Temporarily unavailable",
        "This blog is taking too long to answer. Please try again in a moment.",
        apex_url,
    )?;
    resp.headers().set("retry-after", "5")?;
    Ok(resp)
}

/// 405 for methods the reader path does not serve.
pub fn method_not_allowed(apex_url: &str) -> Result<Response> {
    let resp = platform_error(
        405,
        "Method not allowed",
        "Only GET and HEAD are served here.",
        apex_url,
    )?;
    resp.headers().set("allow", "GET, HEAD")?;
    Ok(resp)
}

/// The last resort: a generic 500 that reveals nothing.
pub fn internal_error() -> Result<Response> {
    platform_error(
        500,
        "Something went wrong",
        "We could not serve this page. Please try again.",
        "/",
    )
}
