//! Import: bringing posts and pages in from a file (`/admin/import`,
//! `POST /admin/api/import`).
//!
//! Reading a file is pure and happens before anything is written
//! ([`read`]): the format is recognised from the bytes, hard limits are
//! checked before any work (size, a zip's entry count, total uncompressed
//! size and compression ratio, entry names), and the file becomes a
//! [`Bundle`]: candidate posts and pages ([`Item`]), what was skipped and
//! why, and notes for the preview. A file that cannot be read at all is a
//! [`FileError`], never a panic or a partial bundle.
//!
//! Formats ([`Format`]): Grove's own export zip (`posts/*.md`,
//! `pages/*.md`), a single Markdown file with front matter, a WordPress
//! WXR export (`.xml`, [`wxr`]), a Ghost JSON export ([`ghost`]), and
//! Grove's JSON export. HTML from WordPress and Ghost is sanitised on
//! import ([`html`]) and the preview says which items it changed.
//!
//! A bundle is then checked against the blog ([`plan`]): each item is
//! validated by the editor's own rules, matched by slug (same content:
//! unchanged; other content: a conflict, skipped or replaced as the owner
//! chose), and counted against the plan's quotas. The same planning makes
//! the dry-run preview and the write, so they cannot disagree; the write
//! is one command in the actor's write queue, committed as one batch.

pub mod archive;
pub mod ghost;
pub mod html;
pub mod markdown_file;
pub mod plan;
pub mod rows;
pub mod wxr;

use serde::{Deserialize, Serialize};

use crate::model::PostStatus;

/// Largest file accepted (the request body), checked before reading it.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Most posts and pages one import may carry.
pub const MAX_ITEMS: usize = 5_000;

/// What kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Grove's export zip.
    GroveZip,
    /// Grove's JSON export (`grove-export`).
    GroveJson,
    /// One Markdown file with front matter.
    Markdown,
    /// A WordPress eXtended RSS export.
    Wxr,
    /// A Ghost JSON export.
    Ghost,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::GroveZip => "a Grove export (zip)",
            Format::GroveJson => "a Grove export (JSON)",
            Format::Markdown => "a Markdown file",
            Format::Wxr => "a WordPress export (WXR)",
            Format::Ghost => "a Ghost export (JSON)",
        }
    }
}

/// A post or a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Post,
    Page,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Post => "post",
            Kind::Page => "page",
        }
    }
}

/// One post or page as the file gives it, not yet validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub kind: Kind,
    /// Where it came from in the file (an entry name, an item's title or
    /// id), for the preview.
    pub source: String,
    pub title: String,
    /// `None`: made from the title, as the editor does.
    #[serde(default)]
    pub slug: Option<String>,
    pub markdown: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Posts: draft (default), published or scheduled.
    #[serde(default)]
    pub status: Option<PostStatus>,
    /// Unix ms.
    #[serde(default)]
    pub published_at: Option<i64>,
    /// Unix ms: kept as the item's last change when given.
    #[serde(default)]
    pub updated_at: Option<i64>,
    /// Pages only.
    #[serde(default)]
    pub show_in_nav: Option<bool>,
    #[serde(default)]
    pub nav_order: Option<i64>,
    /// Its HTML carried something the sanitiser removed (scripts, event
    /// handlers, `javascript:` links).
    #[serde(default)]
    pub sanitised: bool,
}

impl Item {
    pub fn new(kind: Kind, source: &str, title: &str, markdown: &str) -> Item {
        Item {
            kind,
            source: source.to_string(),
            title: title.to_string(),
            slug: None,
            markdown: markdown.to_string(),
            tags: Vec::new(),
            status: None,
            published_at: None,
            updated_at: None,
            show_in_nav: None,
            nav_order: None,
            sanitised: false,
        }
    }
}

/// Something in the file left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    pub source: String,
    pub reason: String,
}

