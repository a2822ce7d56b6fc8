//! Grove's export zip, read defensively: every limit is checked from the
//! central directory before a byte is inflated, and again while reading
//! (a declared size can lie).
//!
//! Refused as a whole (nothing imported): not a zip; more than
//! [`MAX_ENTRIES`] entries; an entry name that is absolute, climbs out
//! (`..`), uses backslashes or a drive letter; more than
//! [`MAX_TOTAL_BYTES`] of text to inflate; an entry inflating more than
//! [`MAX_RATIO`] times its compressed size (a zip bomb). Read:
//! `posts/*.md` and `pages/*.md` (front matter, [`super::markdown_file`]);
//! everything else is listed as skipped, with the reason.

use std::io::{Cursor, Read};

use super::markdown_file;
use super::{Bundle, FileError, Format, Kind, Skipped};

/// Most entries a zip may have (files and folders).
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes of posts and pages, inflated, in one zip.
pub const MAX_TOTAL_BYTES: u64 = 32 * 1024 * 1024;
/// Largest compression ratio accepted for an entry over [`RATIO_FLOOR`]
/// bytes (Markdown deflates about 3:1; a bomb thousands to one).
pub const MAX_RATIO: u64 = 100;
/// Entries smaller than this are not held to [`MAX_RATIO`].
pub const RATIO_FLOOR: u64 = 64 * 1024;

fn bomb(message: &str) -> FileError {
    FileError::new("zip_bomb", message)
}

/// Why an entry name is unsafe, if it is.
pub fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.contains('\\') {
        return Some("uses backslashes");
    }
    if name.starts_with('/') {
        return Some("is an absolute path");
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Some("names a drive");
    }
    if name.split('/').any(|part| part == "..") {
        return Some("climbs out of the archive (..)");
    }
    if name.chars().any(char::is_control) {
        return Some("contains control characters");
    }
    None
}

/// Where an entry belongs in a Grove export.
enum Place {
    Post,
    Page,
    Media,
    Settings,
    Readme,
    Other,
}

fn place(name: &str) -> Place {
    let lower = name.to_ascii_lowercase();
    let markdown = lower.ends_with(".md") || lower.ends_with(".markdown");
    match lower.split_once('/') {
        Some(("posts", rest)) if markdown && !rest.contains('/') => Place::Post,
        Some(("pages", rest)) if markdown && !rest.contains('/') => Place::Page,
        Some(("media", _)) => Place::Media,
        None if lower == "settings.json" => Place::Settings,
        // The export's own notes (what it holds, media it could not read).
        None if lower == "readme.md" || lower == "missing-media.txt" => Place::Readme,
        _ => Place::Other,
    }
}

