//! Slugs: the URL names of posts and pages.

use thiserror::Error;

use crate::markdown::slugify_text;

/// Longest slug accepted.
pub const MAX_SLUG_LEN: usize = 80;

/// First path segments that belong to the site itself, never to a page.
pub const RESERVED_PAGE_SLUGS: &[&str] = &[
    "admin",
    "api",
    "blog",
    "feed",
    "rss",
    "atom",
    "media",
    "static",
    "assets",
    "search",
    "tags",
    "sitemap-xml",
    "robots-txt",
    "favicon-ico",
];

/// Why a slug was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SlugError {
    #[error("A slug cannot be empty.")]
    Empty,
    #[error("A slug is at most 80 characters.")]
    TooLong,
    #[error("A slug uses lower-case letters, digits and single hyphens between them.")]
    Characters,
    #[error("That slug is used by the site itself.")]
    Reserved,
}

/// Checks a post slug: `a-z`, `0-9`, single inner hyphens.
pub fn validate_slug(slug: &str) -> Result<(), SlugError> {
    if slug.is_empty() {
        return Err(SlugError::Empty);
    }
    if slug.len() > MAX_SLUG_LEN {
        return Err(SlugError::TooLong);
    }
    let ok_chars = slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok_chars || slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        return Err(SlugError::Characters);
    }
    Ok(())
}

/// Checks a page slug: a post slug that does not shadow a site route.
pub fn validate_page_slug(slug: &str) -> Result<(), SlugError> {
    validate_slug(slug)?;
    if RESERVED_PAGE_SLUGS.contains(&slug) {
        return Err(SlugError::Reserved);
    }
    Ok(())
}

/// A slug proposed from a title (may be empty if the title has no ASCII letters).
pub fn slug_from_title(title: &str) -> String {
    let slug = slugify_text(title);
    match slug.char_indices().nth(MAX_SLUG_LEN) {
        Some((cut, _)) => slug[..cut].trim_end_matches('-').to_string(),
        None => slug,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid_slugs() {
        assert!(validate_slug("hello-world-2").is_ok());
        assert_eq!(validate_slug(""), Err(SlugError::Empty));
        assert_eq!(validate_slug("Hello"), Err(SlugError::Characters));
        assert_eq!(validate_slug("a--b"), Err(SlugError::Characters));
        assert_eq!(validate_slug("-a"), Err(SlugError::Characters));
        assert_eq!(validate_slug("a/b"), Err(SlugError::Characters));
        assert_eq!(validate_slug(&"a".repeat(81)), Err(SlugError::TooLong));
        assert_eq!(validate_page_slug("blog"), Err(SlugError::Reserved));
        assert!(validate_page_slug("about").is_ok());
    }

    #[test]
    fn slugs_from_titles() {
        assert_eq!(slug_from_title("Hello, World!"), "hello-world");
        let long = slug_from_title(&"word ".repeat(40));
        assert!(
            long.len() <= MAX_SLUG_LEN && validate_slug(&long).is_ok(),
            "{long}"
        );
    }
}
