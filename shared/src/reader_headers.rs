//! The headers of a reader's page, decided once for the router and the
//! actor: caching policy by edge outcome, the validators, and the security
//! headers every page carries.

/// `hit`, `miss` or `bypass` on every reader page: what the edge did.
pub const EDGE_HEADER: &str = "x-grove-edge";
/// Content type of an HTML page.
pub const HTML: &str = "text/html; charset=utf-8";

/// What a reader's page is, which decides its `Content-Type`. Feeds,
/// sitemaps, `robots.txt` and the favicon are pages like any other
/// (rendered by a write, kept by the actor and the edge, validated by
/// ETag); only their type differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    #[default]
    Html,
    /// RSS 2.0.
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.1.
    JsonFeed,
    /// Other XML (sitemaps).
    Xml,
    /// Plain text (`robots.txt`).
    Text,
    /// An SVG image (the favicon).
    Svg,
}

impl Format {
    /// The `Content-Type` header of a page of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => HTML,
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::JsonFeed => "application/feed+json; charset=utf-8",
            Format::Xml => "application/xml; charset=utf-8",
            Format::Text => "text/plain; charset=utf-8",
            Format::Svg => "image/svg+xml",
        }
    }
}

/// What the edge did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Served by the edge (the isolate's memory or the location's cache).
    Hit,
    /// Cacheable, fetched from the actor and kept at the edge.
    Miss,
    /// Never cached (a signed-in reader, a non-canonical URL).
    Bypass,
}

impl Edge {
    pub fn as_str(self) -> &'static str {
        match self {
            Edge::Hit => "hit",
            Edge::Miss => "miss",
            Edge::Bypass => "bypass",
        }
    }
}

/// The browser's `Cache-Control` for a page: public pages revalidate on
/// every use (so a write shows at once, with a 304 when nothing changed),
/// a signed-in reader's copy is private, and errors are never stored.
pub fn cache_control(status: u16, edge: Edge) -> &'static str {
    match (status, edge) {
        (200, Edge::Bypass) => "private, no-cache",
        (200, _) => "public, max-age=0, must-revalidate",
        _ => "no-store",
    }
}

/// The Content-Security-Policy of a page whose forms post to its own
/// origin. Pages load no scripts, so the policy forbids them outright.
pub const CSP_SELF: &str = "default-src 'none'; img-src https: http: data:; \
     style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The Content-Security-Policy with forms allowed to post to `form_action`.
pub fn csp(form_action: &str) -> String {
    CSP_SELF.replace("form-action 'self'", &format!("form-action {form_action}"))
}

/// The admin's Content-Security-Policy: [`csp`] plus `script-src` naming
/// the one admin script by its full URL (a source with a path matches
/// that file only), so no other script, and no inline script, runs.
pub fn admin_csp(form_action: &str, script_url: &str) -> String {
    format!("{}; script-src {script_url}", csp(form_action))
}

/// The CSP of the admin script itself (a script needs no capabilities).
pub const SCRIPT_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The security headers besides the CSP, on every response.
pub const SECURITY: [(&str, &str); 3] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
];

/// Every header of a reader's page, whoever builds the response (the
/// router's edge, the actor's ready-made pages): type, validators, browser
/// caching, what the edge did, and the security headers.
pub fn page_headers<'a>(
    status: u16,
    content_type: &'a str,
    etag: &'a str,
    last_modified: Option<&'a str>,
    edge: Edge,
) -> Vec<(&'static str, &'a str)> {
    let mut h = vec![("content-type", content_type), ("etag", etag)];
    if let Some(modified) = last_modified {
        h.push(("last-modified", modified));
    }
    h.push(("cache-control", cache_control(status, edge)));
    h.push((EDGE_HEADER, edge.as_str()));
    h.push(("content-security-policy", CSP_SELF));
    h.extend(SECURITY);
    h
}

/// Whether `If-None-Match` (as sent) matches `etag`.
pub fn etag_matches(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|p| p.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_by_status_and_edge() {
        assert_eq!(
            cache_control(200, Edge::Hit),
            cache_control(200, Edge::Miss)
        );
        assert!(cache_control(200, Edge::Hit).contains("must-revalidate"));
        assert!(cache_control(200, Edge::Bypass).starts_with("private"));
        assert_eq!(cache_control(404, Edge::Miss), "no-store");
    }

    #[test]
    fn the_csp_forbids_scripts_and_names_the_form_targets() {
        assert!(CSP_SELF.contains("default-src 'none'") && !CSP_SELF.contains("script-src"));
        let wide = csp("'self' https://*.grove.place");
        assert!(wide.contains("form-action 'self' https://*.grove.place;"));
        assert_eq!(csp("'self'"), CSP_SELF);
    }

    #[test]
    fn the_admin_csp_allows_its_one_script_and_nothing_inline() {
        let policy = admin_csp(
            "'self' https://auth.grove.place",
            "https://autumn.grove.place/admin/static/admin.js",
        );
        assert!(policy.starts_with("default-src 'none';"));
        assert!(policy.contains("form-action 'self' https://auth.grove.place;"));
        assert!(policy.ends_with("; script-src https://autumn.grove.place/admin/static/admin.js"));
        assert_eq!(policy.matches("script-src").count(), 1);
        assert!(!policy.contains("unsafe-inline'; script") && !policy.contains("'unsafe-eval'"));
        assert!(
            !CSP_SELF.contains("script-src"),
            "reader pages still allow no script"
        );
    }

    #[test]
    fn a_page_carries_its_validators_policy_and_security_headers() {
        let h = page_headers(
            200,
            HTML,
            "\"e\"",
            Some("Mon, 30 Nov 2026 00:00:00 GMT"),
            Edge::Hit,
        );
        let get = |n: &str| h.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        assert_eq!(get("etag"), Some("\"e\""));
        assert_eq!(get(EDGE_HEADER), Some("hit"));
        assert_eq!(get("cache-control"), Some(cache_control(200, Edge::Hit)));
        assert_eq!(get("content-security-policy"), Some(CSP_SELF));
        assert_eq!(get("x-frame-options"), Some("DENY"));
        let fresh = page_headers(404, HTML, "\"e\"", None, Edge::Bypass);
        assert!(!fresh.iter().any(|(k, _)| *k == "last-modified"));
        assert!(fresh.contains(&("cache-control", "no-store")));
    }

    #[test]
    fn each_format_names_its_own_type() {
        assert_eq!(Format::default().content_type(), HTML);
        assert!(Format::Rss
            .content_type()
            .starts_with("application/rss+xml"));
        assert!(Format::Atom
            .content_type()
            .starts_with("application/atom+xml"));
        assert!(Format::JsonFeed
            .content_type()
            .starts_with("application/feed+json"));
        assert_eq!(Format::Svg.content_type(), "image/svg+xml");
    }

    #[test]
    fn etags_match_lists_and_wildcards() {
        assert!(etag_matches(Some("\"a\", \"b\""), "\"b\""));
        assert!(etag_matches(Some("*"), "\"b\""));
        assert!(!etag_matches(Some("\"a\""), "\"b\""));
        assert!(!etag_matches(None, "\"b\""));
    }
}
