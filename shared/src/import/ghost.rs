//! Ghost's JSON export (Settings → Advanced → Export content): `{"db":
//! [{"meta": …, "data": {"posts", "tags", "posts_tags", …}}]}`, or the
//! older `{"meta", "data"}` without the `db` list.
//!
//! Per post: `title`, `slug`, `html` (sanitised: [`super::html`]; a post
//! with no HTML, only Ghost's editor formats, falls back to `plaintext`),
//! `status` (`published`, `scheduled`, `draft`), `published_at`,
//! `updated_at`, `type` (`post`/`page`; `page: true` in old exports), and
//! its tags through `posts_tags`. Ghost's internal tags (`#…`) are left
//! out. A post for members only (`visibility` other than `public`) is
//! imported as a draft: Grove has no members, and publishing it would
//! give away what readers paid for.

use serde_json::Value;

use super::{html, Bundle, FileError, Format, Item, Kind, Skipped};
use crate::lifecycle::front_matter::parse_time;
use crate::model::PostStatus;

fn not_ghost() -> FileError {
    FileError::new(
        "unknown_format",
        "This JSON file is neither a Ghost export nor a Grove export.",
    )
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Reads a Ghost export.
pub fn read(value: Value) -> Result<Bundle, FileError> {
    let data = value
        .get("db")
        .and_then(|db| db.get(0))
        .unwrap_or(&value)
        .get("data")
        .ok_or_else(not_ghost)?;
    let posts = data
        .get("posts")
        .and_then(Value::as_array)
        .ok_or_else(not_ghost)?;
    let empty = Vec::new();
    let tags = data.get("tags").and_then(Value::as_array).unwrap_or(&empty);
    let links = data
        .get("posts_tags")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let tag_name = |id: &str| {
        tags.iter()
            .find(|t| t.get("id").map(id_string).as_deref() == Some(id))
            .map(|t| text(t, "name").to_string())
    };
    let mut bundle = Bundle::new(Format::Ghost);
    for post in posts {
        let title = text(post, "title").trim();
        let source = format!("\u{201c}{title}\u{201d}");
        let page = post.get("type").and_then(Value::as_str) == Some("page")
            || matches!(post.get("page"), Some(Value::Bool(true)))
            || post.get("page").and_then(Value::as_i64) == Some(1);
        let kind = if page { Kind::Page } else { Kind::Post };
        let (body, sanitised) = match post.get("html").and_then(Value::as_str) {
            Some(h) if !h.trim().is_empty() => html::sanitise(h),
            _ => match post.get("plaintext").and_then(Value::as_str) {
                Some(p) if !p.trim().is_empty() => (p.to_string(), false),
                _ => {
                    bundle.skipped.push(Skipped::new(
                        &source,
                        "It has no HTML in the export (only Ghost's editor format, which Grove does not read).",
                    ));
                    continue;
                }
            },
        };
        let members_only = !matches!(text(post, "visibility"), "" | "public");
        let status = match (text(post, "status"), members_only) {
            (_, true) => PostStatus::Draft,
            ("published", _) => PostStatus::Published,
            ("scheduled", _) => PostStatus::Scheduled,
            _ => PostStatus::Draft,
        };
        if members_only {
            bundle.notes.push(format!(
                "{source} was for members only on Ghost: imported as a draft."
            ));
        }
        let mut item = Item::new(kind, &source, title, body.trim());
        let slug = text(post, "slug").trim();
        item.slug = (!slug.is_empty()).then(|| slug.to_string());
        item.published_at = parse_time(text(post, "published_at"));
        item.updated_at = parse_time(text(post, "updated_at"));
        item.sanitised = sanitised;
        if kind == Kind::Post {
            item.status = Some(status);
            let id = post.get("id").map(id_string).unwrap_or_default();
            let mut own: Vec<(i64, String)> = links
                .iter()
                .filter(|l| l.get("post_id").map(id_string).as_deref() == Some(id.as_str()))
                .filter_map(|l| {
                    let name = tag_name(&l.get("tag_id").map(id_string)?)?;
                    let order = l.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
                    Some((order, name))
                })
                .filter(|(_, name)| !name.starts_with('#'))
                .collect();
            own.sort();
            item.tags = own.into_iter().map(|(_, name)| name).collect();
        } else {
            item.show_in_nav = Some(false);
        }
        bundle.push(item);
    }
    if bundle.items.iter().any(|i| i.kind == Kind::Page) {
        bundle.notes.push(
            "Ghost pages are added to the blog but not to its navigation: choose which to show in each page's settings.".into(),
        );
    }
    Ok(bundle)
}

/// An id as text: Ghost 1+ writes strings, older exports numbers.
fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small Ghost 5 export, as Settings → Advanced → Export writes it.
    const SAMPLE: &str = include_str!("../../tests/fixtures/import/ghost.json");

    #[test]
    fn posts_pages_and_tags_are_read() {
        let bundle = crate::import::read("ghost.json", SAMPLE.as_bytes()).unwrap();
        assert_eq!(bundle.format, Format::Ghost);
        let titles: Vec<&str> = bundle.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Coming home", "Members' notes", "Contact"]);
        let home = &bundle.items[0];
        assert_eq!(home.slug.as_deref(), Some("coming-home"));
        assert_eq!(home.status, Some(PostStatus::Published));
        assert_eq!(home.published_at, parse_time("2023-11-14T10:00:00.000Z"));
        assert_eq!(
            home.tags,
            ["Travel", "Trains"],
            "by sort order, #internal left out"
        );
        assert!(
            home.markdown.starts_with("<p>We came home by train"),
            "{}",
            home.markdown
        );
        assert!(home.sanitised, "the iframe is removed and reported");
        assert!(!home.markdown.contains("iframe"));
        let members = &bundle.items[1];
        assert_eq!(members.status, Some(PostStatus::Draft));
        assert!(bundle.notes.iter().any(|n| n.contains("members only")));
        assert_eq!(bundle.items[2].kind, Kind::Page);
        assert_eq!(bundle.skipped.len(), 1, "{:?}", bundle.skipped);
        assert!(bundle.skipped[0].reason.contains("no HTML"));
    }

    #[test]
    fn other_json_is_refused() {
        let refused = crate::import::read("x.json", br#"{"hello": "world"}"#).unwrap_err();
        assert_eq!(refused.code, "unknown_format");
    }
}
