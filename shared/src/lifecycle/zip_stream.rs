//! A zip archive written as a stream, for the export's download: bytes
//! come out as soon as they are written, nothing is ever sought back to,
//! and no file is held whole.
//!
//! Each entry's sizes and CRC follow its data (a data descriptor), so a
//! file of unknown length can be copied in chunk by chunk as they arrive
//! (media from R2), and the central directory comes last. Small text
//! files are deflated; media are stored as they are (JPEG, PNG, WebP and
//! PDF are compressed already, and storing costs no CPU). The caller
//! drains what is ready with [`ZipStream::take`] after every step, so
//! memory stays at about one chunk plus the directory (a few hundred
//! bytes an entry).

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use zip::write::{SimpleFileOptions, StreamWriter, ZipWriter};
use zip::{CompressionMethod, DateTime};

/// The bytes written and not yet taken.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Why an archive could not be written (a name given twice, a write after
/// the end): a mistake of the caller, never of the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("zip stream: {0}")]
pub struct ZipStreamError(String);

impl From<zip::result::ZipError> for ZipStreamError {
    fn from(e: zip::result::ZipError) -> Self {
        ZipStreamError(e.to_string())
    }
}

impl From<io::Error> for ZipStreamError {
    fn from(e: io::Error) -> Self {
        ZipStreamError(e.to_string())
    }
}

/// An archive being written; see the module's docs.
pub struct ZipStream {
    zip: Option<ZipWriter<StreamWriter<Sink>>>,
    out: Sink,
}

impl Default for ZipStream {
    fn default() -> Self {
        Self::new()
    }
}

impl ZipStream {
    pub fn new() -> Self {
        let out = Sink::default();
        ZipStream {
            zip: Some(ZipWriter::new_stream(out.clone())),
            out,
        }
    }

    fn writer(&mut self) -> Result<&mut ZipWriter<StreamWriter<Sink>>, ZipStreamError> {
        self.zip
            .as_mut()
            .ok_or_else(|| ZipStreamError("the archive is already finished".into()))
    }

    /// A whole (small) file, deflated; `modified` is Unix ms.
    pub fn add_deflated(
        &mut self,
        name: &str,
        modified: i64,
        bytes: &[u8],
    ) -> Result<(), ZipStreamError> {
        let options = options(CompressionMethod::Deflated, modified);
        let zip = self.writer()?;
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
        Ok(())
    }

    /// Begins a file stored as it is; its bytes follow with [`Self::write`].
    pub fn start_stored(&mut self, name: &str, modified: i64) -> Result<(), ZipStreamError> {
        let options = options(CompressionMethod::Stored, modified);
        self.writer()?.start_file(name, options)?;
        Ok(())
    }

    /// More bytes of the file begun last.
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), ZipStreamError> {
        self.writer()?.write_all(chunk)?;
        Ok(())
    }

    /// Ends the last file and writes the central directory.
    pub fn finish(&mut self) -> Result<(), ZipStreamError> {
        if let Some(zip) = self.zip.take() {
            zip.finish()?;
        }
        Ok(())
    }

    /// The bytes ready to send (and forgets them).
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut *self.out.0.borrow_mut())
    }
}

fn options(method: CompressionMethod, modified: i64) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip_time(modified))
        .unix_permissions(0o644)
}

/// Unix ms as a zip time (UTC; zip keeps no zone). Times outside zip's
/// range (1980–2107) become its earliest.
fn zip_time(ms: i64) -> DateTime {
    let Ok(at) = jiff::Timestamp::from_millisecond(ms) else {
        return DateTime::default();
    };
    let t = jiff::tz::TimeZone::UTC.to_datetime(at);
    let (Ok(year), Ok(month), Ok(day), Ok(hour), Ok(minute), Ok(second)) = (
        u16::try_from(t.year()),
        u8::try_from(t.month()),
        u8::try_from(t.day()),
        u8::try_from(t.hour()),
        u8::try_from(t.minute()),
        u8::try_from(t.second()),
    ) else {
        return DateTime::default();
    };
    DateTime::from_date_and_time(year, month, day, hour, minute, second).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    /// 2026-10-05 12:00:00 UTC.
    const AT: i64 = 1_791_201_600_000;

    #[test]
    fn a_streamed_archive_reads_back_with_its_files_methods_and_times() {
        let mut z = ZipStream::new();
        let mut out = Vec::new();
        let text = "Hello, *world*. ".repeat(200);
        z.add_deflated("posts/hello.md", AT, text.as_bytes())
            .unwrap();
        out.extend(z.take());
        z.start_stored("media/0123.png", 0).unwrap();
        // A file arriving in chunks, each sent before the next comes.
        let image: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut largest_pending = 0;
        for chunk in image.chunks(4096) {
            z.write(chunk).unwrap();
            let ready = z.take();
            largest_pending = largest_pending.max(ready.len());
            out.extend(ready);
        }
        z.finish().unwrap();
        out.extend(z.take());
        assert!(
            largest_pending < 8192,
            "a stored file is passed on chunk by chunk ({largest_pending} bytes at once)"
        );

        let mut archive = zip::ZipArchive::new(Cursor::new(out)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut post = archive.by_name("posts/hello.md").unwrap();
        assert_eq!(post.compression(), CompressionMethod::Deflated);
        assert!(post.compressed_size() < post.size() / 4, "text is deflated");
        let t = post.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2026, 10, 5, 12, 0)
        );
        let mut read = String::new();
        post.read_to_string(&mut read).unwrap();
        assert_eq!(read, text);
        drop(post);
        let mut media = archive.by_name("media/0123.png").unwrap();
        assert_eq!(media.compression(), CompressionMethod::Stored);
        let t = media.last_modified().unwrap();
        assert_eq!(t.year(), 1980, "a time before 1980 becomes zip's earliest");
        let mut bytes = Vec::new();
        media.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, image, "the CRC in the data descriptor matches");
    }

    #[test]
    fn a_name_twice_or_a_write_after_the_end_is_an_error_not_a_bad_archive() {
        let mut z = ZipStream::new();
        z.add_deflated("a.md", AT, b"a").unwrap();
        assert!(z.add_deflated("a.md", AT, b"b").is_err());
        z.finish().unwrap();
        assert!(z.write(b"more").is_err());
        assert!(z.start_stored("b", AT).is_err());
        z.finish().unwrap();
    }
}
