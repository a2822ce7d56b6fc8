//! The Markdown file of a post or page in an export, and what an import
//! reads back: YAML front matter between `---` lines, then the Markdown.
//!
//! ```text
//! ---
//! title: 'Hello: world'
//! slug: hello-world
//! date: 2026-05-01T09:30:00Z
//! updated: 2026-05-02T10:00:00Z
//! tags:
//! - rust
//! status: published
//! ---
//!
//! The body, as written.
//! ```
//!
//! Written by [`write_post`] / [`write_page`] with a YAML serialiser (so a
//! title with `:` or `#` is quoted as YAML requires), read by [`parse`].
//! Times are RFC 3339 in UTC when written; [`parse`] also takes any offset
//! and a bare date (`2026-05-01`, midnight UTC), as other static-site tools
//! write them. Tags may be a list or one comma-separated string. Unknown
//! keys (`layout`, `author`, …) are ignored, so files from other tools
//! import. What the fields mean is checked later, by the write path
//! (slug rules, tag rules, title length): this module only reads them.

use serde::{Deserialize, Serialize};

use crate::model::{Page, Post, PostStatus};

/// The fields of a post's or page's front matter, as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Fields {
    #[serde(default)]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
    /// When it went (or goes) live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    tags: Tags,
    /// Posts: `draft`, `published` or `scheduled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    /// Pages: shown in the navigation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nav: Option<bool>,
    /// Pages: position in the navigation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nav_order: Option<i64>,
}

/// Tags as written: a YAML list, or one string of comma-separated tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Tags {
    List(Vec<String>),
    Joined(String),
}

impl Default for Tags {
    fn default() -> Self {
        Tags::List(Vec::new())
    }
}

impl Tags {
    fn is_empty(&self) -> bool {
        matches!(self, Tags::List(v) if v.is_empty())
    }

    fn into_vec(self) -> Vec<String> {
        match self {
            Tags::List(v) => v,
            Tags::Joined(s) => s
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

/// A post or page read from a Markdown file with front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// As written; `None` when the file names none (the importer then
    /// takes it from the file name or the title).
    pub slug: Option<String>,
    /// Unix ms.
    pub date: Option<i64>,
    /// Unix ms.
    pub updated: Option<i64>,
    pub tags: Vec<String>,
    /// `None` when the file says nothing (a page, or a post left to the
    /// importer's default).
    pub status: Option<PostStatus>,
    pub nav: Option<bool>,
    pub nav_order: Option<i64>,
    /// The Markdown after the front matter, without the blank line that
    /// [`write_post`] puts after the closing `---`.
    pub markdown: String,
}

/// Why a file could not be read. The message is for the owner, naming
/// the field or line at fault; it never contains the file's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("The file does not start with front matter (a line `---`, the fields, then `---`).")]
    Missing,
    #[error("The front matter is not closed by a line `---`.")]
    Unclosed,
    #[error("The front matter is not valid YAML{0}.")]
    Yaml(String),
    #[error("The front matter has no title.")]
    NoTitle,
    #[error("`{field}` is not a date: use 2026-05-01 or 2026-05-01T09:30:00Z.")]
    BadDate { field: &'static str },
    #[error("`status` must be draft, published or scheduled.")]
    BadStatus,
}

/// A post's file.
pub fn write_post(post: &Post) -> String {
    write(
        &Fields {
            title: Some(post.title.clone()),
            slug: Some(post.slug.clone()),
            date: post.published_at.map(rfc3339),
            updated: Some(rfc3339(post.updated_at)),
            tags: Tags::List(post.tags.clone()),
            status: Some(post.status.as_str().to_string()),
            nav: None,
            nav_order: None,
        },
        &post.markdown,
    )
}

/// A page's file.
pub fn write_page(page: &Page) -> String {
    write(
        &Fields {
            title: Some(page.title.clone()),
            slug: Some(page.slug.clone()),
            date: None,
            updated: Some(rfc3339(page.updated_at)),
            tags: Tags::default(),
            status: None,
            nav: Some(page.show_in_nav),
            nav_order: Some(page.nav_order),
        },
        &page.markdown,
    )
}

fn write(fields: &Fields, markdown: &str) -> String {
    // Serialising plain strings, numbers and lists cannot fail; an empty
    // block would still parse back (without a title), never panic.
    let yaml = serde_norway::to_string(fields).unwrap_or_default();
    format!("---\n{yaml}---\n\n{markdown}")
}

/// Reads a Markdown file with front matter.
pub fn parse(text: &str) -> Result<Document, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(FrontMatterError::Missing)?;
    if first.trim_end() != "---" {
        return Err(FrontMatterError::Missing);
    }
    let mut yaml = String::new();
    let mut consumed = first.len();
    let mut closed = false;
    for line in lines {
        consumed += line.len();
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            closed = true;
            break;
        }
        yaml.push_str(line);
    }
    if !closed {
        return Err(FrontMatterError::Unclosed);
    }
    let body = &text[consumed..];
    let body = body
        .strip_prefix("\r\n")
        .or_else(|| body.strip_prefix('\n'))
        .unwrap_or(body);
    let fields: Fields = if yaml.trim().is_empty() {
        Fields::default()
    } else {
        serde_norway::from_str(&yaml).map_err(|e| {
            // The line only (offset by the opening `---`); serde's text may
            // quote the file.
            FrontMatterError::Yaml(
                e.location()
                    .map(|l| format!(" (line {})", l.line() + 1))
                    .unwrap_or_default(),
            )
        })?
    };
    let title = fields
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or(FrontMatterError::NoTitle)?;
    let status = match fields.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("draft") => Some(PostStatus::Draft),
        Some("published") => Some(PostStatus::Published),
        Some("scheduled") => Some(PostStatus::Scheduled),
        Some(_) => return Err(FrontMatterError::BadStatus),
    };
    Ok(Document {
        title,
        slug: fields
            .slug
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        date: time_field(fields.date, "date")?,
        updated: time_field(fields.updated, "updated")?,
        tags: fields.tags.into_vec(),
        status,
        nav: fields.nav,
        nav_order: fields.nav_order,
        markdown: body.to_string(),
    })
}

