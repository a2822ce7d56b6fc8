//! Writes an export's zip as a stream: the router asks for the next chunk
//! of bytes ([`ExportZip::next_chunk`]) each time the download's body
//! wants more, and this writes the archive's next files until about
//! [`CHUNK`] bytes are ready.
//!
//! The text files come first, one at a time from the [`Archive`]; then
//! each library file is opened through the [`MediaFiles`] port (R2 at
//! runtime, memory in tests) and copied chunk by chunk as storage hands
//! them over, stored, not deflated. So memory holds the export's text,
//! one file's Markdown and about one chunk, whatever the library's size,
//! and storage is asked once per file. A file the library lists but
//! storage does not have is left out and named in `missing-media.txt`;
//! a read that fails midway ends the stream with an error (the download
//! fails visibly rather than ending in a quietly short file).

use futures::{Stream, StreamExt};

use super::archive::Archive;
use super::zip_stream::{ZipStream, ZipStreamError};

/// About how many bytes each chunk of the download holds.
pub const CHUNK: usize = 64 * 1024;

/// The port to the library's stored files.
#[allow(async_fn_in_trait)]
pub trait MediaFiles {
    /// A file's bytes, in the chunks storage delivers them.
    type Body: Stream<Item = Result<Vec<u8>, String>> + Unpin;
    /// The object at `key`; `None` when storage has no such object.
    async fn open(&self, key: &str) -> Result<Option<Self::Body>, String>;
}

/// Why the download stopped early (logged by the caller, never shown).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportZipError {
    #[error("storage: {0}")]
    Storage(String),
    #[error(transparent)]
    Zip(#[from] ZipStreamError),
}

/// Where the writer is in the archive.
enum Step {
    Text(usize),
    Media(usize),
    Finish,
    Done,
}

/// An export's zip being written; see the module's docs.
pub struct ExportZip<M: MediaFiles> {
    archive: Archive,
    files: M,
    tenant_id: String,
    zip: ZipStream,
    step: Step,
    /// The library file being copied.
    body: Option<M::Body>,
    missing: Vec<String>,
}

impl<M: MediaFiles> ExportZip<M> {
    /// The zip of `archive`, whose files are `tenant_id`'s in `files`.
    pub fn new(archive: Archive, files: M, tenant_id: &str) -> Self {
        ExportZip {
            archive,
            files,
            tenant_id: tenant_id.to_string(),
            zip: ZipStream::new(),
            step: Step::Text(0),
            body: None,
            missing: Vec::new(),
        }
    }

    /// The next bytes of the archive; `None` once it is all written. After
    /// an error the stream is over.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, ExportZipError> {
        let mut out = Vec::new();
        while out.len() < CHUNK && !matches!(self.step, Step::Done) {
            if let Err(e) = self.advance().await {
                self.step = Step::Done;
                self.body = None;
                return Err(e);
            }
            out.extend(self.zip.take());
        }
        Ok((!out.is_empty()).then_some(out))
    }

    /// Writes the next piece: a chunk of the file being copied, or the
    /// next file, or the end.
    async fn advance(&mut self) -> Result<(), ExportZipError> {
        if let Some(body) = self.body.as_mut() {
            match body.next().await {
                Some(Ok(chunk)) => self.zip.write(&chunk)?,
                Some(Err(e)) => return Err(ExportZipError::Storage(e)),
                None => self.body = None,
            }
            return Ok(());
        }
        match self.step {
            Step::Text(i) => match self.archive.text_entry(i) {
                Some(e) => {
                    self.zip
                        .add_deflated(&e.name, e.modified, e.text.as_bytes())?;
                    self.step = Step::Text(i + 1);
                }
                None => self.step = Step::Media(0),
            },
            Step::Media(i) => match self.archive.media_entry(i) {
                Some(e) => {
                    let key = e.media.object_key(&self.tenant_id);
                    match self.files.open(&key).await {
                        Ok(Some(body)) => {
                            self.zip.start_stored(&e.name, e.modified)?;
                            self.body = Some(body);
                        }
                        Ok(None) => self.missing.push(e.name),
                        Err(e) => return Err(ExportZipError::Storage(e)),
                    }
                    self.step = Step::Media(i + 1);
                }
                None => self.step = Step::Finish,
            },
            Step::Finish => {
                if let Some(e) = self.archive.missing_entry(&self.missing) {
                    self.zip
                        .add_deflated(&e.name, e.modified, e.text.as_bytes())?;
                }
                self.zip.finish()?;
                self.step = Step::Done;
            }
            Step::Done => {}
        }
        Ok(())
    }
}

/// Library files in memory, for native tests.
#[cfg(test)]
pub(crate) mod fake {
    use std::collections::HashMap;

    use super::MediaFiles;

    /// Files by object key, handed out in chunks of `chunk` bytes; a key in
    /// `failing` fails after its first chunk.
    #[derive(Default)]
    pub struct MemoryFiles {
        pub files: HashMap<String, Vec<u8>>,
        pub chunk: usize,
        pub failing: Vec<String>,
    }

    impl MediaFiles for MemoryFiles {
        type Body = futures::stream::Iter<std::vec::IntoIter<Result<Vec<u8>, String>>>;

