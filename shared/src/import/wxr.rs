//! WordPress's export (WXR, "WordPress eXtended RSS", version 1.2): an RSS
//! 2.0 document whose `<item>`s carry the `wp:` namespace's fields.
//!
//! Read with quick-xml's pull reader: no DTD is processed and no entity
//! but XML's own five and character references is expanded, so an entity
//! bomb in a DOCTYPE does nothing. Per item: `title`, `content:encoded`
//! (HTML, sanitised: [`super::html`]), `wp:post_name` (slug),
//! `wp:post_date_gmt` (else `pubDate`), `wp:post_modified_gmt`,
//! `wp:status`, `wp:post_type`, `wp:menu_order`, `wp:post_password`, and
//! `category` elements (tags and categories both become tags).
//!
//! | WordPress | Grove |
//! |---|---|
//! | `post`, `page` | a post, a page (not in the navigation) |
//! | `publish` / `future` | published / scheduled |
//! | `draft`, `pending`, `private`, password-protected | a draft |
//! | `trash`, `auto-draft`, attachments, menus, revisions, blocks | skipped |

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{html, Bundle, FileError, Format, Item, Kind, Skipped};
use crate::lifecycle::front_matter::parse_time;
use crate::model::PostStatus;

/// The fields of one `<item>`, as text.
#[derive(Default)]
struct Raw {
    title: String,
    content: String,
    slug: String,
    date_gmt: String,
    pub_date: String,
    modified_gmt: String,
    status: String,
    post_type: String,
    menu_order: String,
    password: String,
    post_id: String,
    tags: Vec<String>,
}

fn bad_xml(at: u64) -> FileError {
    FileError::new(
        "bad_xml",
        &format!(
            "The file is not well-formed XML (near byte {at}): it may be cut short or damaged."
        ),
    )
}

