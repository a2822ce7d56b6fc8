//! Slugs: made from any title without panicking, always valid (or empty),
//! a fixed point, and validation agrees with a model.

use grove_shared::slug::{
    slug_from_title, validate_page_slug, validate_slug, MAX_SLUG_LEN, RESERVED_PAGE_SLUGS,
};
use proptest::prelude::*;

/// `a-z0-9` words joined by single hyphens, at most 80 bytes.
fn model_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG_LEN
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 ,.!?'&é日-]{0,120}",
        "([a-z]{1,9} ){8,30}",
    ]
}

proptest! {
    #[test]
    fn slugs_from_titles_are_valid_and_idempotent(title in title()) {
        let slug = slug_from_title(&title);
        if !slug.is_empty() {
            prop_assert_eq!(validate_slug(&slug), Ok(()), "{:?} -> {:?}", title, slug);
        }
        prop_assert_eq!(slug_from_title(&slug), slug.clone());
    }

    #[test]
    fn validation_agrees_with_the_model(slug in prop_oneof!["[a-z0-9-]{0,90}", any::<String>()]) {
        prop_assert_eq!(validate_slug(&slug).is_ok(), model_valid(&slug), "{:?}", slug);
        if validate_slug(&slug).is_ok() {
            prop_assert_eq!(slug_from_title(&slug), slug.clone());
        }
        let page_ok = model_valid(&slug) && !RESERVED_PAGE_SLUGS.contains(&slug.as_str());
        prop_assert_eq!(validate_page_slug(&slug).is_ok(), page_ok);
    }
}
