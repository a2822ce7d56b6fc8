//! One file of a blog's library: its row, its URL and R2 key, and the
//! Markdown an owner pastes into a post.

use serde::{Deserialize, Serialize};

use super::kind::MediaKind;

/// Hex digits of a media id: the first 128 bits of the file's SHA-256.
pub const ID_LEN: usize = 32;

/// A file in the library (a `media` row in D1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaItem {
    /// From the content hash: the same bytes always have the same id.
    pub id: String,
    pub kind: MediaKind,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Empty until the owner writes it (required before an image is inserted).
    pub alt: String,
    /// The uploaded file's name, for display only (sanitised).
    pub filename: String,
    /// Unix ms.
    pub created_at: i64,
}

impl MediaItem {
    /// The file's path on every host of its blog.
    pub fn path(&self) -> String {
        media_path(&self.id, self.kind)
    }

    /// Where R2 keeps it.
    pub fn object_key(&self, tenant_id: &str) -> String {
        object_key(tenant_id, &self.id, self.kind)
    }

    /// The Markdown to paste: an image with its alt text, a link for a PDF.
    /// `None` for an image without alt text (it must be described first).
    pub fn markdown(&self) -> Option<String> {
        let text = |s: &str| s.replace(['[', ']', '\\'], "");
        if self.kind.is_image() {
            let alt = text(self.alt.trim());
            (!alt.is_empty()).then(|| format!("![{alt}]({})", self.path()))
        } else {
            let label = match self.alt.trim() {
                "" => text(&self.filename),
                alt => text(alt),
            };
            Some(format!("[{label}]({})", self.path()))
        }
    }
}

pub fn media_path(id: &str, kind: MediaKind) -> String {
    format!("/media/{id}.{}", kind.ext())
}

pub fn object_key(tenant_id: &str, id: &str, kind: MediaKind) -> String {
    format!("tenants/{tenant_id}/media/{id}.{}", kind.ext())
}

/// The id of `bytes`: hex of the first 128 bits of their SHA-256.
pub fn content_id(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    hex::encode(&digest[..ID_LEN / 2])
}

/// Whether `id` is a media id (lower-case hex of the right length).
pub fn is_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A reader's request for a file: `/media/{id}.{ext}`, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaPath {
    pub id: String,
    pub kind: MediaKind,
}

impl MediaPath {
    /// `None` for anything that is not exactly a media id and an accepted
    /// extension (so no other key of the bucket can be named).
    pub fn parse(path: &str) -> Option<MediaPath> {
        let file = path.strip_prefix("/media/")?;
        let (id, ext) = file.split_once('.')?;
        let kind = MediaKind::from_ext(ext)?;
        is_id(id).then(|| MediaPath {
            id: id.to_string(),
            kind,
        })
    }

    pub fn object_key(&self, tenant_id: &str) -> String {
        object_key(tenant_id, &self.id, self.kind)
    }

    /// The strong validator: the id is the content hash.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: MediaKind, alt: &str) -> MediaItem {
        MediaItem {
            id: content_id(b"x"),
            kind,
            bytes: 1,
            width: None,
            height: None,
            alt: alt.into(),
            filename: "Report [final].pdf".into(),
            created_at: 0,
        }
    }

    #[test]
    fn ids_come_from_the_bytes() {
        let a = content_id(b"hello");
        assert_eq!(a, "2cf24dba5fb0a30e26e83b2ac5b9e29e");
        assert!(is_id(&a));
        assert_ne!(a, content_id(b"hello!"));
        assert!(!is_id("2CF24DBA5FB0A30E26E83B2AC5B9E29E"));
        assert!(!is_id("../../etc"));
    }

    #[test]
    fn only_exact_media_paths_parse() {
        let id = content_id(b"hello");
        let p = MediaPath::parse(&format!("/media/{id}.png")).unwrap();
        assert_eq!(p.kind, MediaKind::Png);
        assert_eq!(p.object_key("t_a"), format!("tenants/t_a/media/{id}.png"));
        assert_eq!(p.etag(), format!("\"{id}\""));
        for bad in [
            format!("/media/{id}.svg"),
            format!("/media/{id}.png.html"),
            format!("/media/{id}"),
            format!("/media/../{id}.png"),
            format!("/media/{}.png", &id[..31]),
            format!("/media/x/{id}.png"),
            format!("/mediax/{id}.png"),
            "/media/%2e%2e.png".to_string(),
        ] {
            assert_eq!(MediaPath::parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn images_need_alt_text_before_markdown() {
        assert_eq!(item(MediaKind::Png, "  ").markdown(), None);
        let md = item(MediaKind::Png, "A [red] kite").markdown().unwrap();
        assert_eq!(
            md,
            format!("![A red kite](/media/{}.png)", content_id(b"x"))
        );
        let pdf = item(MediaKind::Pdf, "").markdown().unwrap();
        assert!(pdf.starts_with("[Report final.pdf](/media/"), "{pdf}");
    }
}