        async fn open(&self, key: &str) -> Result<Option<Self::Body>, String> {
            let Some(bytes) = self.files.get(key) else {
                return Ok(None);
            };
            let mut chunks: Vec<Result<Vec<u8>, String>> = bytes
                .chunks(self.chunk.max(1))
                .map(|c| Ok(c.to_vec()))
                .collect();
            if self.failing.iter().any(|k| k == key) {
                chunks.truncate(1);
                chunks.push(Err("connection reset".into()));
            }
            Ok(Some(futures::stream::iter(chunks)))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use futures::executor::block_on;

    use super::fake::MemoryFiles;
    use super::*;
    use crate::lifecycle::archive::tests::{sample, IMAGE_ID};
    use crate::lifecycle::front_matter::parse;
    use crate::media::item::MediaItem;
    use crate::media::kind::MediaKind;

    fn key(id: &str) -> String {
        format!("tenants/t_test/media/{id}.png")
    }

    /// Every chunk of the download, and the largest.
    fn download(z: &mut ExportZip<MemoryFiles>) -> (Vec<u8>, usize) {
        let (mut all, mut largest) = (Vec::new(), 0);
        while let Some(chunk) = block_on(z.next_chunk()).unwrap() {
            largest = largest.max(chunk.len());
            all.extend(chunk);
        }
        (all, largest)
    }

    #[test]
    fn the_download_unzips_to_the_posts_pages_settings_and_files() {
        let image: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        let mut files = MemoryFiles {
            chunk: 16 * 1024,
            ..MemoryFiles::default()
        };
        files.files.insert(key(IMAGE_ID), image.clone());
        let export = sample();
        let mut z = ExportZip::new(Archive::new(export.clone()), files, "t_test");
        let (bytes, largest) = download(&mut z);
        assert!(
            largest < CHUNK + 32 * 1024,
            "chunks stay near {CHUNK} bytes ({largest})"
        );
        assert_eq!(block_on(z.next_chunk()), Ok(None), "over, and stays over");

        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        names.sort_unstable();
        let image_name = format!("media/{IMAGE_ID}.png");
        assert_eq!(
            names,
            [
                "README.md",
                image_name.as_str(),
                "pages/about.md",
                "posts/hello-world.md",
                "posts/later.md",
                "settings.json"
            ]
        );
        for p in &export.posts {
            let mut text = String::new();
            zip.by_name(&format!("posts/{}.md", p.slug))
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            let doc = parse(&text).unwrap();
            assert_eq!(
                (doc.title.as_str(), doc.markdown.as_str()),
                (p.title.as_str(), p.markdown.as_str())
            );
        }
        let mut copied = Vec::new();
        let mut entry = zip.by_name(&image_name).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
        entry.read_to_end(&mut copied).unwrap();
        assert_eq!(copied, image, "byte for byte");
    }

    #[test]
    fn a_file_storage_lost_is_named_and_the_rest_is_exported() {
        let mut export = sample();
        let lost = "fedcba9876543210fedcba9876543210";
        export.media.push(MediaItemLike::file(lost));
        let mut files = MemoryFiles {
            chunk: 3,
            ..MemoryFiles::default()
        };
        files.files.insert(key(IMAGE_ID), vec![1, 2, 3, 4]);
        let mut z = ExportZip::new(Archive::new(export), files, "t_test");
        let (bytes, _) = download(&mut z);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut missing = String::new();
        zip.by_name("missing-media.txt")
            .unwrap()
            .read_to_string(&mut missing)
            .unwrap();
        assert!(missing.contains(&format!("media/{lost}.png")));
        assert!(!missing.contains(IMAGE_ID));
        assert!(zip.by_name(&format!("media/{IMAGE_ID}.png")).is_ok());
        assert!(zip.by_name(&format!("media/{lost}.png")).is_err());
    }

    #[test]
    fn a_read_failing_midway_ends_the_download_with_an_error() {
        let mut files = MemoryFiles {
            chunk: 2,
            ..MemoryFiles::default()
        };
        files.files.insert(key(IMAGE_ID), vec![9; 10]);
        files.failing.push(key(IMAGE_ID));
        let mut z = ExportZip::new(Archive::new(sample()), files, "t_test");
        let mut result = Ok(Some(Vec::new()));
        while let Ok(Some(_)) = result {
            result = block_on(z.next_chunk());
        }
        assert_eq!(
            result,
            Err(ExportZipError::Storage("connection reset".into()))
        );
        assert_eq!(block_on(z.next_chunk()), Ok(None));
    }

    #[test]
    fn a_thousand_posts_stream_in_bounded_chunks() {
        let mut export = sample();
        let template = export.posts[0].clone();
        for i in 0..1000 {
            let mut p = template.clone();
            p.id = format!("q{i}");
            p.slug = format!("post-{i}");
            p.markdown = format!("Post {i}. ").repeat(300);
            export.posts.push(p);
        }
        let mut files = MemoryFiles {
            chunk: 4096,
            ..MemoryFiles::default()
        };
        files.files.insert(key(IMAGE_ID), vec![7; 1_000_000]);
        let mut z = ExportZip::new(Archive::new(export), files, "t_test");
        let (bytes, largest) = download(&mut z);
        assert!(largest < 2 * CHUNK, "{largest}");
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(
            zip.len(),
            2 + 1002 + 1 + 1,
            "README, settings, posts, the page, the image"
        );
    }

    /// A library file described the way the export describes one.
    struct MediaItemLike;

    impl MediaItemLike {
        fn file(id: &str) -> crate::lifecycle::export::ExportedFile {
            let item = MediaItem {
                id: id.into(),
                kind: MediaKind::Png,
                bytes: 4,
                width: Some(1),
                height: Some(1),
                alt: "Lost".into(),
                filename: "lost.png".into(),
                created_at: 0,
            };
            crate::lifecycle::export::ExportedFile {
                id: item.id.clone(),
                path: item.path(),
                url: format!("https://autumn.grove.place{}", item.path()),
                filename: item.filename,
                alt: item.alt,
                bytes: item.bytes,
                width: item.width,
                height: item.height,
                created_at: item.created_at,
            }
        }
    }
}
