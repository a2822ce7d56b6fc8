//! Host headers: parsing never panics, its output is a valid host and a
//! fixed point, every valid spelling is accepted, and classification
//! agrees with a model written from the rules in `host.rs`'s docs.

use std::net::Ipv6Addr;

use grove_shared::accounts::names::{check_rules, stored_verdict, Availability};
use grove_shared::host::{
    classify, normalize_host, subdomain_from_input, validate_subdomain, HostRoute,
    RESERVED_SUBDOMAINS,
};
use proptest::prelude::*;

const BASES: &[&str] = &["grove.place", "grove.localhost", "blog.example.co.uk"];

/// A DNS label as the model sees it: 1–63 of `a-z0-9-`, no edge hyphen.
fn model_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What normalize_host may return: a lower-case DNS name of at most 253
/// bytes, or a bracketed IPv6 address.
fn model_valid_host(host: &str) -> bool {
    match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(addr) => addr.parse::<Ipv6Addr>().is_ok() && addr == addr.to_ascii_lowercase(),
        None => host.len() <= 253 && host.split('.').all(model_label),
    }
}

/// Where a normalised host goes, written from the rules, label by label.
fn model_route(host: &str, base: &str) -> HostRoute {
    let labels: Vec<&str> = host.split('.').collect();
    if host.starts_with('[') || labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return HostRoute::NoSite;
    }
    let base_labels: Vec<&str> = base.split('.').collect();
    if labels == base_labels {
        return HostRoute::Apex;
    }
    if labels.len() <= base_labels.len() || !labels.ends_with(&base_labels) {
        return HostRoute::CustomDomain(host.to_string());
    }
    if labels.len() > base_labels.len() + 1 {
        return HostRoute::NoSite;
    }
    match labels[0] {
        "www" => HostRoute::WwwRedirect,
        sub if RESERVED_SUBDOMAINS.contains(&sub) => HostRoute::Platform(sub.to_string()),
        sub => HostRoute::Subdomain(sub.to_string()),
    }
}

/// A blog address as the issue states the rules: 3 to 30 characters of
/// `a-z0-9-`, no hyphen first, last or twice in a row, not reserved.
fn model_subdomain(s: &str) -> bool {
    (3..=30).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && !RESERVED_SUBDOMAINS.contains(&s)
}

/// Names near the rules' edges: hyphens, capitals, other characters,
/// reserved names, lengths around 3 and 30.
fn subdomain_input() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9-]{0,33}",
        "[a-zA-Z0-9_.-]{0,33}",
        prop::sample::select(RESERVED_SUBDOMAINS.to_vec()).prop_map(str::to_string),
        prop::sample::select(RESERVED_SUBDOMAINS.to_vec()).prop_map(|r| r.to_uppercase()),
        "[a-z]{1,3}--[a-z]{1,3}",
        any::<String>(),
    ]
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "www",
            "auth",
            "admin",
            "ops",
            "grove",
            "place",
            "localhost",
            "autumn",
            "evilgrove",
            "blog",
            "example",
            "co",
            "uk",
            "127",
            "0",
            "1",
            "xn--bcher-kva",
            "a-b",
        ])
        .prop_map(str::to_string),
        "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?",
        Just("a".repeat(63)),
    ]
}

/// Host names made of labels that often end in a base domain.
fn host_name() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(label(), 0..3),
        prop::option::of(prop::sample::select(BASES.to_vec())),
    )
        .prop_map(|(mut labels, base)| {
            if let Some(base) = base {
                labels.push(base.to_string());
            }
            if labels.is_empty() {
                labels.push("grove".to_string());
            }
            labels.join(".")
        })
}

