//! Host parsing and the router's first decision: which site does a Host name?
//!
//! Pure functions of the Host header and the configured base domain. The
//! router turns a [`HostRoute`] into a tenant lookup, a redirect or a
//! platform page; nothing here touches storage.

use std::net::Ipv6Addr;

use thiserror::Error;

/// Subdomains that belong to the platform and are never tenants: the hosts
/// Grove serves itself (www, auth, ops), names it may serve one day (api,
/// status, docs, ...), names of mail and DNS, and names that would let a
/// blog pass for the platform (billing, signin, security, ...).
///
/// The router treats every one of them as a platform host
/// ([`HostRoute::Platform`]): those it does not serve answer "No blog
/// here", never a tenant. So a name added here stops routing to any blog
/// that already has it: check `tenants` in production before adding one.
pub const RESERVED_SUBDOMAINS: &[&str] = &[
    "www",
    "auth",
    "admin",
    "api",
    "ops",
    "cdn",
    "domains",
    "static",
    "assets",
    "media",
    "mail",
    "app",
    "status",
    "help",
    "docs",
    "blog",
    "support",
    "billing",
    "pricing",
    "signup",
    "signin",
    "login",
    "logout",
    "register",
    "account",
    "accounts",
    "dashboard",
    "dev",
    "test",
    "root",
    "abuse",
    "security",
    "email",
    "smtp",
    "imap",
    "pop3",
    "ftp",
    "sftp",
    "ns1",
    "ns2",
    "ns3",
    "ns4",
    "webmail",
    "postmaster",
    "hostmaster",
    "webmaster",
    "grove",
    "about",
    "legal",
    "terms",
    "privacy",
    "contact",
    "news",
    "files",
    "uploads",
    "images",
    "img",
    "staging",
    "beta",
    "preview",
    "internal",
    "system",
    "localhost",
    "owner",
    "official",
];

/// Longest host name DNS allows.
const MAX_HOST_LEN: usize = 253;
/// Longest DNS label.
const MAX_LABEL_LEN: usize = 63;

/// Why a Host header could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HostError {
    #[error("the request has no Host header")]
    Missing,
    #[error("the Host header is not a valid host name")]
    Malformed,
}

/// Where a request goes, decided from its host alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostRoute {
    /// The base domain itself: the platform's landing page.
    Apex,
    /// `www.{base}`: permanently redirected to the apex.
    WwwRedirect,
    /// A reserved platform subdomain (auth, ops, ...), never a blog.
    Platform(String),
    /// `{sub}.{base}`: a tenant by subdomain (not yet known to exist).
    Subdomain(String),
    /// A host outside the base domain: a tenant only if it is a verified custom domain.
    CustomDomain(String),
    /// Something that can never be a blog (an IP literal, a nested subdomain).
    NoSite,
}

/// Normalises a Host header value: lower-cased, port and trailing dot removed,
/// and checked against DNS syntax. A bracketed IPv6 literal must be an IPv6
/// address (lower-cased, kept as written); IPv4 literals pass as DNS names.
pub fn normalize_host(raw: Option<&str>) -> Result<String, HostError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Err(HostError::Missing);
    }
    if let Some(rest) = raw.strip_prefix('[') {
        // IPv6 literal, optionally followed by a port.
        let (addr, after) = rest.split_once(']').ok_or(HostError::Malformed)?;
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(is_port);
        if !port_ok || addr.parse::<Ipv6Addr>().is_err() {
            return Err(HostError::Malformed);
        }
        return Ok(format!("[{}]", addr.to_ascii_lowercase()));
    }
    let host = match raw.rsplit_once(':') {
        Some((h, port)) if is_port(port) => h,
        Some(_) => return Err(HostError::Malformed),
        None => raw,
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if host.is_empty() || host.len() > MAX_HOST_LEN || !host.split('.').all(is_dns_label) {
        return Err(HostError::Malformed);
    }
    Ok(host)
}

fn is_port(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit())
}

/// One DNS label: 1–63 lower-case letters, digits and inner hyphens.
pub(crate) fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL_LEN
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_ip_literal(host: &str) -> bool {
    host.starts_with('[')
        || host
            .split('.')
            .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
}