fn time_field(value: Option<String>, field: &'static str) -> Result<Option<i64>, FrontMatterError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse_time(v)
            .map(Some)
            .ok_or(FrontMatterError::BadDate { field }),
    }
}

/// RFC 3339 with any offset, `2026-05-01 09:30:00` (UTC) or a bare date
/// (midnight UTC), as Unix ms.
pub fn parse_time(value: &str) -> Option<i64> {
    if let Ok(ts) = value.parse::<jiff::Timestamp>() {
        return Some(ts.as_millisecond());
    }
    if let Ok(dt) = value.parse::<jiff::civil::DateTime>() {
        return jiff::tz::TimeZone::UTC
            .to_timestamp(dt)
            .ok()
            .map(|ts| ts.as_millisecond());
    }
    value
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| {
            jiff::tz::TimeZone::UTC
                .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .ok()
        })
        .map(|ts| ts.as_millisecond())
}

/// Unix ms as RFC 3339 in UTC (`2026-05-01T09:30:00Z`, milliseconds only
/// when there are some).
pub fn rfc3339(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_string(),
        Err(_) => jiff::Timestamp::UNIX_EPOCH.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post() -> Post {
        Post {
            id: "p1".into(),
            slug: "hello-world".into(),
            title: "Hello: a # title 'quoted' \"twice\"".into(),
            markdown: "---\nA body that starts with a rule.\n\n# Heading\n".into(),
            status: PostStatus::Published,
            tags: vec!["rust".into(), "café".into()],
            published_at: Some(1_777_627_800_000),
            updated_at: 1_777_714_200_123,
            version: 3,
        }
    }

    #[test]
    fn a_post_reads_back_as_written() {
        let p = post();
        let text = write_post(&p);
        assert!(text.starts_with("---\n"), "{text}");
        assert!(text.contains("slug: hello-world\n"), "{text}");
        assert!(text.contains("status: published\n"), "{text}");
        let doc = parse(&text).unwrap();
        assert_eq!(doc.title, p.title);
        assert_eq!(doc.slug.as_deref(), Some("hello-world"));
        assert_eq!(doc.date, p.published_at);
        assert_eq!(doc.updated, Some(p.updated_at));
        assert_eq!(doc.tags, p.tags);
        assert_eq!(doc.status, Some(PostStatus::Published));
        assert_eq!(doc.markdown, p.markdown, "a body's own `---` is kept");
    }

    #[test]
    fn a_draft_has_no_date_and_a_page_its_navigation() {
        let mut p = post();
        p.status = PostStatus::Draft;
        p.published_at = None;
        p.tags.clear();
        let text = write_post(&p);
        assert!(!text.contains("date:") && !text.contains("tags:"), "{text}");
        let doc = parse(&text).unwrap();
        assert_eq!((doc.date, doc.status), (None, Some(PostStatus::Draft)));
        let page = Page {
            id: "g".into(),
            slug: "about".into(),
            title: "About".into(),
            markdown: "Me.".into(),
            show_in_nav: false,
            nav_order: 4,
            updated_at: 0,
            version: 1,
        };
        let doc = parse(&write_page(&page)).unwrap();
        assert_eq!(
            (doc.nav, doc.nav_order, doc.status),
            (Some(false), Some(4), None)
        );
        assert_eq!(doc.markdown, "Me.");
    }

    #[test]
    fn other_tools_files_read_too() {
        let jekyll = "\u{feff}---\r\nlayout: post\r\ntitle: From Jekyll\r\ndate: 2024-03-09\r\ntags: a, b ,c\r\n---\r\nBody\r\n";
        let doc = parse(jekyll).unwrap();
        assert_eq!(doc.title, "From Jekyll");
        assert_eq!(doc.date, Some(1_709_942_400_000));
        assert_eq!(doc.tags, vec!["a", "b", "c"]);
        assert_eq!(doc.slug, None);
        assert_eq!(doc.markdown, "Body\r\n");
        let hugo = "---\ntitle: Hugo\ndate: 2024-03-09T10:00:00+02:00\n...\nx";
        assert_eq!(parse(hugo).unwrap().date, Some(1_709_971_200_000));
        assert_eq!(parse_time("2024-03-09 08:00:00"), Some(1_709_971_200_000));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        assert_eq!(parse("# Just markdown"), Err(FrontMatterError::Missing));
        assert_eq!(parse(""), Err(FrontMatterError::Missing));
        assert_eq!(
            parse("---\ntitle: x\nno end"),
            Err(FrontMatterError::Unclosed)
        );
        assert_eq!(parse("---\nslug: x\n---\n"), Err(FrontMatterError::NoTitle));
        assert_eq!(
            parse("---\ntitle: x\ndate: yesterday\n---\n"),
            Err(FrontMatterError::BadDate { field: "date" })
        );
        assert_eq!(
            parse("---\ntitle: x\nstatus: live\n---\n"),
            Err(FrontMatterError::BadStatus)
        );
        let Err(FrontMatterError::Yaml(at)) = parse("---\ntitle: x\ntags: [a, b\n---\n") else {
            panic!("unbalanced list is invalid YAML");
        };
        assert!(at.contains("line"), "{at}");
        let Err(e) = parse("---\ntitle: [secret text\n---\n") else {
            panic!("invalid");
        };
        assert!(!e.to_string().contains("secret"), "{e}");
        assert!(matches!(
            parse("---\ntitle: 5\ntags: {a: 1}\n---\n"),
            Err(FrontMatterError::Yaml(_))
        ));
    }

    #[test]
    fn times_are_utc_rfc3339() {
        assert_eq!(rfc3339(1_777_627_800_000), "2026-05-01T09:30:00Z");
        assert_eq!(
            parse_time(&rfc3339(1_777_714_200_123)),
            Some(1_777_714_200_123)
        );
    }
}
