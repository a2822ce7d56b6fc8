//! Builders for native tests of the reader path.

use std::collections::HashMap;

use crate::model::{Page, Post, PostStatus};
use crate::site::{Site, SiteInfo};
use crate::theme::SiteSettings;

/// "Now" in tests: later than every fixture's publish time except "future" ones.
pub const NOW: i64 = 1_000;

pub fn post(slug: &str, status: PostStatus, published_at: Option<i64>) -> Post {
    Post {
        id: format!("id-{slug}"),
        slug: slug.into(),
        title: format!("Title of {slug}"),
        markdown: format!("Body of **{slug}**.\n\n## Section\n\nMore text."),
        status,
        tags: vec!["notes".into()],
        published_at,
        updated_at: published_at.unwrap_or(0),
        version: 1,
    }
}

pub fn page(slug: &str, nav_order: i64, show_in_nav: bool) -> Page {
    Page {
        id: format!("page-{slug}"),
        slug: slug.into(),
        title: format!("Page {slug}"),
        markdown: format!("About **{slug}**."),
        show_in_nav,
        nav_order,
        updated_at: 0,
        version: 1,
    }
}

pub fn site_with(posts: Vec<Post>, pages: Vec<Page>) -> Site {
    let rows: HashMap<String, String> = [
        ("site_title", "Test Blog"),
        ("site_description", "A blog for tests"),
        ("theme", "midnight"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let info = SiteInfo {
        tenant_id: "t_test".into(),
        canonical_origin: "https://test.grove.place".into(),
        settings: SiteSettings::from_rows("Test", &rows),
    };
    Site::new(info, posts, pages, NOW)
}
