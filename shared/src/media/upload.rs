//! An upload checked before anything is stored: its type from its magic
//! bytes, its size against the largest plan, its pixel size, its id from
//! its content, and its name and alt text made safe to keep.

use crate::limits::policy::MAX_MEDIA_FILE_BYTES;

use super::error::{MediaError, MAX_ALT_CHARS};
use super::item::{content_id, MediaItem};
use super::kind::{dimensions, sniff, Sniffed};

/// At most this many characters of a file name are kept.
pub const MAX_FILENAME_CHARS: usize = 120;

/// The file as the library will keep it (`created_at` is the actor's).
pub fn prepare(bytes: &[u8], filename: &str, alt: &str) -> Result<MediaItem, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    let size = bytes.len() as u64;
    if size > MAX_MEDIA_FILE_BYTES {
        return Err(MediaError::FileTooLarge {
            bytes: size,
            max: MAX_MEDIA_FILE_BYTES,
            plan: crate::limits::policy::Plan::Paid,
        });
    }
    let kind = match sniff(bytes) {
        Sniffed::Accepted(kind) => kind,
        Sniffed::Svg => return Err(MediaError::Svg),
        Sniffed::Other(mime) => return Err(MediaError::Unsupported(Some(mime))),
        Sniffed::Unknown => return Err(MediaError::Unsupported(None)),
    };
    let (width, height) = match dimensions(kind, bytes) {
        Some((w, h)) => (Some(w), Some(h)),
        None if kind.is_image() => return Err(MediaError::Damaged(kind)),
        None => (None, None),
    };
    Ok(MediaItem {
        id: content_id(bytes),
        kind,
        bytes: size,
        width,
        height,
        alt: clean_alt(alt)?,
        filename: display_name(filename, kind.ext()),
        created_at: 0,
    })
}

/// Alt text as kept: one line, trimmed, no control characters.
pub fn clean_alt(alt: &str) -> Result<String, MediaError> {
    let alt: String = alt
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if alt.chars().count() > MAX_ALT_CHARS {
        return Err(MediaError::AltTooLong);
    }
    Ok(alt)
}

/// A file name for display only: its last path component, without control
/// characters, at most [`MAX_FILENAME_CHARS`]; `file.{ext}` if nothing is
/// left. It is never part of a key or a path.
pub fn display_name(name: &str, ext: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILENAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        format!("file.{ext}")
    } else {
        cleaned.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::kind::samples::{pdf, png};
    use crate::media::kind::MediaKind;

    #[test]
    fn a_png_is_kept_with_its_size_and_id() {
        let bytes = png(640, 480, 1);
        let item = prepare(&bytes, "C:\\Users\\me\\Kite.PNG", "  a red\nkite ").unwrap();
        assert_eq!(item.kind, MediaKind::Png);
        assert_eq!((item.width, item.height), (Some(640), Some(480)));
        assert_eq!(item.bytes, bytes.len() as u64);
        assert_eq!(item.id, content_id(&bytes));
        assert_eq!(item.filename, "Kite.PNG");
        assert_eq!(item.alt, "a red kite");
        let again = prepare(&bytes, "other.png", "").unwrap();
        assert_eq!(again.id, item.id, "the same bytes, the same id");
    }

    #[test]
    fn names_never_decide_the_type() {
        let html = b"<html><body><script>alert(1)</script></body></html>";
        assert_eq!(
            prepare(html, "cat.png", "").unwrap_err(),
            MediaError::Unsupported(Some("text/html"))
        );
        assert_eq!(prepare(&pdf(), "cat.png", "").unwrap().kind, MediaKind::Pdf);
        assert_eq!(prepare(b"", "a.png", "").unwrap_err(), MediaError::Empty);
        assert_eq!(
            prepare(&png(3, 2, 0)[..12], "cut.png", "").unwrap_err(),
            MediaError::Damaged(MediaKind::Png)
        );
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(prepare(svg, "a.svg", "").unwrap_err(), MediaError::Svg);
    }

    #[test]
    fn file_names_are_for_display_only() {
        assert_eq!(display_name("../../etc/passwd", "png"), "passwd");
        assert_eq!(display_name("a\u{0}b\u{7}.png", "png"), "ab.png");
        assert_eq!(display_name("", "pdf"), "file.pdf");
        assert_eq!(display_name("..", "png"), "file.png");
        assert_eq!(
            display_name(&"x".repeat(500), "png").len(),
            MAX_FILENAME_CHARS
        );
        assert_eq!(clean_alt(&"a".repeat(501)), Err(MediaError::AltTooLong));
    }
}
