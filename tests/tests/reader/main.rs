//! The reader path end to end: hosts, pages and tenant isolation, against
//! the real Workers runtime with the demo seed.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod hosts;
mod isolation;
mod pages;
mod search;

use grove_tests::Grove;

/// Text as it appears in HTML.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn grove() -> Grove {
    Grove::from_env()
}

/// The post slugs a list page links to, in order.
pub fn linked_post_slugs(html: &str) -> Vec<String> {
    html.match_indices("<h2><a href=\"/blog/")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.split('"').next().map(str::to_string)
        })
        .collect()
}
