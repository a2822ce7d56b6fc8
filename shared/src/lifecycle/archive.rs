//! The export's zip, as a layout: which files it holds, under which
//! names, with what in them (`GET /admin/api/export`; the JSON document
//! of [`super::export`] stays at `?format=json`).
//!
//! ```text
//! README.md          what follows (export_readme.md)
//! settings.json      the blog, its settings, its library's descriptions
//! posts/{slug}.md    front matter + Markdown (front_matter::write_post)
//! pages/{slug}.md    front matter + Markdown (front_matter::write_page)
//! media/{id}.{ext}   the library's files, under their /media/ names
//! ```
//!
//! An [`Archive`] is made from the [`Export`] the actor answers, and hands
//! out one entry at a time ([`Archive::text_entry`], [`Archive::media_entry`])
//! so the writer ([`super::export_zip`]) never holds more than one file's
//! text beside the export itself.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::export::{self, Blog, Export, ExportedFile, ExportedPage, ExportedPost};
use super::front_matter::{rfc3339, write_page, write_post};
use crate::media::item::MediaPath;
use crate::model::{Page, Post, PostStatus};

/// The archive's own description, its first file.
pub const README: &str = include_str!("export_readme.md");
/// Lists the library's files storage no longer had, if any.
pub const MISSING_NAME: &str = "missing-media.txt";

/// What `GET /admin/api/export` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The zip (no `format`, or `format=zip`).
    Zip,
    /// The JSON document (`format=json`).
    Json,
}

impl ExportFormat {
    /// The format a query asks for; `Err` with the owner's message for
    /// one Grove does not have.
    pub fn of(query: Option<&str>) -> Result<ExportFormat, &'static str> {
        let asked = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .find(|(k, _)| k == "format")
            .map(|(_, v)| v.into_owned());
        match asked.as_deref() {
            None | Some("zip") => Ok(ExportFormat::Zip),
            Some("json") => Ok(ExportFormat::Json),
            Some(_) => Err("The export comes as format=zip (the default) or format=json."),
        }
    }
}

/// The zip's download name: `grove-{subdomain}-{YYYY-MM-DD}.zip`.
pub fn disposition(subdomain: &str, now: i64) -> String {
    format!(
        "attachment; filename=\"{}\"",
        export::named(subdomain, now, "zip")
    )
}

/// A small file of the archive, written whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEntry {
    pub name: String,
    /// Unix ms, the file's time in the archive.
    pub modified: i64,
    pub text: String,
}

/// A library file of the archive, copied from storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaEntry {
    /// `media/{id}.{ext}`.
    pub name: String,
    /// Which file: the tenant's object key is made from it by the caller,
    /// from the tenant it serves, never from the export's text.
    pub media: MediaPath,
    pub modified: i64,
}

/// `settings.json`.
#[derive(Debug, Serialize)]
struct Settings<'a> {
    format: &'a str,
    version: u32,
    about: &'static str,
    exported_at: String,
    blog: &'a Blog,
    settings: &'a BTreeMap<String, String>,
    media: Vec<SettingsFile<'a>>,
}

#[derive(Debug, Serialize)]
struct SettingsFile<'a> {
    /// Its name in the archive.
    file: String,
    /// Its path on the blog, as posts link it.
    path: &'a str,
    filename: &'a str,
    alt: &'a str,
    bytes: u64,
    width: Option<u32>,
    height: Option<u32>,
    created_at: String,
}

/// The archive of one export; see the module's docs.
#[derive(Debug, Clone)]
pub struct Archive {
    export: Export,
    post_names: Vec<String>,
    page_names: Vec<String>,
    /// The library's files that are Grove media paths, with their names.
    media: Vec<(usize, MediaPath)>,
}

impl Archive {
    pub fn new(export: Export) -> Archive {
        let mut taken = HashSet::new();
        let post_names = export
            .posts
            .iter()
            .map(|p| unique_name(&mut taken, "posts", &p.slug, &p.id))
            .collect();
        let page_names = export
            .pages
            .iter()
            .map(|p| unique_name(&mut taken, "pages", &p.slug, &p.id))
            .collect();
        let media = export
            .media
            .iter()
            .enumerate()
            .filter_map(|(i, f)| MediaPath::parse(&f.path).map(|m| (i, m)))
            .filter(|(_, m)| taken.insert(media_name(m)))
            .collect();
        Archive {
            export,
            post_names,
            page_names,
            media,
        }
    }

    pub fn export(&self) -> &Export {
        &self.export
    }

    /// How many text files: README, settings, posts, pages.
    pub fn text_count(&self) -> usize {
        2 + self.export.posts.len() + self.export.pages.len()
    }

