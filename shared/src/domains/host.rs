//! What a custom domain may be: the rules for the name an owner types,
//! whether it is a bare (apex) domain, and its www or bare counterpart.
//!
//! A custom domain is a public DNS name outside the platform's base
//! domain: not an IP address, not a name for local or special use, lower
//! case, without scheme, port, path or trailing dot. Internationalised
//! names are taken in their `xn--` form (no IDNA tables in the worker).

use std::net::Ipv4Addr;

use thiserror::Error;

use crate::host::is_dns_label;

/// Longest domain name DNS allows.
pub const MAX_DOMAIN_LEN: usize = 253;

/// Top-level names that never reach a public server: loopback, link-local
/// multicast DNS, reserved-invalid, private use, reverse lookups, Tor.
/// (`.test` and `.example` are allowed: tests and documentation use them.)
const SPECIAL_USE_TLDS: &[&str] = &[
    "localhost",
    "local",
    "invalid",
    "internal",
    "arpa",
    "onion",
    "lan",
    "home",
    "corp",
];

/// Public suffixes of two labels common enough to matter for telling a bare
/// domain (`example.co.uk`) from a subdomain (`blog.example.com`). Only the
/// DNS guidance and the www option depend on it, never what is allowed.
const TWO_LABEL_SUFFIXES: &[&str] = &[
    "co.uk", "org.uk", "me.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "com.au", "net.au",
    "org.au", "co.nz", "org.nz", "co.jp", "ne.jp", "or.jp", "com.br", "com.cn", "com.mx", "co.in",
    "co.za", "com.tr", "co.kr", "com.sg", "com.hk", "com.tw", "co.il", "com.ar",
];

/// Why a typed name cannot be a custom domain. The messages are shown to
/// the owner next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainNameError {
    #[error("Enter a domain name, like example.com or blog.example.com.")]
    Empty,
    #[error("Enter the domain name only, without http:// or a path: like example.com.")]
    NotAName,
    #[error("Enter the domain name without a port: like example.com.")]
    Port,
    #[error("An IP address cannot be a custom domain: enter a domain name, like example.com.")]
    IpAddress,
    #[error("A domain name uses letters, digits and hyphens, with dots between its parts; enter an internationalised name in its xn-- form.")]
    Characters,
    #[error("A domain has at least two parts, like example.com.")]
    OneLabel,
    #[error("That name is too long: at most 253 characters, and 63 between dots.")]
    TooLong,
    #[error("{0} is Grove's own address: your blog already answers on its subdomain. Enter a domain of your own.")]
    Platform(String),
    #[error("{0} is a name for local or special use that the internet cannot reach. Enter a public domain.")]
    SpecialUse(String),
}

/// The custom domain an owner typed, normalised (lower case, no trailing
/// dot), or why it cannot be one. `base_domain` is the platform's.
pub fn normalize_domain(input: &str, base_domain: &str) -> Result<String, DomainNameError> {
    let raw = input.trim();
    if raw.is_empty() {
        return Err(DomainNameError::Empty);
    }
    if raw.contains("://") || raw.contains(['/', '?', '#', '@']) {
        return Err(DomainNameError::NotAName);
    }
    if raw.starts_with('[') || raw.matches(':').count() > 1 {
        let bare = raw.trim_start_matches('[').split(']').next().unwrap_or("");
        return Err(if bare.parse::<std::net::Ipv6Addr>().is_ok() {
            DomainNameError::IpAddress
        } else {
            DomainNameError::Characters
        });
    }
    if let Some((_, port)) = raw.split_once(':') {
        return Err(if port.bytes().all(|b| b.is_ascii_digit()) {
            DomainNameError::Port
        } else {
            DomainNameError::Characters
        });
    }
    if !raw.is_ascii() {
        return Err(DomainNameError::Characters);
    }
    let lower = raw.to_ascii_lowercase();
    let host = lower.strip_suffix('.').unwrap_or(&lower);
    if host.len() > MAX_DOMAIN_LEN {
        return Err(DomainNameError::TooLong);
    }
    if host.parse::<Ipv4Addr>().is_ok() {
        return Err(DomainNameError::IpAddress);
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().any(|l| l.len() > 63) {
        return Err(DomainNameError::TooLong);
    }
    if !labels.iter().all(|l| is_dns_label(l)) {
        return Err(DomainNameError::Characters);
    }
    if labels.len() < 2 {
        return Err(DomainNameError::OneLabel);
    }
    let tld = labels[labels.len() - 1];
    if tld.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainNameError::IpAddress);
    }
    if !tld.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(DomainNameError::Characters);
    }
    if host == base_domain || host.ends_with(&format!(".{base_domain}")) {
        return Err(DomainNameError::Platform(host.to_string()));
    }
    if SPECIAL_USE_TLDS.contains(&tld) {
        return Err(DomainNameError::SpecialUse(host.to_string()));
    }
    Ok(host.to_string())
}

