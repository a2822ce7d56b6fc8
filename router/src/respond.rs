//! Building responses: HTML with security headers, redirects and the
//! platform's error pages. Nothing here puts internal error text in a body.

use grove_shared::views;
use worker::{Headers, Response, Result};

use grove_shared::config::PlatformConfig;

/// The Content-Security-Policy of every page. Pages are readable without
/// JavaScript and load no scripts, so the policy forbids them outright.
/// `form_action` lists where forms may post (and redirect after posting).
fn csp(form_action: &str) -> String {
    format!(
        "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; \
         base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
    )
}

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

/// Adds the security headers to a response. The headers are copied into a
/// fresh set, since a response from an actor has immutable headers.
pub fn secure(resp: Response) -> Result<Response> {
    secure_with(resp, "'self'")
}

/// [`secure`], with forms allowed to post to `form_action`.
pub fn secure_with(resp: Response, form_action: &str) -> Result<Response> {
    let h = Headers::new();
    for (name, value) in resp.headers().entries() {
        h.append(&name, &value)?;
    }
    h.set("content-security-policy", &csp(form_action))?;
    h.set("x-content-type-options", "nosniff")?;
    h.set("referrer-policy", "strict-origin-when-cross-origin")?;
    h.set("x-frame-options", "DENY")?;
    Ok(resp.with_headers(h))
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
