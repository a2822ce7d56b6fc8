//! Sign-in redirects: whatever `return_to` holds, the result is absent or
//! a URL on one of the platform's own hosts, as a browser would read it;
//! it is a fixed point; and percent-coding round-trips.

use grove_shared::auth::return_to::{percent_decode, percent_encode_component, safe_return_to};
use grove_shared::config::PlatformConfig;
use proptest::prelude::*;

fn config() -> impl Strategy<Value = PlatformConfig> {
    prop::sample::select(vec![
        ("grove.place", "https", ""),
        ("grove.localhost", "http", "8787"),
    ])
    .prop_map(|(b, s, p)| PlatformConfig::from_vars(b, s, p).unwrap())
}

/// A host part with the tricks of open redirects.
fn authority() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "grove.place",
            "GROVE.place",
            "autumn.grove.place",
            "a.b.grove.place",
            "evilgrove.place",
            "grove.place.evil.test",
            "evil.test",
            "grove.place@evil.test",
            "evil.test@grove.place",
            "grove.place\\@evil.test",
            "grove.place:443",
            "grove.place:",
            "grove.localhost:8787",
            "auth.grove.localhost:8787",
            "grove.localhost:08787",
            "grove.localhost",
            "[::1]",
            "127.0.0.1",
            "grove.place.",
            "%67rove.place",
            "grove.place%2F@evil.test",
        ])
        .prop_map(str::to_string),
        "[a-z.@:\\\\%0-9-]{0,20}",
    ]
}

fn tail() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "/[a-zA-Z0-9/._~!$&'()*+,;=:@-]{0,12}(%[0-9a-fA-F]{2})?(\\?[a-zA-Z0-9=&/:@.-]{0,10})?",
        1 => "[/a-zA-Z0-9?&=%.:@\\\\#;+ \t-]{0,20}",
        1 => prop::sample::select(vec![
            "//evil.test/", "/\\evil.test", "/%2F%2Fevil.test", "/%5Cevil.test", "/@evil.test",
            "/..//evil.test", "/?next=https://evil.test", "/#@evil.test", "/%0d%0aSet-Cookie:x=1",
        ])
        .prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

/// A config and a `return_to` for it: often its own origin with a twist
/// in the host or path, sometimes anything at all.
fn case() -> impl Strategy<Value = (PlatformConfig, String)> {
    config().prop_flat_map(|config| {
        let own = (
            prop::option::of("[a-zA-Z0-9-]{1,8}|[a-z]{1,4}\\.[a-z]{1,4}"),
            prop_oneof![
                3 => Just(""),
                1 => prop::sample::select(vec![".", "@evil.test", ".evil.test", ":", ":0", "\\"]),
            ],
        )
            .prop_map({
                let config = config.clone();
                move |(sub, twist)| {
                    let host = match sub {
                        Some(s) => format!("{s}.{}", config.base_domain),
                        None => config.base_domain.clone(),
                    };
                    let origin = config.origin(&host);
                    let (before_port, port) = match origin.rsplit_once(':') {
                        Some((b, p)) if !p.starts_with('/') => (b.to_string(), format!(":{p}")),
                        _ => (origin.clone(), String::new()),
                    };
                    format!("{before_port}{twist}{port}")
                }
            });
        let origin = prop_oneof![
            3 => own,
            1 => (
                prop::sample::select(vec!["https://", "http://", "HTTPS://", "https:/", "//", "https:\\\\", "javascript://", ""]),
                authority(),
            )
                .prop_map(|(s, a)| format!("{s}{a}")),
        ];
        let raw = prop_oneof![
            6 => (origin, tail()).prop_map(|(o, t)| format!("{o}{t}")),
            1 => any::<String>(),
        ];
        (Just(config), raw)
    })
}

/// Where a browser would go for `url`: scheme, and the authority read as
/// the URL standard reads it (up to `/`, `\`, `?` or `#`).
fn browser_target(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    Some((
        scheme.to_ascii_lowercase(),
        rest[..end].to_ascii_lowercase(),
    ))
}

fn on_platform(authority: &str, config: &PlatformConfig) -> bool {
    let host = match config.port {
        Some(port) => match authority.strip_suffix(&format!(":{port}")) {
            Some(host) => host,
            None => return false,
        },
        None => authority,
    };
    let base = &config.base_domain;
    host == base
        || host.strip_suffix(&format!(".{base}")).is_some_and(|sub| {
            !sub.is_empty()
                && sub
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

proptest! {
    #[test]
    fn never_an_off_site_redirect((config, raw) in case()) {
        if let Some(url) = safe_return_to(Some(&raw), &config) {
            let (scheme, authority) = browser_target(&url).expect("an absolute URL");
            prop_assert_eq!(&scheme, &config.scheme, "{:?} -> {:?}", raw, url);
            prop_assert!(on_platform(&authority, &config), "{:?} -> {:?} leaves the platform", raw, url);
            prop_assert!(!url.contains(['\\', '#', ' ', '\t', '\r', '\n', '"', '<', '>']), "{:?}", url);
            prop_assert_eq!(safe_return_to(Some(&url), &config), Some(url.clone()));
            // What the sign-in link carries comes back unchanged.
            let carried = percent_decode(&percent_encode_component(&url));
            prop_assert_eq!(safe_return_to(carried.as_deref(), &config), Some(url));
        }
    }

    /// A URL on the platform with an ordinary path is followed.
    #[test]
    fn platform_urls_are_followed(sub in prop::option::of("[a-z0-9]{1,10}"), path in "/[a-zA-Z0-9/._~-]{0,20}(\\?[a-z0-9=&]{0,10})?", config in config()) {
        let host = match sub {
            Some(s) => format!("{s}.{}", config.base_domain),
            None => config.base_domain.clone(),
        };
        let url = format!("{}{path}", config.origin(&host));
        prop_assert_eq!(safe_return_to(Some(&url), &config), Some(url));
    }

    #[test]
    fn percent_coding_round_trips(s in any::<String>(), junk in any::<String>()) {
        let encoded = percent_encode_component(&s);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        prop_assert_eq!(percent_decode(&encoded), Some(s));
        let _ = percent_decode(&junk);
    }
}