    /// The `i`-th text file, in the archive's order.
    pub fn text_entry(&self, i: usize) -> Option<TextEntry> {
        let at = self.export.exported_at;
        let posts = self.export.posts.len();
        match i {
            0 => Some(TextEntry {
                name: "README.md".into(),
                modified: at,
                text: README.into(),
            }),
            1 => Some(TextEntry {
                name: "settings.json".into(),
                modified: at,
                text: self.settings_json(),
            }),
            i if i - 2 < posts => {
                let p = &self.export.posts[i - 2];
                Some(TextEntry {
                    name: self.post_names[i - 2].clone(),
                    modified: p.updated_at,
                    text: write_post(&post_of(p)),
                })
            }
            i => {
                let j = i - 2 - posts;
                let p = self.export.pages.get(j)?;
                Some(TextEntry {
                    name: self.page_names[j].clone(),
                    modified: p.updated_at,
                    text: write_page(&page_of(p)),
                })
            }
        }
    }

    /// How many library files.
    pub fn media_count(&self) -> usize {
        self.media.len()
    }

    /// The `i`-th library file.
    pub fn media_entry(&self, i: usize) -> Option<MediaEntry> {
        let (at, media) = self.media.get(i)?;
        Some(MediaEntry {
            name: media_name(media),
            media: media.clone(),
            modified: self.export.media[*at].created_at,
        })
    }

    /// `missing-media.txt`: the files storage did not have (their names).
    pub fn missing_entry(&self, missing: &[String]) -> Option<TextEntry> {
        if missing.is_empty() {
            return None;
        }
        let mut text = String::from(
            "These files were in the blog's media library, but storage no longer \
             had them when the blog was exported:\n\n",
        );
        for name in missing {
            text.push_str(name);
            text.push('\n');
        }
        Some(TextEntry {
            name: MISSING_NAME.into(),
            modified: self.export.exported_at,
            text,
        })
    }

    fn settings_json(&self) -> String {
        let e = &self.export;
        let media = self
            .media
            .iter()
            .map(|(i, m)| settings_file(&e.media[*i], media_name(m)))
            .collect();
        let settings = Settings {
            format: &e.format,
            version: e.version,
            about: "The blog's settings and its media library; posts and pages are the \
                    Markdown files of posts/ and pages/, the files are in media/. See README.md.",
            exported_at: rfc3339(e.exported_at),
            blog: &e.blog,
            settings: &e.settings,
            media,
        };
        // Strings, numbers and maps of strings always serialise.
        serde_json::to_string_pretty(&settings).unwrap_or_default()
    }
}

fn settings_file(f: &ExportedFile, file: String) -> SettingsFile<'_> {
    SettingsFile {
        file,
        path: &f.path,
        filename: &f.filename,
        alt: &f.alt,
        bytes: f.bytes,
        width: f.width,
        height: f.height,
        created_at: rfc3339(f.created_at),
    }
}

fn media_name(m: &MediaPath) -> String {
    format!("media/{}.{}", m.id, m.kind.ext())
}

/// `{folder}/{slug}.md`, or by id when the slug is not a plain file name
/// or was taken (neither happens to slugs Grove checked).
fn unique_name(taken: &mut HashSet<String>, folder: &str, slug: &str, id: &str) -> String {
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 120
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let name = format!("{folder}/{slug}.md");
    if plain(slug) && taken.insert(name.clone()) {
        return name;
    }
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let mut name = format!("{folder}/{safe}.md");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{folder}/{safe}-{n}.md");
        n += 1;
    }
    name
}

fn post_of(p: &ExportedPost) -> Post {
    let status = match p.status.as_str() {
        "published" => PostStatus::Published,
        "scheduled" => PostStatus::Scheduled,
        _ => PostStatus::Draft,
    };
    Post {
        id: p.id.clone(),
        slug: p.slug.clone(),
        title: p.title.clone(),
        markdown: p.markdown.clone(),
        status,
        tags: p.tags.clone(),
        published_at: p.published_at,
        updated_at: p.updated_at,
        version: p.version,
    }
}

