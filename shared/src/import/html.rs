//! HTML brought in from WordPress or Ghost, sanitised on import.
//!
//! Why sanitise rather than refuse the item: the owner's words are kept
//! (a post with one stray embed is still their post), the stored Markdown
//! never carries a script into a later export or another tool, and the
//! preview names every item whose HTML lost something, so nothing goes
//! silently. Readers were safe either way: every page is sanitised again
//! when rendered (`markdown`).

/// Whether `html` carries something the sanitiser removes for safety:
/// script or style elements, frames and plugins, event-handler
/// attributes, or `javascript:`/`vbscript:`/`data:` URLs.
pub fn risky(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    const ELEMENTS: [&str; 7] = [
        "<script", "<style", "<iframe", "<object", "<embed", "<frame", "<svg",
    ];
    if ELEMENTS.iter().any(|e| lower.contains(e)) {
        return true;
    }
    if ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|scheme| lower.contains(scheme))
    {
        return true;
    }
    // An attribute named on… inside a tag: ` onload=`, ` onclick =`.
    let mut in_tag = false;
    let bytes = lower.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'o' if in_tag
                && i > 0
                && (bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'/')
                && bytes.get(i + 1) == Some(&b'n') =>
            {
                let rest = &bytes[i + 2..];
                let name = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
                let after = rest[name..].iter().find(|c| !c.is_ascii_whitespace());
                if name > 0 && after == Some(&b'=') {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// `html` with only safe markup left (ammonia's allow-list), and whether
/// anything risky was removed.
pub fn sanitise(html: &str) -> (String, bool) {
    let clean = ammonia::Builder::default()
        .add_generic_attributes(["class", "id"])
        .link_rel(None)
        .clean(html)
        .to_string();
    (clean, risky(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed_and_reported() {
        let (clean, risky) = sanitise(
            r#"<p onclick="steal()">Hi <a href="javascript:alert(1)">there</a></p><script>alert(1)</script>"#,
        );
        assert!(risky);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(clean.contains("<p>Hi <a>there</a></p>"), "{clean}");
    }

    #[test]
    fn plain_markup_is_kept_and_not_reported() {
        let html = r#"<p>A <strong>bold</strong> <a href="https://example.com/">link</a>, and online=true.</p><img src="/media/x.png" alt="A kite">"#;
        let (clean, risky) = sanitise(html);
        assert!(!risky, "{clean}");
        assert!(clean.contains("<strong>bold</strong>"));
        assert!(
            clean.contains(r#"<img src="/media/x.png" alt="A kite">"#),
            "{clean}"
        );
    }
}
