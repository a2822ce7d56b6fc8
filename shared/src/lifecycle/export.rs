//! The export (`GET /admin/api/export`): a blog as one JSON document an
//! owner downloads before leaving, or to keep.
//!
//! It says what it is (`format`, `version`, and an `about` line), so a
//! tool (or a later Grove, importing it) can read it without guessing:
//! every post in any status with its Markdown as written, every page,
//! every setting, and the media library's list (its files are served at
//! their `url`; a zip with the files themselves is a later format).
//! Times are Unix milliseconds, UTC. A new field may be added within a
//! version; a change of meaning gets a new version.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::admin::content::TenantContent;
use crate::media::item::MediaItem;
use crate::time::Date;

/// The `format` of every Grove export.
pub const FORMAT: &str = "grove-export";
/// This format's version.
pub const VERSION: u32 = 1;

/// A blog, exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub about: String,
    pub exported_at: i64,
    pub blog: Blog,
    pub settings: BTreeMap<String, String>,
    pub posts: Vec<ExportedPost>,
    pub pages: Vec<ExportedPage>,
    pub media: Vec<ExportedFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blog {
    pub id: String,
    pub subdomain: String,
    pub title: String,
    /// The blog's address when it was exported.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedPost {
    pub id: String,
    pub slug: String,
    pub title: String,
    /// `draft`, `published` or `scheduled`.
    pub status: String,
    pub tags: Vec<String>,
    /// When it went (or goes) live; none for a draft.
    pub published_at: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
    pub views: i64,
    pub markdown: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedPage {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub show_in_nav: bool,
    pub nav_order: i64,
    pub updated_at: i64,
    pub version: i64,
    pub markdown: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedFile {
    pub id: String,
    /// Its path on the blog (`/media/{id}.{ext}`), as posts link it.
    pub path: String,
    /// Where to download it now.
    pub url: String,
    pub filename: String,
    pub alt: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub created_at: i64,
}

/// The blog `content` (with its library `media`), at `site_url`, at `now`.
pub fn export(content: &TenantContent, media: &[MediaItem], site_url: &str, now: i64) -> Export {
    let base = site_url.trim_end_matches('/');
    let mut posts: Vec<ExportedPost> = content
        .posts
        .iter()
        .map(|p| ExportedPost {
            id: p.id.clone(),
            slug: p.slug.clone(),
            title: p.title.clone(),
            status: p.status.as_str().to_string(),
            tags: p.tags.clone(),
            published_at: p.published_at,
            updated_at: p.updated_at,
            version: p.version,
            views: content.views.get(&p.id).copied().unwrap_or(0),
            markdown: p.markdown.clone(),
        })
        .collect();
    posts.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)));
    let mut pages: Vec<ExportedPage> = content
        .pages
        .iter()
        .map(|p| ExportedPage {
            id: p.id.clone(),
            slug: p.slug.clone(),
            title: p.title.clone(),
            show_in_nav: p.show_in_nav,
            nav_order: p.nav_order,
            updated_at: p.updated_at,
            version: p.version,
            markdown: p.markdown.clone(),
        })
        .collect();
    pages.sort_by(|a, b| a.nav_order.cmp(&b.nav_order).then(a.slug.cmp(&b.slug)));
    Export {
        format: FORMAT.into(),
        version: VERSION,
        about: "A Grove blog: every post (any status) and page with its Markdown as written, \
                the blog's settings, and its media library (files at their url). \
                Times are Unix milliseconds, UTC."
            .into(),
        exported_at: now,
        blog: Blog {
            id: content.tenant.id.clone(),
            subdomain: content.tenant.subdomain.clone(),
            title: content.site_settings().title,
            url: format!("{base}/"),
        },
        settings: content
            .settings
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        posts,
        pages,
        media: media
            .iter()
            .map(|m| ExportedFile {
                id: m.id.clone(),
                path: m.path(),
                url: format!("{base}{}", m.path()),
                filename: m.filename.clone(),
                alt: m.alt.clone(),
                bytes: m.bytes,
                width: m.width,
                height: m.height,
                created_at: m.created_at,
            })
            .collect(),
    }
}

/// The download's file name: `grove-{subdomain}-{YYYY-MM-DD}.json`.
pub fn filename(subdomain: &str, now: i64) -> String {
    named(subdomain, now, "json")
}

/// An export's file name: `grove-{subdomain}-{YYYY-MM-DD}.{ext}`.
pub fn named(subdomain: &str, now: i64, ext: &str) -> String {
    let safe: String = subdomain
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("grove-{safe}-{}.{ext}", Date::from_unix_ms(now).iso())
}

/// The answer's `Content-Disposition`.
pub fn disposition(subdomain: &str, now: i64) -> String {
    format!("attachment; filename=\"{}\"", filename(subdomain, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::test_fixtures::content;
    use crate::media::kind::MediaKind;
    use crate::model::{Post, PostStatus};

    #[test]
    fn every_post_page_setting_and_file_is_in_a_self_describing_document() {
        let mut c = content();
        c.settings.insert("site_title".into(), "Test <Blog>".into());
        c.settings.insert("theme".into(), "meadow".into());
        for (id, status, at) in [
            ("p1", PostStatus::Draft, 10),
            ("p2", PostStatus::Published, 30),
            ("p3", PostStatus::Scheduled, 20),
        ] {
            c.posts.push(Post {
                id: id.into(),
                slug: id.into(),
                title: format!("Post {id}"),
                markdown: format!("Text of *{id}*"),
                status,
                tags: vec!["a".into()],
                published_at: (status != PostStatus::Draft).then_some(at),
                updated_at: at,
                version: 2,
            });
        }
        c.views.insert("p2".into(), 7);
        let file = MediaItem {
            id: "0123456789abcdef0123456789abcdef".into(),
            kind: MediaKind::Png,
            bytes: 42,
            width: Some(2),
            height: Some(3),
            alt: "A dot".into(),
            filename: "dot.png".into(),
            created_at: 5,
        };
        let e = export(&c, &[file], "https://test.grove.place/", 1_791_201_600_000);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            (json["format"].as_str(), json["version"].as_u64()),
            (Some(FORMAT), Some(1))
        );
        assert_eq!(json["blog"]["title"], "Test <Blog>");
        assert_eq!(json["blog"]["url"], "https://test.grove.place/");
        let statuses: Vec<&str> = e.posts.iter().map(|p| p.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["published", "scheduled", "draft"],
            "latest edit first"
        );
        assert_eq!(e.posts[0].views, 7);
        assert_eq!(e.posts[2].markdown, "Text of *p1*");
        assert_eq!(e.pages.len(), 1);
        assert_eq!(e.settings.get("theme").map(String::as_str), Some("meadow"));
        assert_eq!(
            e.media[0].url,
            "https://test.grove.place/media/0123456789abcdef0123456789abcdef.png"
        );
        let back: Export = serde_json::from_value(json).unwrap();
        assert_eq!(back, e, "it reads back as it was written");
    }

    #[test]
    fn the_download_is_named_for_the_blog_and_the_day() {
        assert_eq!(
            disposition("autumn", 1_791_201_600_000),
            "attachment; filename=\"grove-autumn-2026-10-05.json\""
        );
        assert_eq!(filename("a\"b", 0), "grove-ab-1970-01-01.json");
    }
}