fn page_of(p: &ExportedPage) -> Page {
    Page {
        id: p.id.clone(),
        slug: p.slug.clone(),
        title: p.title.clone(),
        markdown: p.markdown.clone(),
        show_in_nav: p.show_in_nav,
        nav_order: p.nav_order,
        updated_at: p.updated_at,
        version: p.version,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::admin::test_fixtures::content;
    use crate::lifecycle::export::export;
    use crate::lifecycle::front_matter::parse;
    use crate::media::item::MediaItem;
    use crate::media::kind::MediaKind;

    pub const NOW: i64 = 1_791_201_600_000;
    pub const IMAGE_ID: &str = "0123456789abcdef0123456789abcdef";

    /// A blog with a published post, a draft, a page and one image.
    pub fn sample() -> Export {
        let mut c = content();
        c.settings
            .insert("site_title".into(), "Autumn: notes".into());
        c.posts.push(Post {
            id: "p1".into(),
            slug: "hello-world".into(),
            title: "Hello: world #1".into(),
            markdown: format!("Hi.\n\n![A dot](/media/{IMAGE_ID}.png)\n"),
            status: PostStatus::Published,
            tags: vec!["travel".into(), "café".into()],
            published_at: Some(NOW - 86_400_000),
            updated_at: NOW - 3_600_000,
            version: 3,
        });
        c.posts.push(Post {
            id: "p2".into(),
            slug: "later".into(),
            title: "Later".into(),
            markdown: "---\nnot front matter\n---\n".into(),
            status: PostStatus::Draft,
            tags: vec![],
            published_at: None,
            updated_at: NOW - 60_000,
            version: 1,
        });
        let image = MediaItem {
            id: IMAGE_ID.into(),
            kind: MediaKind::Png,
            bytes: 4,
            width: Some(1),
            height: Some(1),
            alt: "A dot".into(),
            filename: "dot.png".into(),
            created_at: NOW - 7_200_000,
        };
        export(&c, &[image], "https://autumn.grove.place/", NOW)
    }

    #[test]
    fn the_layout_is_readme_settings_posts_pages_then_media() {
        let a = Archive::new(sample());
        let names: Vec<String> = (0..a.text_count())
            .map(|i| a.text_entry(i).unwrap().name)
            .collect();
        assert_eq!(
            names,
            [
                "README.md",
                "settings.json",
                "posts/later.md",
                "posts/hello-world.md",
                "pages/about.md"
            ]
        );
        assert_eq!(a.text_entry(a.text_count()), None);
        assert_eq!(a.media_count(), 1);
        let m = a.media_entry(0).unwrap();
        assert_eq!(m.name, format!("media/{IMAGE_ID}.png"));
        assert_eq!(
            m.media.object_key("t_test"),
            format!("tenants/t_test/media/{IMAGE_ID}.png")
        );
        assert_eq!(a.media_entry(1), None);
    }

    #[test]
    fn each_post_and_page_reads_back_from_its_front_matter() {
        let a = Archive::new(sample());
        let post = a.text_entry(3).unwrap();
        assert_eq!(post.modified, NOW - 3_600_000);
        let doc = parse(&post.text).unwrap();
        assert_eq!(doc.title, "Hello: world #1");
        assert_eq!(doc.slug.as_deref(), Some("hello-world"));
        assert_eq!(doc.status, Some(PostStatus::Published));
        assert_eq!(doc.date, Some(NOW - 86_400_000));
        assert_eq!(doc.updated, Some(NOW - 3_600_000));
        assert_eq!(doc.tags, ["travel", "café"]);
        assert!(doc.markdown.contains(&format!("(/media/{IMAGE_ID}.png)")));
        let draft = parse(&a.text_entry(2).unwrap().text).unwrap();
        assert_eq!((draft.status, draft.date), (Some(PostStatus::Draft), None));
        assert_eq!(draft.markdown, "---\nnot front matter\n---\n");
        let page = parse(&a.text_entry(4).unwrap().text).unwrap();
        assert_eq!(
            (page.title.as_str(), page.nav, page.nav_order),
            ("About", Some(true), Some(1))
        );
    }

    #[test]
    fn settings_json_describes_the_blog_and_each_file_by_its_archive_name() {
        let a = Archive::new(sample());
        let s: serde_json::Value = serde_json::from_str(&a.text_entry(1).unwrap().text).unwrap();
        assert_eq!(s["format"], "grove-export");
        assert_eq!(s["exported_at"], "2026-10-05T12:00:00Z");
        assert_eq!(s["blog"]["subdomain"], "test");
        assert_eq!(s["settings"]["site_title"], "Autumn: notes");
        assert_eq!(s["media"][0]["file"], format!("media/{IMAGE_ID}.png"));
        assert_eq!(s["media"][0]["alt"], "A dot");
        assert_eq!(s["media"][0]["filename"], "dot.png");
        assert!(a.text_entry(0).unwrap().text.starts_with("# A Grove blog"));
    }

    #[test]
    fn names_never_escape_their_folder_or_clash() {
        let mut e = sample();
        e.posts[0].slug = "../evil".into();
        e.posts[1].slug = "about".into();
        e.pages[0].slug = "about".into();
        e.media[0].path = "/media/../../x.png".into();
        let a = Archive::new(e);
        assert_eq!(a.text_entry(2).unwrap().name, "posts/p2.md", "by id");
        assert_eq!(a.text_entry(3).unwrap().name, "posts/about.md");
        assert_eq!(
            a.text_entry(4).unwrap().name,
            "pages/about.md",
            "another folder"
        );
        assert_eq!(a.media_count(), 0, "not a media path: left out");
    }

    #[test]
    fn the_format_is_asked_by_the_query() {
        assert_eq!(ExportFormat::of(None), Ok(ExportFormat::Zip));
        assert_eq!(ExportFormat::of(Some("format=zip")), Ok(ExportFormat::Zip));
        assert_eq!(
            ExportFormat::of(Some("x=1&format=json")),
            Ok(ExportFormat::Json)
        );
        assert!(ExportFormat::of(Some("format=xml")).is_err());
        assert_eq!(
            disposition("autumn", NOW),
            "attachment; filename=\"grove-autumn-2026-10-05.zip\""
        );
    }
}
