//! Where to send a browser after sign-in, and percent-coding.
//!
//! A `return_to` value comes from a query string, so it is attacker
//! controlled: only absolute URLs on the platform's own hosts (the base
//! domain or one label under it) with the configured scheme and port are
//! followed, which rules out open redirects. The grammar is deliberately
//! narrow (`scheme://host[:port]/path[?query]`), so a small hand parser is
//! enough and no URL crate is needed.

use crate::config::PlatformConfig;
use crate::host::is_dns_label;

/// Longest `return_to` we follow.
const MAX_RETURN_TO_LEN: usize = 2000;

/// The normalised `return_to` URL if it is safe to redirect to, else `None`.
pub fn safe_return_to(raw: Option<&str>, config: &PlatformConfig) -> Option<String> {
    let raw = raw?;
    if raw.is_empty() || raw.len() > MAX_RETURN_TO_LEN || !raw.is_ascii() {
        return None;
    }
    let (scheme, rest) = raw.split_once("://")?;
    if !scheme.eq_ignore_ascii_case(&config.scheme) {
        return None;
    }
    // The authority ends at the first '/': the path is required.
    let slash = rest.find('/')?;
    let (authority, path_and_query) = rest.split_at(slash);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(parse_port(port)?)),
        None => (authority, None),
    };
    if port != config.port {
        return None;
    }
    let host = host.to_ascii_lowercase();
    if !is_platform_host(&host, &config.base_domain) {
        return None;
    }
    if !is_path_and_query(path_and_query) {
        return None;
    }
    Some(format!("{}{path_and_query}", config.origin(&host)))
}

fn parse_port(port: &str) -> Option<u16> {
    if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    port.parse().ok()
}

/// The base domain itself, or exactly one DNS label in front of it.
fn is_platform_host(host: &str, base_domain: &str) -> bool {
    if host == base_domain {
        return true;
    }
    host.strip_suffix(base_domain)
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(is_dns_label)
}