impl Skipped {
    pub fn new(source: &str, reason: &str) -> Skipped {
        Skipped {
            source: source.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// A file, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: Format,
    pub items: Vec<Item>,
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    /// Facts for the preview that are not about one item (media left
    /// out, settings not applied, ...).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Bundle {
    pub fn new(format: Format) -> Bundle {
        Bundle {
            format,
            items: Vec::new(),
            skipped: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds an item, or skips it past [`MAX_ITEMS`].
    pub fn push(&mut self, item: Item) {
        if self.items.len() >= MAX_ITEMS {
            self.skipped.push(Skipped::new(
                &item.source,
                &format!("An import carries at most {MAX_ITEMS} posts and pages."),
            ));
        } else {
            self.items.push(item);
        }
    }
}

/// Why a whole file was refused (nothing in it is imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileError {
    /// Stable: `empty`, `too_large`, `unknown_format`, `bad_zip`,
    /// `zip_bomb`, `unsafe_name`, `bad_xml`, `bad_json`, `front_matter`.
    pub code: String,
    pub message: String,
}

impl FileError {
    pub fn new(code: &str, message: &str) -> FileError {
        FileError {
            code: code.to_string(),
            message: message.to_string(),
        }
    }

    /// The HTTP status this refusal answers with.
    pub fn status(&self) -> u16 {
        match self.code.as_str() {
            "too_large" | "zip_bomb" => 413,
            _ => 422,
        }
    }
}

/// Preview (the dry run) or apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Preview,
    Apply,
}

impl Mode {
    pub fn parse(value: &str) -> Option<Mode> {
        match value {
            "preview" | "" => Some(Mode::Preview),
            "apply" => Some(Mode::Apply),
            _ => None,
        }
    }
}

/// What the router sends the actor for `POST /admin/import` and `POST
/// /admin/api/import`: the file as read (the router reads the bytes, so
/// they never enter the actor), or why it could not be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportCall {
    pub mode: Mode,
    pub on_conflict: plan::OnConflict,
    pub file: Result<Bundle, FileError>,
}

/// Reads an uploaded file (`filename` may be empty) into a bundle.
pub fn read(filename: &str, bytes: &[u8]) -> Result<Bundle, FileError> {
    if bytes.is_empty() {
        return Err(FileError::new("empty", "The file is empty."));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::new(
            "too_large",
            &format!(
                "The file is larger than {} MB, the most an import takes.",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let lower = filename.to_ascii_lowercase();
    if bytes.starts_with(b"PK") || lower.ends_with(".zip") {
        return archive::read(bytes);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(FileError::new(
            "unknown_format",
            "This is not a file Grove imports: a Grove export (.zip), a Markdown file with front matter, a WordPress export (.xml) or a Ghost export (.json).",
        ));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start();
    if start.starts_with('{') {
        return json(text);
    }
    if start.starts_with('<') {
        return wxr::read(text);
    }
    markdown_file::read_single(filename, text)
}

/// A JSON file: a Ghost export, or Grove's own JSON export.
fn json(text: &str) -> Result<Bundle, FileError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        FileError::new(
            "bad_json",
            &format!("The file is not valid JSON (line {}).", e.line()),
        )
    })?;
    if value.get("format").and_then(|f| f.as_str()) == Some(crate::lifecycle::export::FORMAT) {
        return markdown_file::read_grove_json(value);
    }
    ghost::read(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_or_unknown_file_is_refused_with_a_reason() {
        assert_eq!(read("x.md", b"").unwrap_err().code, "empty");
        let binary = [0u8, 159, 146, 150];
        assert_eq!(read("x.bin", &binary).unwrap_err().code, "unknown_format");
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        let refused = read("big.md", &big).unwrap_err();
        assert_eq!(
            (refused.code.as_str(), refused.status()),
            ("too_large", 413)
        );
        assert_eq!(read("x.json", b"{nope").unwrap_err().code, "bad_json");
    }
}