/// Reads a zip's posts and pages.
pub fn read(bytes: &[u8]) -> Result<Bundle, FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        FileError::new(
            "bad_zip",
            "The file is not a readable zip archive (it may be damaged or cut short).",
        )
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(bomb(&format!(
            "The zip has {} entries; an import takes at most {MAX_ENTRIES}.",
            zip.len()
        )));
    }
    // Every check from the central directory first: nothing is inflated
    // from an archive that fails one.
    let mut wanted = Vec::new();
    let mut total: u64 = 0;
    let mut bundle = Bundle::new(Format::GroveZip);
    let mut media = 0usize;
    for index in 0..zip.len() {
        let entry = zip
            .by_index_raw(index)
            .map_err(|_| FileError::new("bad_zip", "The zip archive's directory is damaged."))?;
        let name = entry
            .name()
            .map_err(|_| FileError::new("bad_zip", "An entry's name is not readable."))?
            .to_string();
        if let Some(why) = unsafe_name(&name) {
            return Err(FileError::new(
                "unsafe_name",
                &format!("The zip's entry \"{name}\" {why}: Grove does not open such archives."),
            ));
        }
        if entry.is_dir() {
            continue;
        }
        match place(&name) {
            Place::Post | Place::Page => {
                let (size, packed) = (entry.size(), entry.compressed_size());
                if size > RATIO_FLOOR && size / packed.max(1) > MAX_RATIO {
                    return Err(bomb(&format!(
                        "The zip's entry \"{name}\" inflates {} times its size: Grove does not open such archives.",
                        size / packed.max(1)
                    )));
                }
                total = total.saturating_add(size);
                if total > MAX_TOTAL_BYTES {
                    return Err(bomb(&format!(
                        "The zip's posts and pages come to more than {} MB once unpacked, the most an import takes.",
                        MAX_TOTAL_BYTES / (1024 * 1024)
                    )));
                }
                wanted.push((index, name, size));
            }
            Place::Media => media += 1,
            Place::Settings => bundle.notes.push(
                "settings.json was not applied: an import brings posts and pages; the blog's settings stay as they are.".into(),
            ),
            Place::Readme => {}
            Place::Other => bundle.skipped.push(Skipped::new(
                &name,
                "Not part of a Grove export (posts/*.md, pages/*.md).",
            )),
        }
    }
    if media > 0 {
        bundle.notes.push(format!(
            "{media} media file{} in media/ {} not imported: upload {} in the media library (the posts' links to /media/ keep working once the same files are there).",
            if media == 1 { "" } else { "s" },
            if media == 1 { "was" } else { "were" },
            if media == 1 { "it" } else { "them" },
        ));
    }
    for (index, name, size) in wanted {
        let entry = zip.by_index(index).map_err(|_| {
            FileError::new(
                "bad_zip",
                &format!("The zip's entry \"{name}\" cannot be read."),
            )
        })?;
        // At most one byte more than declared: a lie shows, and stops there.
        let mut raw = Vec::with_capacity(size.min(MAX_TOTAL_BYTES) as usize);
        let read = entry.take(size.saturating_add(1)).read_to_end(&mut raw);
        if read.is_err() {
            bundle.skipped.push(Skipped::new(
                &name,
                "This entry is damaged (it does not inflate to what the zip says).",
            ));
            continue;
        }
        if raw.len() as u64 > size {
            return Err(bomb(&format!(
                "The zip's entry \"{name}\" inflates to more than its declared size."
            )));
        }
        let Ok(text) = String::from_utf8(raw) else {
            bundle
                .skipped
                .push(Skipped::new(&name, "This file is not UTF-8 text."));
            continue;
        };
        let kind = match place(&name) {
            Place::Page => Kind::Page,
            _ => Kind::Post,
        };
        match markdown_file::item(kind, &name, &text) {
            Ok(item) => bundle.push(item),
            Err(reason) => bundle.skipped.push(Skipped::new(&name, &reason)),
        }
    }
    Ok(bundle)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A zip of `(name, bytes)`, deflated.
    pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            out.start_file(*name, options).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn unsafe_names_are_named() {
        assert!(unsafe_name("posts/a.md").is_none());
        for bad in [
            "../x.md",
            "posts/../../x.md",
            "/etc/passwd",
            "posts\\a.md",
            "C:/x.md",
        ] {
            assert!(unsafe_name(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn a_zip_with_a_climbing_entry_is_refused_whole() {
        let bytes = zip_of(&[
            ("posts/fine.md", b"---\ntitle: Fine\n---\nBody\n"),
            ("../evil.md", b"---\ntitle: Evil\n---\n"),
        ]);
        let refused = read(&bytes).unwrap_err();
        assert_eq!(refused.code, "unsafe_name");
        assert!(
            refused.message.contains("../evil.md"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn not_a_zip_is_refused() {
        let refused = super::super::read("x.zip", b"PK\x03\x04 but nothing more").unwrap_err();
        assert_eq!(refused.code, "bad_zip");
    }

    #[test]
    fn a_bomb_is_refused_before_inflating() {
        // 20 MB of zeros deflate to about 20 KB: a ratio near 1000.
        let zeros = vec![0u8; 20 * 1024 * 1024];
        let bytes = zip_of(&[("posts/zeros.md", &zeros)]);
        assert!(bytes.len() < 100_000, "{}", bytes.len());
        let refused = read(&bytes).unwrap_err();
        assert_eq!((refused.code.as_str(), refused.status()), ("zip_bomb", 413));
    }

    #[test]
    fn too_much_text_in_all_is_refused() {
        // Random-looking text deflates poorly: each entry passes the ratio
        // check, together they pass the total.
        let chunk: Vec<u8> = (0..(4 * 1024 * 1024u32))
            .map(|i| b'a' + (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 26)
            .collect();
        let names: Vec<String> = (0..9).map(|i| format!("posts/p{i}.md")).collect();
        let entries: Vec<(&str, &[u8])> = names
            .iter()
            .map(|n| (n.as_str(), chunk.as_slice()))
            .collect();
        let refused = read(&zip_of(&entries)).unwrap_err();
        assert_eq!(refused.code, "zip_bomb");
        assert!(refused.message.contains("32 MB"), "{}", refused.message);
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("media/{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        assert_eq!(read(&zip_of(&entries)).unwrap_err().code, "zip_bomb");
    }

    #[test]
    fn other_entries_are_skipped_and_media_noted() {
        let bytes = zip_of(&[
            ("README.md", b"# About this export"),
            ("settings.json", b"{}"),
            ("media/ab.png", b"\x89PNG"),
            ("notes.txt", b"hello"),
            ("posts/bad.md", b"no front matter here"),
        ]);
        let bundle = read(&bytes).unwrap();
        assert!(bundle.items.is_empty());
        let skipped: Vec<&str> = bundle.skipped.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(skipped, ["notes.txt", "posts/bad.md"]);
        assert!(bundle.notes.iter().any(|n| n.starts_with("1 media file")));
        assert!(bundle.notes.iter().any(|n| n.contains("settings.json")));
    }
}