/// A spelling of a host as a client might send it.
fn raw_host() -> impl Strategy<Value = String> {
    let spelled = (
        host_name(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of("[0-9]{0,6}|[0-9a-z:]{0,4}"),
        "[ \t]{0,2}",
    )
        .prop_map(|(host, upper, dot, port, pad)| {
            let mut h = if upper { host.to_uppercase() } else { host };
            if dot {
                h.push('.');
            }
            if let Some(p) = port {
                h = format!("{h}:{p}");
            }
            format!("{pad}{h}{pad}")
        });
    prop_oneof![
        3 => spelled,
        1 => "\\[[0-9a-fA-F:.]{0,12}\\](:[0-9]{0,6})?",
        1 => "[a-zA-Z0-9.:\\[\\]_@ -]{0,20}",
        1 => any::<String>(),
    ]
}

proptest! {
    #[test]
    fn normalize_host_gives_valid_hosts_and_is_idempotent(raw in raw_host()) {
        if let Ok(host) = normalize_host(Some(&raw)) {
            prop_assert!(model_valid_host(&host), "{raw:?} gave {host:?}");
            prop_assert_eq!(normalize_host(Some(&host)), Ok(host.clone()));
            for base in BASES {
                // Classifying never panics on anything normalize_host gives.
                let _ = classify(&host, base);
            }
        }
    }

    /// Every valid host name, in any case, with a trailing dot or a port,
    /// is accepted as its lower-case self.
    #[test]
    fn valid_spellings_are_accepted(
        host in host_name(),
        upper in any::<bool>(),
        dot in any::<bool>(),
        port in prop::option::of(0u32..100_000),
    ) {
        prop_assume!(host.len() <= 253);
        let mut raw = if upper { host.to_uppercase() } else { host.clone() };
        if dot {
            raw.push('.');
        }
        if let Some(p) = port {
            raw = format!("{raw}:{p}");
        }
        prop_assert_eq!(normalize_host(Some(&raw)), Ok(host));
    }

    #[test]
    fn classify_agrees_with_the_model(host in host_name(), base in prop::sample::select(BASES.to_vec())) {
        prop_assume!(normalize_host(Some(&host)).as_deref() == Ok(host.as_str()));
        prop_assert_eq!(classify(&host, base), model_route(&host, base));
    }

    /// A subdomain that sign-up accepts is routed to its blog.
    #[test]
    fn accepted_subdomains_route_to_their_blog(sub in "[a-z0-9-]{1,32}", base in prop::sample::select(BASES.to_vec())) {
        if validate_subdomain(&sub).is_ok() {
            let host = normalize_host(Some(&format!("{sub}.{base}")));
            prop_assert_eq!(host.map(|h| classify(&h, base)), Ok(HostRoute::Subdomain(sub)));
        }
    }
}

proptest! {
    /// `validate_subdomain` says exactly what the rules say.
    #[test]
    fn subdomain_rules_agree_with_the_model(sub in subdomain_input()) {
        prop_assert_eq!(validate_subdomain(&sub).is_ok(), model_subdomain(&sub), "{:?}", sub);
    }

    /// Case never matters: any spelling is checked as its lower case, and
    /// a name is available in upper case exactly when it is in lower case.
    #[test]
    fn case_does_not_matter(sub in "[a-zA-Z0-9-]{0,32}", pad in "[ \t]{0,2}") {
        let typed = format!("{pad}{sub}{pad}");
        let lower = sub.to_ascii_lowercase();
        prop_assert_eq!(subdomain_from_input(&typed), lower.clone());
        prop_assert_eq!(check_rules(&typed).1.is_ok(), model_subdomain(&lower));
    }

    /// The API never calls a name available that breaks a rule, is taken
    /// or is held; and it always gives a reason and a code when it is not.
    #[test]
    fn availability_is_the_rules_then_taken_then_held(raw in subdomain_input(), taken in any::<bool>(), held in any::<bool>()) {
        let (name, rules) = check_rules(&raw);
        let verdict = rules.and_then(|()| stored_verdict(taken, held));
        let a = Availability::new(name.clone(), &verdict);
        prop_assert_eq!(a.available, model_subdomain(&name) && !taken && !held);
        prop_assert_eq!(a.reason.is_some(), !a.available);
        prop_assert_eq!(a.code.is_some(), !a.available);
        if model_subdomain(&name) && taken {
            prop_assert_eq!(a.code, Some("taken"));
        }
        if model_subdomain(&name) && !taken && held {
            prop_assert_eq!(a.code, Some("held"));
        }
    }
}