/// Classifies a normalised host against the (lower-case) base domain.
pub fn classify(host: &str, base_domain: &str) -> HostRoute {
    if is_ip_literal(host) {
        return HostRoute::NoSite;
    }
    if host == base_domain {
        return HostRoute::Apex;
    }
    let Some(sub) = host
        .strip_suffix(base_domain)
        .and_then(|rest| rest.strip_suffix('.'))
    else {
        return HostRoute::CustomDomain(host.to_string());
    };
    if sub.contains('.') {
        return HostRoute::NoSite;
    }
    if sub == "www" {
        return HostRoute::WwwRedirect;
    }
    if RESERVED_SUBDOMAINS.contains(&sub) {
        return HostRoute::Platform(sub.to_string());
    }
    HostRoute::Subdomain(sub.to_string())
}

/// Shortest and longest subdomain a tenant may take.
pub const SUBDOMAIN_CHARS: std::ops::RangeInclusive<usize> = 3..=30;

/// Why a subdomain cannot be given to a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SubdomainError {
    #[error("An address is 3 to 30 characters long.")]
    Length,
    #[error("An address uses only lower-case letters a to z, digits and hyphens.")]
    Characters,
    #[error("An address cannot start or end with a hyphen, or have two hyphens in a row.")]
    Hyphens,
    #[error("That address is reserved by Grove.")]
    Reserved,
}

impl SubdomainError {
    /// A stable code for the API (`{available, reason, code}`).
    pub fn code(&self) -> &'static str {
        match self {
            SubdomainError::Length => "length",
            SubdomainError::Characters => "characters",
            SubdomainError::Hyphens => "hyphens",
            SubdomainError::Reserved => "reserved",
        }
    }
}

/// A subdomain as typed, ready for [`validate_subdomain`]: trimmed and
/// lower-cased (ASCII only, so no other letter turns into a valid one).
pub fn subdomain_from_input(raw: &str) -> String {
    raw.trim().to_ascii_lowercase()
}

