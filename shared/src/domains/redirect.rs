//! Which reader requests go to another host of the same blog: decided by
//! the router on every request from the mapping it already holds (the
//! host map keeps each blog's primary domain, and an alias's domain, in
//! its [`TenantRef`]), so it costs no read.
//!
//! - When a custom domain is primary, every other host of the blog (the
//!   subdomain, other domains, aliases) sends readers there: 301, same
//!   path and query.
//! - An alias (`www.example.com` of `example.com`, or the reverse) always
//!   redirects: to the primary domain if there is one, else to its domain.
//! - `/admin` is never redirected: the session cookie lives on the
//!   platform's domain, so the admin stays on the subdomain. Media files
//!   are not either: their URLs are the same on every host, and an image
//!   should not cost a redirect.

use crate::model::TenantRef;

/// Paths served on every host of a blog, whatever its primary.
fn stays(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/") || path.starts_with("/media/")
}

/// The host a reader's request for `path` on `host` must be redirected
/// to, if any.
pub fn reader_redirect<'a>(tenant: &'a TenantRef, host: &str, path: &str) -> Option<&'a str> {
    if stays(path) {
        return None;
    }
    match (&tenant.primary_domain, &tenant.alias_of) {
        (Some(primary), _) if primary != host => Some(primary),
        (None, Some(domain)) => Some(domain),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(primary: Option<&str>, alias_of: Option<&str>) -> TenantRef {
        TenantRef {
            id: "t".into(),
            subdomain: "autumn".into(),
            owner_id: "u".into(),
            primary_domain: primary.map(str::to_string),
            alias_of: alias_of.map(str::to_string),
        }
    }

    #[test]
    fn with_no_primary_domain_every_host_serves_and_aliases_redirect() {
        let t = tenant(None, None);
        assert_eq!(reader_redirect(&t, "autumn.grove.place", "/blog"), None);
        assert_eq!(reader_redirect(&t, "example.com", "/blog"), None);
        let alias = tenant(None, Some("example.com"));
        assert_eq!(
            reader_redirect(&alias, "www.example.com", "/blog/x"),
            Some("example.com")
        );
    }

    #[test]
    fn a_primary_domain_takes_every_reader_but_not_the_admin_or_media() {
        let t = tenant(Some("example.com"), None);
        assert_eq!(
            reader_redirect(&t, "autumn.grove.place", "/"),
            Some("example.com")
        );
        assert_eq!(
            reader_redirect(&t, "other.example", "/blog?page=2"),
            Some("example.com")
        );
        assert_eq!(
            reader_redirect(&t, "example.com", "/"),
            None,
            "it serves itself"
        );
        for path in [
            "/admin",
            "/admin/",
            "/admin/posts/new",
            "/admin/static/admin.js",
            "/media/0123.png",
        ] {
            assert_eq!(
                reader_redirect(&t, "autumn.grove.place", path),
                None,
                "{path}"
            );
        }
        assert_eq!(
            reader_redirect(&t, "autumn.grove.place", "/administer"),
            Some("example.com")
        );
        let alias = tenant(Some("primary.example"), Some("example.com"));
        assert_eq!(
            reader_redirect(&alias, "www.example.com", "/"),
            Some("primary.example")
        );
    }
}
