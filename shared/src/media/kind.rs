//! The file types Grove accepts, known from their magic bytes only (never
//! from a name or a client's `Content-Type`), and the pixel size of images
//! read from their headers (nothing is decoded).

use serde::{Deserialize, Serialize};

/// An accepted file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Avif,
    Pdf,
}

/// What the bytes are, when it is not something Grove accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    Accepted(MediaKind),
    /// Another known type (its MIME type), e.g. `text/html`.
    Other(&'static str),
    /// SVG: refused, since it can carry scripts.
    Svg,
    Unknown,
}

impl MediaKind {
    pub const ALL: [MediaKind; 6] = [
        MediaKind::Jpeg,
        MediaKind::Png,
        MediaKind::Gif,
        MediaKind::Webp,
        MediaKind::Avif,
        MediaKind::Pdf,
    ];

    /// The file extension of its URL.
    pub fn ext(self) -> &'static str {
        match self {
            MediaKind::Jpeg => "jpg",
            MediaKind::Png => "png",
            MediaKind::Gif => "gif",
            MediaKind::Webp => "webp",
            MediaKind::Avif => "avif",
            MediaKind::Pdf => "pdf",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            MediaKind::Jpeg => "image/jpeg",
            MediaKind::Png => "image/png",
            MediaKind::Gif => "image/gif",
            MediaKind::Webp => "image/webp",
            MediaKind::Avif => "image/avif",
            MediaKind::Pdf => "application/pdf",
        }
    }

    pub fn from_ext(ext: &str) -> Option<MediaKind> {
        MediaKind::ALL.into_iter().find(|k| k.ext() == ext)
    }

    pub fn is_image(self) -> bool {
        self != MediaKind::Pdf
    }

    /// The accepted types, for messages: "JPEG, PNG, GIF, WebP, AVIF or PDF".
    pub const NAMES: &'static str = "JPEG, PNG, GIF, WebP, AVIF or PDF";
}

/// What `bytes` are, from their magic bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if let Some(t) = infer::get(bytes) {
        let kind = match t.mime_type() {
            "image/jpeg" => Some(MediaKind::Jpeg),
            "image/png" => Some(MediaKind::Png),
            "image/gif" => Some(MediaKind::Gif),
            "image/webp" => Some(MediaKind::Webp),
            "image/avif" => Some(MediaKind::Avif),
            "application/pdf" => Some(MediaKind::Pdf),
            _ => None,
        };
        return match kind {
            Some(kind) => Sniffed::Accepted(kind),
            None if t.mime_type() == "image/svg+xml" || looks_like_svg(bytes) => Sniffed::Svg,
            None => Sniffed::Other(t.mime_type()),
        };
    }
    if looks_like_svg(bytes) {
        return Sniffed::Svg;
    }
    Sniffed::Unknown
}

/// An `<svg` element near the start of a text file (after an XML prolog,
/// a doctype or comments).
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.contains("<svg")
}

/// The pixel size of an image, from its header; `None` for a PDF or an
/// image whose header says nothing usable.
pub fn dimensions(kind: MediaKind, bytes: &[u8]) -> Option<(u32, u32)> {
    if !kind.is_image() {
        return None;
    }
    let size = imagesize::blob_size(bytes).ok()?;
    let w = u32::try_from(size.width).ok()?;
    let h = u32::try_from(size.height).ok()?;
    (w > 0 && h > 0).then_some((w, h))
}

#[cfg(test)]
pub(crate) mod samples {
    //! The smallest valid files of each type, built by hand.

    /// A 3×2 PNG (IHDR carries the size; no valid pixel data needed to read it).
    pub fn png(width: u32, height: u32, salt: u8) -> Vec<u8> {
        let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        b.extend_from_slice(&13u32.to_be_bytes());
        b.extend_from_slice(b"IHDR");
        b.extend_from_slice(&width.to_be_bytes());
        b.extend_from_slice(&height.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, salt]);
        b
    }

    pub fn gif(width: u16, height: u16) -> Vec<u8> {
        let mut b = b"GIF89a".to_vec();
        b.extend_from_slice(&width.to_le_bytes());
        b.extend_from_slice(&height.to_le_bytes());
        b.extend_from_slice(&[0, 0, 0, b';']);
        b
    }

    pub fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8]);
        b.extend_from_slice(&height.to_be_bytes());
        b.extend_from_slice(&width.to_be_bytes());
        b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        b
    }

    pub fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    #[test]
    fn types_come_from_magic_bytes() {
        assert_eq!(sniff(&png(3, 2, 0)), Sniffed::Accepted(MediaKind::Png));
        assert_eq!(sniff(&gif(1, 1)), Sniffed::Accepted(MediaKind::Gif));
        assert_eq!(sniff(&jpeg(4, 5)), Sniffed::Accepted(MediaKind::Jpeg));
        assert_eq!(sniff(&pdf()), Sniffed::Accepted(MediaKind::Pdf));
        let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>";
        assert!(
            matches!(sniff(html), Sniffed::Other("text/html")),
            "{:?}",
            sniff(html)
        );
        let svg =
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>";
        assert_eq!(sniff(svg), Sniffed::Svg);
        assert_eq!(sniff(b"just some text"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
        // A PNG cut short still starts like one (upload::prepare refuses it).
        assert_eq!(dimensions(MediaKind::Png, &png(3, 2, 0)[..12]), None);
    }

    #[test]
    fn sizes_come_from_headers() {
        assert_eq!(dimensions(MediaKind::Png, &png(3, 2, 0)), Some((3, 2)));
        assert_eq!(dimensions(MediaKind::Gif, &gif(640, 480)), Some((640, 480)));
        assert_eq!(
            dimensions(MediaKind::Jpeg, &jpeg(1200, 800)),
            Some((1200, 800))
        );
        assert_eq!(dimensions(MediaKind::Pdf, &pdf()), None);
        assert_eq!(dimensions(MediaKind::Png, &png(0, 2, 0)), None);
    }

    #[test]
    fn extensions_round_trip() {
        for kind in MediaKind::ALL {
            assert_eq!(MediaKind::from_ext(kind.ext()), Some(kind));
        }
        assert_eq!(MediaKind::from_ext("svg"), None);
        assert_eq!(MediaKind::from_ext("html"), None);
    }
}
