//! Markdown files with front matter (one uploaded alone, or the entries
//! of Grove's export zip) and Grove's JSON export, as import items. The
//! front matter itself is `lifecycle::front_matter`'s.

use super::{Bundle, FileError, Format, Item, Kind};
use crate::lifecycle::export::Export;
use crate::lifecycle::front_matter;

/// The slug a file's name suggests (`posts/hello-world.md` →
/// `hello-world`), used when its front matter names none.
fn slug_from_name(name: &str) -> Option<String> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file
        .strip_suffix(".md")
        .or_else(|| file.strip_suffix(".markdown"))
        .unwrap_or(file)
        .trim();
    (!stem.is_empty()).then(|| stem.to_string())
}

/// One file's item, or why it was skipped.
pub fn item(kind: Kind, name: &str, text: &str) -> Result<Item, String> {
    let doc = front_matter::parse(text).map_err(|e| e.to_string())?;
    // A page's file has no status; a post's without one stays a draft.
    let kind = match (kind, doc.status, doc.nav) {
        (Kind::Post, None, Some(_)) => Kind::Page,
        (kind, _, _) => kind,
    };
    Ok(Item {
        kind,
        source: name.to_string(),
        title: doc.title,
        slug: doc.slug.or_else(|| slug_from_name(name)),
        markdown: doc.markdown,
        tags: doc.tags,
        status: doc.status,
        published_at: doc.date,
        updated_at: doc.updated,
        show_in_nav: doc.nav,
        nav_order: doc.nav_order,
        sanitised: false,
    })
}

/// A single uploaded Markdown file: a post (a page when its front matter
/// has `nav`). Unreadable front matter refuses the file.
pub fn read_single(filename: &str, text: &str) -> Result<Bundle, FileError> {
    let name = if filename.is_empty() {
        "the file"
    } else {
        filename
    };
    let item = item(Kind::Post, name, text).map_err(|reason| {
        FileError::new(
            "front_matter",
            &format!("{reason} A Markdown file to import starts with front matter, e.g. ---, title: My post, ---."),
        )
    })?;
    let mut bundle = Bundle::new(Format::Markdown);
    bundle.push(item);
    Ok(bundle)
}

/// Grove's JSON export (`grove-export`, version 1).
pub fn read_grove_json(value: serde_json::Value) -> Result<Bundle, FileError> {
    let export: Export = serde_json::from_value(value).map_err(|_| {
        FileError::new(
            "bad_json",
            "This looks like a Grove export, but its fields are not the ones Grove writes.",
        )
    })?;
    if export.version != crate::lifecycle::export::VERSION {
        return Err(FileError::new(
            "unknown_format",
            &format!(
                "This is a Grove export of version {}; this Grove reads version {}.",
                export.version,
                crate::lifecycle::export::VERSION
            ),
        ));
    }
    let mut bundle = Bundle::new(Format::GroveJson);
    for p in export.posts {
        let mut item = Item::new(
            Kind::Post,
            &format!("post {}", p.slug),
            &p.title,
            &p.markdown,
        );
        item.slug = Some(p.slug);
        item.tags = p.tags;
        item.status = match p.status.as_str() {
            "published" => Some(crate::model::PostStatus::Published),
            "scheduled" => Some(crate::model::PostStatus::Scheduled),
            _ => Some(crate::model::PostStatus::Draft),
        };
        item.published_at = p.published_at;
        item.updated_at = Some(p.updated_at);
        bundle.push(item);
    }
    for p in export.pages {
        let mut item = Item::new(
            Kind::Page,
            &format!("page {}", p.slug),
            &p.title,
            &p.markdown,
        );
        item.slug = Some(p.slug);
        item.show_in_nav = Some(p.show_in_nav);
        item.nav_order = Some(p.nav_order);
        item.updated_at = Some(p.updated_at);
        bundle.push(item);
    }
    if !export.media.is_empty() {
        bundle.notes.push(format!(
            "The export lists {} media file{}: files are not imported; upload them in the media library.",
            export.media.len(),
            if export.media.len() == 1 { "" } else { "s" }
        ));
    }
    if !export.settings.is_empty() {
        bundle.notes.push(
            "The export's settings were not applied: an import brings posts and pages; the blog's settings stay as they are.".into(),
        );
    }
    Ok(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::archive::tests::zip_of;
    use crate::model::{Page, Post, PostStatus};

    #[test]
    fn a_single_file_is_a_post_and_bad_front_matter_refuses_it() {
        let bundle = crate::import::read(
            "hello.md",
            b"---\ntitle: Hello\ntags: [rust, wasm]\nstatus: published\ndate: 2026-05-01\n---\n\nBody\n",
        )
        .unwrap();
        assert_eq!(bundle.format, Format::Markdown);
        let item = &bundle.items[0];
        assert_eq!(item.title, "Hello");
        assert_eq!(item.slug.as_deref(), Some("hello"), "from the file name");
        assert_eq!(item.tags, ["rust", "wasm"]);
        assert_eq!(item.markdown, "Body\n");
        let refused = crate::import::read("x.md", b"---\ntitle: [unclosed\n---\nBody").unwrap_err();
        assert_eq!(refused.code, "front_matter");
        let refused = crate::import::read("x.md", b"Just text").unwrap_err();
        assert_eq!(refused.code, "front_matter");
    }

    #[test]
    fn grove_zip_entries_become_posts_and_pages() {
        let post = Post {
            id: "p1".into(),
            slug: "first".into(),
            title: "First: a post".into(),
            markdown: "Hello *there*\n".into(),
            status: PostStatus::Published,
            tags: vec!["rust".into()],
            published_at: Some(1_777_627_800_000),
            updated_at: 1_777_714_200_123,
            version: 4,
        };
        let page = Page {
            id: "g1".into(),
            slug: "about".into(),
            title: "About".into(),
            markdown: "Me.\n".into(),
            show_in_nav: true,
            nav_order: 2,
            updated_at: 5,
            version: 1,
        };
        let bytes = zip_of(&[
            ("posts/first.md", front_matter::write_post(&post).as_bytes()),
            ("pages/about.md", front_matter::write_page(&page).as_bytes()),
        ]);
        let bundle = crate::import::read("export.zip", &bytes).unwrap();
        assert_eq!(bundle.format, Format::GroveZip);
        let [p, g] = &bundle.items[..] else {
            panic!("{bundle:?}")
        };
        assert_eq!(
            (
                p.kind,
                p.slug.as_deref(),
                p.title.as_str(),
                p.markdown.as_str()
            ),
            (
                Kind::Post,
                Some("first"),
                "First: a post",
                "Hello *there*\n"
            )
        );
        assert_eq!(
            (p.status, p.published_at, p.updated_at),
            (
                Some(PostStatus::Published),
                post.published_at,
                Some(post.updated_at)
            )
        );
        assert_eq!(
            (g.kind, g.show_in_nav, g.nav_order),
            (Kind::Page, Some(true), Some(2))
        );
    }
}