/// Checks a subdomain a tenant asks for (already lower-cased by
/// [`subdomain_from_input`]): 3 to 30 of `a-z`, `0-9` and `-`, no hyphen at
/// either end or twice in a row, and not reserved. Taken and held names
/// are the caller's to check (they are in D1).
pub fn validate_subdomain(sub: &str) -> Result<(), SubdomainError> {
    if !SUBDOMAIN_CHARS.contains(&sub.chars().count()) {
        return Err(SubdomainError::Length);
    }
    if !sub
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(SubdomainError::Characters);
    }
    if sub.starts_with('-') || sub.ends_with('-') || sub.contains("--") {
        return Err(SubdomainError::Hyphens);
    }
    if RESERVED_SUBDOMAINS.contains(&sub) {
        return Err(SubdomainError::Reserved);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "grove.localhost";

    fn route(raw: &str) -> HostRoute {
        classify(&normalize_host(Some(raw)).unwrap(), BASE)
    }

    #[test]
    fn normalises_case_port_and_trailing_dot() {
        assert_eq!(
            normalize_host(Some("Autumn.Grove.LOCALHOST:8787")).unwrap(),
            "autumn.grove.localhost"
        );
        assert_eq!(
            normalize_host(Some("autumn.grove.localhost.")).unwrap(),
            "autumn.grove.localhost"
        );
        assert_eq!(normalize_host(Some("[::1]:8787")).unwrap(), "[::1]");
        assert_eq!(
            normalize_host(Some("[2001:DB8::1]")).unwrap(),
            "[2001:db8::1]"
        );
        assert_eq!(
            normalize_host(Some("[::FFFF:192.0.2.1]:443")).unwrap(),
            "[::ffff:192.0.2.1]"
        );
    }

    #[test]
    fn rejects_malformed_hosts() {
        assert_eq!(normalize_host(None), Err(HostError::Missing));
        assert_eq!(normalize_host(Some("  ")), Err(HostError::Missing));
        for bad in [
            "bad_host.grove.localhost",
            "a..grove.localhost",
            "-a.grove.localhost",
            "a-.grove.localhost",
            "autumn.grove.localhost:80x",
            "autumn.grove.localhost:",
            "autumn.grove.localhost:123456",
            "exa mple.com",
            "<script>.com",
            "[::1",
            "[zz]",
            // Bracketed, but not an IPv6 address.
            "[a]",
            "[:]",
            "[.]",
            "[1:2:3]",
            "[::1%25eth0]",
        ] {
            assert_eq!(
                normalize_host(Some(bad)),
                Err(HostError::Malformed),
                "{bad}"
            );
        }
        let long = format!("{}.com", "a".repeat(64));
        assert_eq!(normalize_host(Some(&long)), Err(HostError::Malformed));
    }

    #[test]
    fn routes_apex_www_reserved_and_tenants() {
        assert_eq!(route("grove.localhost"), HostRoute::Apex);
        assert_eq!(route("GROVE.localhost:8787"), HostRoute::Apex);
        assert_eq!(route("www.grove.localhost"), HostRoute::WwwRedirect);
        for r in ["auth", "admin", "api", "ops", "cdn", "static"] {
            assert_eq!(
                route(&format!("{r}.grove.localhost")),
                HostRoute::Platform(r.into())
            );
        }
        assert_eq!(
            route("autumn.grove.localhost"),
            HostRoute::Subdomain("autumn".into())
        );
        assert_eq!(route("a.b.grove.localhost"), HostRoute::NoSite);
    }

    #[test]
    fn hosts_outside_the_base_domain_are_custom_domains() {
        assert_eq!(
            route("autumn.test"),
            HostRoute::CustomDomain("autumn.test".into())
        );
        // A suffix match that is not on a label boundary is not the base domain.
        assert_eq!(
            route("evilgrove.localhost"),
            HostRoute::CustomDomain("evilgrove.localhost".into())
        );
        assert_eq!(route("127.0.0.1:8787"), HostRoute::NoSite);
        assert_eq!(route("[::1]"), HostRoute::NoSite);
    }

    #[test]
    fn subdomain_rules() {
        assert!(validate_subdomain("autumn").is_ok());
        assert!(validate_subdomain("my-blog-2").is_ok());
        assert!(validate_subdomain("abc").is_ok());
        assert!(validate_subdomain(&"a".repeat(30)).is_ok());
        assert_eq!(validate_subdomain("ab"), Err(SubdomainError::Length));
        assert_eq!(
            validate_subdomain(&"a".repeat(31)),
            Err(SubdomainError::Length)
        );
        assert_eq!(validate_subdomain("Bad"), Err(SubdomainError::Characters));
        assert_eq!(
            validate_subdomain("my_blog"),
            Err(SubdomainError::Characters)
        );
        assert_eq!(validate_subdomain("café"), Err(SubdomainError::Characters));
        assert_eq!(validate_subdomain("-bad"), Err(SubdomainError::Hyphens));
        assert_eq!(validate_subdomain("bad-"), Err(SubdomainError::Hyphens));
        assert_eq!(validate_subdomain("my--blog"), Err(SubdomainError::Hyphens));
        assert_eq!(validate_subdomain("admin"), Err(SubdomainError::Reserved));
        assert_eq!(validate_subdomain("billing"), Err(SubdomainError::Reserved));
    }

    #[test]
    fn input_is_lower_cased_in_ascii_only() {
        assert_eq!(subdomain_from_input("  My-Blog "), "my-blog");
        assert!(validate_subdomain(&subdomain_from_input("AUTUMN")).is_ok());
        assert_eq!(
            validate_subdomain(&subdomain_from_input("WWW")),
            Err(SubdomainError::Reserved)
        );
        // The Kelvin sign lower-cases to "k" in Unicode, not in ASCII.
        assert_eq!(
            validate_subdomain(&subdomain_from_input("\u{212A}elvin")),
            Err(SubdomainError::Characters)
        );
    }

    #[test]
    fn the_names_a_platform_needs_are_reserved_and_route_to_no_blog() {
        for name in [
            "www",
            "auth",
            "ops",
            "api",
            "admin",
            "mail",
            "static",
            "media",
            "cdn",
            "status",
            "help",
            "support",
            "blog",
            "billing",
            "pricing",
            "signup",
            "signin",
            "login",
            "account",
            "dashboard",
            "assets",
            "app",
            "docs",
            "dev",
            "test",
            "root",
            "abuse",
            "security",
            "email",
            "smtp",
            "ftp",
            "ns1",
            "ns2",
        ] {
            assert!(RESERVED_SUBDOMAINS.contains(&name), "{name}");
            let expected = if name == "www" {
                HostRoute::WwwRedirect
            } else {
                HostRoute::Platform(name.into())
            };
            assert_eq!(route(&format!("{name}.grove.localhost")), expected);
        }
        for name in RESERVED_SUBDOMAINS {
            assert!(is_dns_label(name), "{name} is a DNS label");
            assert_eq!(*name, name.to_ascii_lowercase());
        }
    }

    #[test]
    fn no_error_code_is_shared() {
        let codes = [
            SubdomainError::Length,
            SubdomainError::Characters,
            SubdomainError::Hyphens,
            SubdomainError::Reserved,
        ]
        .map(|e| e.code());
        for (i, c) in codes.iter().enumerate() {
            assert!(!codes[i + 1..].contains(c), "{c}");
        }
    }
}