/// Whether `host` (normalised) is a bare domain, the one a registrar
/// sells (`example.com`, `example.co.uk`): DNS allows no CNAME there.
pub fn is_apex(host: &str) -> bool {
    let labels = host.split('.').count();
    match labels {
        2 => !TWO_LABEL_SUFFIXES.contains(&host),
        3 => host
            .split_once('.')
            .is_some_and(|(_, suffix)| TWO_LABEL_SUFFIXES.contains(&suffix)),
        _ => false,
    }
}

/// The other spelling readers type for the same site: `www.example.com`
/// for the bare `example.com`, and `example.com` for `www.example.com`.
/// `None` for any other name (a subdomain such as `blog.example.com`).
pub fn counterpart(host: &str) -> Option<String> {
    match host.strip_prefix("www.") {
        Some(bare) if is_apex(bare) => Some(bare.to_string()),
        Some(_) => None,
        None if is_apex(host) => Some(format!("www.{host}")),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "grove.place";

    fn ok(input: &str) -> String {
        normalize_domain(input, BASE).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    fn err(input: &str) -> DomainNameError {
        normalize_domain(input, BASE).expect_err(input)
    }

    #[test]
    fn real_names_are_normalised() {
        assert_eq!(ok("Example.COM"), "example.com");
        assert_eq!(ok("  blog.example.com.  "), "blog.example.com");
        assert_eq!(ok("www.example.co.uk"), "www.example.co.uk");
        assert_eq!(ok("xn--bcher-kva.example"), "xn--bcher-kva.example");
        assert_eq!(ok("my-site.test"), "my-site.test");
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        assert_eq!(err(""), DomainNameError::Empty);
        assert_eq!(err("   "), DomainNameError::Empty);
        assert_eq!(err("https://example.com"), DomainNameError::NotAName);
        assert_eq!(err("example.com/blog"), DomainNameError::NotAName);
        assert_eq!(err("me@example.com"), DomainNameError::NotAName);
        assert_eq!(err("example.com:8080"), DomainNameError::Port);
        assert_eq!(err("192.0.2.1"), DomainNameError::IpAddress);
        assert_eq!(err("[2001:db8::1]"), DomainNameError::IpAddress);
        assert_eq!(err("2001:db8::1"), DomainNameError::IpAddress);
        assert_eq!(err("10.0.0.300"), DomainNameError::IpAddress);
        assert_eq!(err("bad_name.com"), DomainNameError::Characters);
        assert_eq!(err("exa mple.com"), DomainNameError::Characters);
        assert_eq!(err("-x.com"), DomainNameError::Characters);
        assert_eq!(err("a..com"), DomainNameError::Characters);
        assert_eq!(err("bücher.example"), DomainNameError::Characters);
        assert_eq!(err("example.4com"), DomainNameError::Characters);
        assert_eq!(err("localhost"), DomainNameError::OneLabel);
        assert_eq!(err("com"), DomainNameError::OneLabel);
        assert_eq!(
            err(&format!("{}.com", "a".repeat(64))),
            DomainNameError::TooLong
        );
        assert_eq!(
            err(&format!("{}com", "abcdefghi.".repeat(26))),
            DomainNameError::TooLong
        );
        assert_eq!(
            err("grove.place"),
            DomainNameError::Platform("grove.place".into())
        );
        assert_eq!(
            err("Autumn.Grove.Place"),
            DomainNameError::Platform("autumn.grove.place".into())
        );
        assert_eq!(
            err("a.b.grove.place"),
            DomainNameError::Platform("a.b.grove.place".into())
        );
        // Not the base domain: only a suffix on a label boundary is.
        assert_eq!(ok("evilgrove.place"), "evilgrove.place");
        for special in [
            "blog.localhost",
            "printer.local",
            "x.invalid",
            "a.internal",
            "1.in-addr.arpa",
        ] {
            assert!(
                matches!(err(special), DomainNameError::SpecialUse(_)),
                "{special}"
            );
        }
    }

    #[test]
    fn every_refusal_says_what_to_do() {
        for e in [
            err(""),
            err("http://x.com"),
            err("x.com:1"),
            err("1.2.3.4"),
            err("a_b.com"),
            err("x"),
        ] {
            assert!(e.to_string().ends_with('.'), "{e}");
        }
        assert!(err("grove.place").to_string().contains("grove.place"));
    }

    #[test]
    fn bare_domains_and_their_www_counterparts() {
        assert!(is_apex("example.com"));
        assert!(is_apex("example.co.uk"));
        assert!(!is_apex("co.uk"), "a public suffix is not a domain");
        assert!(!is_apex("blog.example.com"));
        assert!(!is_apex("www.example.co.uk"));
        assert_eq!(
            counterpart("example.com").as_deref(),
            Some("www.example.com")
        );
        assert_eq!(
            counterpart("www.example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            counterpart("example.co.uk").as_deref(),
            Some("www.example.co.uk")
        );
        assert_eq!(
            counterpart("www.example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(counterpart("blog.example.com"), None);
        assert_eq!(counterpart("www.blog.example.com"), None);
    }
}
