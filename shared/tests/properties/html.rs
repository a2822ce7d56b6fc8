//! A small reader of the HTML the sanitiser writes, for the Markdown
//! properties.
//!
//! The sanitiser's serializer escapes `<` in text and `"` in attribute
//! values and always quotes values, so a literal `<` starts a tag and a
//! tag ends at the first `>` outside quotes. This reader relies on that
//! and fails loudly on anything else.

/// An opening tag: lower-case name and attributes in order.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every opening tag of `html`, in document order.
pub fn opening_tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix('/') {
            let gt = after.find('>').expect("a closing tag ends");
            rest = &after[gt + 1..];
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(rest.len());
        assert!(name_len > 0, "a bare '<' in sanitised HTML: {html}");
        let name = rest[..name_len].to_ascii_lowercase();
        rest = &rest[name_len..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            if let Some(after) = rest.strip_prefix('/') {
                rest = after;
                continue;
            }
            let n = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .expect("a tag ends");
            let attr = rest[..n].to_ascii_lowercase();
            assert!(!attr.is_empty(), "an empty attribute name: {html}");
            rest = &rest[n..];
            let value = match rest.strip_prefix("=\"") {
                Some(after) => {
                    let q = after.find('"').expect("a quoted value ends");
                    rest = &after[q + 1..];
                    decode(&after[..q])
                }
                None => {
                    assert!(!rest.starts_with('='), "an unquoted value: {html}");
                    String::new()
                }
            };
            attrs.push((attr, value));
        }
        tags.push(Tag { name, attrs });
    }
    tags
}

/// An attribute value as a browser reads it (the serializer's escapes,
/// and numeric references to be safe).
pub fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';') else { break };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