/// A WordPress date (`2024-03-01 10:00:00` in UTC; WordPress writes
/// `0000-00-00 00:00:00` for none), else an RSS `pubDate`.
fn date(gmt: &str, pub_date: &str) -> Option<i64> {
    let gmt = gmt.trim();
    if !gmt.is_empty() && !gmt.starts_with("0000") {
        if let Some(ms) = parse_time(gmt) {
            return Some(ms);
        }
    }
    jiff::fmt::rfc2822::parse(pub_date.trim())
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// Reads a WXR document.
pub fn read(text: &str) -> Result<Bundle, FileError> {
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut buffer = String::new();
    let mut raw: Option<Raw> = None;
    let mut wordpress = false;
    let mut root: Option<String> = None;
    let mut items = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|_| bad_xml(reader.error_position()))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                root.get_or_insert_with(|| name.clone());
                if name == "item" && path.last().map(String::as_str) == Some("channel") {
                    raw = Some(Raw::default());
                }
                path.push(name);
                buffer.clear();
            }
            Event::Text(t) => buffer.push_str(&t.xml10_content()),
            Event::CData(c) => buffer.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(ch)) = r.resolve_char_ref() {
                    buffer.push(ch);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    buffer.push_str(s);
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                if name == "wp:wxr_version" {
                    wordpress = true;
                }
                let value = std::mem::take(&mut buffer);
                // Only the item's own fields (not a comment's or a meta's).
                let in_item = path.len() >= 3 && path[path.len() - 1] == "item";
                match (raw.as_mut(), name.as_str()) {
                    (Some(_), "item") if path.last().map(String::as_str) == Some("channel") => {
                        items.extend(raw.take());
                    }
                    (Some(r), field) if in_item => {
                        let slot = match field {
                            "title" => &mut r.title,
                            "content:encoded" => &mut r.content,
                            "wp:post_name" => &mut r.slug,
                            "wp:post_date_gmt" => &mut r.date_gmt,
                            "pubDate" => &mut r.pub_date,
                            "wp:post_modified_gmt" => &mut r.modified_gmt,
                            "wp:status" => &mut r.status,
                            "wp:post_type" => &mut r.post_type,
                            "wp:menu_order" => &mut r.menu_order,
                            "wp:post_password" => &mut r.password,
                            "wp:post_id" => &mut r.post_id,
                            "category" => {
                                r.tags.push(value.trim().to_string());
                                continue;
                            }
                            _ => continue,
                        };
                        *slot = value;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if root.as_deref() != Some("rss") || !wordpress {
        return Err(FileError::new(
            "unknown_format",
            "This XML file is not a WordPress export (WXR): export it from WordPress under Tools → Export.",
        ));
    }
    let mut bundle = Bundle::new(Format::Wxr);
    let mut attachments = 0usize;
    for r in items {
        convert(r, &mut bundle, &mut attachments);
    }
    if attachments > 0 {
        bundle.notes.push(format!(
            "{attachments} media attachment{} not imported: upload the files in the media library, then update the posts' links to them.",
            if attachments == 1 { " was" } else { "s were" }
        ));
    }
    if bundle.items.iter().any(|i| i.kind == Kind::Page) {
        bundle.notes.push(
            "WordPress pages are added to the blog but not to its navigation: choose which to show in each page's settings.".into(),
        );
    }
    Ok(bundle)
}

fn convert(r: Raw, bundle: &mut Bundle, attachments: &mut usize) {
    let title = r.title.trim();
    let source = if title.is_empty() {
        format!("item {}", r.post_id.trim())
    } else {
        format!("\u{201c}{title}\u{201d}")
    };
    let kind = match r.post_type.trim() {
        "post" => Kind::Post,
        "page" => Kind::Page,
        "attachment" => {
            *attachments += 1;
            return;
        }
        other => {
            bundle.skipped.push(Skipped::new(
                &source,
                &format!("A WordPress {other}: only posts and pages are imported."),
            ));
            return;
        }
    };
    let protected = !r.password.trim().is_empty();
    let status = match (r.status.trim(), protected) {
        ("trash", _) => {
            bundle
                .skipped
                .push(Skipped::new(&source, "In WordPress's trash."));
            return;
        }
        ("auto-draft", _) => {
            bundle.skipped.push(Skipped::new(
                &source,
                "An automatic draft WordPress kept, never written.",
            ));
            return;
        }
        (_, true) => PostStatus::Draft,
        ("publish", _) => PostStatus::Published,
        ("future", _) => PostStatus::Scheduled,
        _ => PostStatus::Draft,
    };
    if protected {
        bundle.notes.push(format!(
            "{source} was password-protected on WordPress: imported as a draft (Grove has no passwords on posts)."
        ));
    } else if r.status.trim() == "private" {
        bundle.notes.push(format!(
            "{source} was private on WordPress: imported as a draft."
        ));
    }
    let (body, sanitised) = html::sanitise(&r.content);
    let mut item = Item::new(kind, &source, title, body.trim());
    let slug = percent_encoding::percent_decode_str(r.slug.trim())
        .decode_utf8_lossy()
        .to_string();
    item.slug = (!slug.is_empty()).then_some(slug);
    item.status = (kind == Kind::Post).then_some(status);
    item.published_at = date(&r.date_gmt, &r.pub_date);
    item.updated_at = date(&r.modified_gmt, "");
    item.sanitised = sanitised;
    if kind == Kind::Post {
        let mut tags: Vec<String> = Vec::new();
        for tag in r.tags {
            if !tag.is_empty() && !tag.eq_ignore_ascii_case("uncategorized") && !tags.contains(&tag)
            {
                tags.push(tag);
            }
        }
        item.tags = tags;
    } else {
        item.show_in_nav = Some(false);
        item.nav_order = r.menu_order.trim().parse().ok();
    }
    bundle.push(item);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small WordPress 6 export, as Tools → Export writes it.
    pub(crate) const SAMPLE: &str = include_str!("../../tests/fixtures/import/wordpress.xml");

    #[test]
    fn posts_and_pages_are_read_with_their_fields() {
        let bundle = crate::import::read("wordpress.xml", SAMPLE.as_bytes()).unwrap();
        assert_eq!(bundle.format, Format::Wxr);
        let titles: Vec<&str> = bundle.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Hello from the garden",
                "Seed catalogue & notes",
                "Next season",
                "About"
            ]
        );
        let hello = &bundle.items[0];
        assert_eq!(hello.slug.as_deref(), Some("hello-from-the-garden"));
        assert_eq!(hello.status, Some(PostStatus::Published));
        assert_eq!(hello.published_at, parse_time("2024-03-01T10:00:00Z"));
        assert_eq!(hello.updated_at, parse_time("2024-03-02T08:30:00Z"));
        assert_eq!(hello.tags, ["Gardening", "Spring planting"]);
        assert!(
            hello.markdown.contains("<p>The first shoots are up.</p>"),
            "{}",
            hello.markdown
        );
        assert!(
            !hello.markdown.contains("wp:paragraph"),
            "block comments go"
        );
        assert!(!hello.sanitised);
        let seeds = &bundle.items[1];
        assert_eq!(seeds.status, Some(PostStatus::Draft));
        assert!(seeds.sanitised, "its script is removed and reported");
        assert!(!seeds.markdown.contains("script"), "{}", seeds.markdown);
        assert!(!seeds.markdown.contains("onerror"), "{}", seeds.markdown);
        assert!(
            seeds.markdown.contains("Tomatoes &amp; beans"),
            "{}",
            seeds.markdown
        );
        assert_eq!(bundle.items[2].status, Some(PostStatus::Scheduled));
        let about = &bundle.items[3];
        assert_eq!(
            (about.kind, about.show_in_nav, about.nav_order),
            (Kind::Page, Some(false), Some(3))
        );
        let skipped: Vec<&str> = bundle.skipped.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(
            skipped,
            ["\u{201c}Old idea\u{201d}", "\u{201c}Main menu\u{201d}"]
        );
        assert!(bundle
            .notes
            .iter()
            .any(|n| n.starts_with("1 media attachment was not imported")));
    }

    #[test]
    fn broken_or_foreign_xml_is_refused() {
        let cut = &SAMPLE[..SAMPLE.len() / 2];
        let refused = read(cut).unwrap_err();
        assert_eq!(refused.code, "bad_xml", "{refused:?}");
        let rss =
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>"#;
        assert_eq!(read(rss).unwrap_err().code, "unknown_format");
        let mismatched = "<rss><channel></item></rss>";
        assert_eq!(read(mismatched).unwrap_err().code, "bad_xml");
    }

    #[test]
    fn an_entity_bomb_expands_nothing() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&b;</title><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>
</channel></rss>"#;
        let bundle = read(bomb).unwrap();
        assert_eq!(bundle.items[0].title, "");
    }
}
