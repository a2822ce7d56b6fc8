//! Tags as readers meet them: the rule for a tag, and its page's path.
//!
//! A tag is what [`crate::admin::input::normalize_tags`] keeps: 1 to 32
//! lower-case letters (of any script), digits, `-` or `_`. Its page is
//! `/tags/{tag}`, with the tag's bytes outside ASCII letters, digits, `-`
//! and `_` percent-encoded (upper-case hex), exactly as a browser sends
//! the path; so a browser's request, the edge cache's key and a write's
//! purge all spell a tag's page the same way.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 32;

/// Bytes a tag's path segment encodes: all but ASCII letters, digits, `-`, `_`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// Whether `tag` is a tag as stored: non-empty, at most [`MAX_TAG_CHARS`],
/// only letters, digits, `-` and `_`, and already lower-case.
pub fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.chars().count() <= MAX_TAG_CHARS
        && tag
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && tag.to_lowercase() == tag
}

/// The canonical path of page `page` (1-based) of a tag's posts.
pub fn tag_path(tag: &str, page: usize) -> String {
    let segment = utf8_percent_encode(tag, SEGMENT);
    if page <= 1 {
        format!("/tags/{segment}")
    } else {
        format!("/tags/{segment}?page={page}")
    }
}

/// The tag a path segment names, if it names one (decoded, and a tag as
/// stored: `/tags/Rust` names none, since tags are lower-case).
pub fn tag_from_segment(segment: &str) -> Option<String> {
    let tag = percent_decode_str(segment).decode_utf8().ok()?;
    is_tag(&tag).then(|| tag.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_lower_case_words_of_any_script() {
        for tag in ["rust", "web-dev", "x_y", "café", "日本語", "2026"] {
            assert!(is_tag(tag), "{tag}");
        }
        for tag in ["", "Rust", "a b", "a/b", "a?b", "<script>", "a%20b", "a.b"] {
            assert!(!is_tag(tag), "{tag:?}");
        }
        assert!(is_tag(&"a".repeat(32)));
        assert!(!is_tag(&"a".repeat(33)));
    }

    #[test]
    fn paths_encode_what_a_browser_encodes_and_read_back() {
        assert_eq!(tag_path("rust", 1), "/tags/rust");
        assert_eq!(tag_path("web-dev_x", 3), "/tags/web-dev_x?page=3");
        assert_eq!(tag_path("café", 1), "/tags/caf%C3%A9");
        for tag in ["rust", "café", "日本語", "a-b_c"] {
            let path = tag_path(tag, 1);
            let segment = path.strip_prefix("/tags/").unwrap_or_default();
            assert_eq!(tag_from_segment(segment).as_deref(), Some(tag));
        }
    }

    #[test]
    fn segments_that_name_no_tag_are_refused() {
        for segment in ["", "Rust", "a%2Fb", "%FF", "a%20b", "%3Cscript%3E", "a.b"] {
            assert_eq!(tag_from_segment(segment), None, "{segment}");
        }
        // A lower-case hex escape decodes to the same tag (the edge serves
        // only the canonical spelling; the actor answers both).
        assert_eq!(tag_from_segment("caf%c3%a9").as_deref(), Some("café"));
    }
}