/// RFC 3986 path and query characters (no fragment), starting with '/',
/// with every '%' followed by two hex digits. Excludes whitespace, control
/// characters, backslashes, quotes and angle brackets.
fn is_path_and_query(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'/') {
        return false;
    }
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex_ok = bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !hex_ok {
                return false;
            }
            i += 3;
            continue;
        }
        let ok = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b);
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes every byte except the unreserved `A-Za-z0-9-._~`, so the
/// result can be a query-string value.
pub fn percent_encode_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Decodes a form or query value: `%XX` escapes and `+` as a space. `None`
/// for a broken escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hi = hex_value(*bytes.get(i + 1)?)?;
                let lo = hex_value(*bytes.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prod() -> PlatformConfig {
        PlatformConfig::from_vars("grove.place", "https", "").unwrap()
    }

    fn dev() -> PlatformConfig {
        PlatformConfig::from_vars("grove.localhost", "http", "8787").unwrap()
    }

    fn safe(raw: &str, config: &PlatformConfig) -> Option<String> {
        safe_return_to(Some(raw), config)
    }

    #[test]
    fn accepts_platform_urls_and_normalises_them() {
        let c = prod();
        for ok in [
            "https://grove.place/",
            "https://autumn.grove.place/dashboard",
            "https://auth.grove.place/sign-in?x=1&y=a%20b",
            "https://grove.place/@autumn/posts/1;v=2?q=a:b,c+d~e!$'()*",
            "https://grove.place//double/slash",
        ] {
            assert_eq!(safe(ok, &c).as_deref(), Some(ok), "{ok}");
        }
        assert_eq!(
            safe("HTTPS://Autumn.GROVE.place/Path?Q=1", &c).as_deref(),
            Some("https://autumn.grove.place/Path?Q=1")
        );
        let d = dev();
        assert_eq!(
            safe("http://autumn.grove.localhost:8787/admin", &d).as_deref(),
            Some("http://autumn.grove.localhost:8787/admin")
        );
        assert_eq!(
            safe("http://grove.localhost:08787/", &d).as_deref(),
            Some("http://grove.localhost:8787/")
        );
    }

    #[test]
    fn rejects_open_redirects_and_hostile_input() {
        let c = prod();
        let long = format!("https://grove.place/{}", "a".repeat(2000));
        for bad in [
            "",
            "/relative",
            "//evil.test/",
            "///evil.test/",
            "javascript:alert(1)",
            "javascript://grove.place/%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "http://grove.place/",
            "ftp://grove.place/",
            "https:/grove.place/",
            "https:grove.place/",
            "https://evil.test/",
            "https://evilgrove.place/",
            "https://grove.place.evil.test/",
            "https://a.b.grove.place/",
            "https://.grove.place/",
            "https://-a.grove.place/",
            "https://bad_host.grove.place/",
            "https://grove.place./",
            "https://grove.place",
            "https://grove.place?x=/",
            "https://grove.place#/",
            "https://user@grove.place/",
            "https://grove.place@evil.test/",
            "https://evil.test@grove.place/",
            "https://grove.place:443/",
            "https://grove.place:/",
            "https://grove.place\\@evil.test/",
            "https://grove.place/\\evil.test",
            "https://grove.place/a b",
            " https://grove.place/",
            "https://grove.place/\t",
            "https://grove.place/\r\nSet-Cookie:x=1",
            "https://grove.place/\u{0}",
            "https://grove.place/é",
            "https://grove.place/\"><script>",
            "https://grove.place/#frag",
            "https://grove.place/%zz",
            "https://grove.place/%4",
            "https://[::1]/",
            "https://127.0.0.1/",
            &long,
        ] {
            assert_eq!(safe(bad, &c), None, "{bad:?}");
        }
        assert_eq!(safe_return_to(None, &c), None);
        // The configured port is required, and no other.
        let d = dev();
        for bad in [
            "http://grove.localhost/",
            "http://grove.localhost:8788/",
            "http://grove.localhost:99999/",
            "http://grove.localhost:8787:8787/",
            "https://grove.localhost:8787/",
        ] {
            assert_eq!(safe(bad, &d), None, "{bad:?}");
        }
    }

    #[test]
    fn length_limit_is_2000_bytes() {
        let c = prod();
        let prefix = "https://grove.place/";
        let at_limit = format!("{prefix}{}", "a".repeat(2000 - prefix.len()));
        assert_eq!(safe(&at_limit, &c), Some(at_limit.clone()));
        assert_eq!(safe(&format!("{at_limit}a"), &c), None);
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode_component("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            percent_encode_component("https://a.grove.place/x?y=1&z=a b"),
            "https%3A%2F%2Fa.grove.place%2Fx%3Fy%3D1%26z%3Da%20b"
        );
        assert_eq!(percent_encode_component("é+%"), "%C3%A9%2B%25");
        assert_eq!(percent_encode_component(""), "");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a+b%20c").as_deref(), Some("a b c"));
        assert_eq!(percent_decode("%C3%a9%2B").as_deref(), Some("é+"));
        assert_eq!(percent_decode("").as_deref(), Some(""));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        for bad in ["%", "%4", "%zz", "%g1", "a%2", "%C3", "%FF", "%C3%28"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn encode_decode_round_trip() {
        for s in [
            "https://autumn.grove.place/admin?tab=posts&q=a b",
            "é ü ✓ + % & = ? # / \\",
            "",
        ] {
            assert_eq!(
                percent_decode(&percent_encode_component(s)).as_deref(),
                Some(s)
            );
        }
        // What the sign-in page puts in a link comes back as a safe target.
        let target = "https://autumn.grove.place/admin?tab=posts";
        let query_value = percent_encode_component(target);
        let back = percent_decode(&query_value);
        assert_eq!(
            safe_return_to(back.as_deref(), &prod()).as_deref(),
            Some(target)
        );
    }
}
