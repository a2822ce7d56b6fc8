//! Why an upload or a change to the library was refused, as the owner
//! reads it: each becomes a [`Problem`] with its status and a message that
//! names the file and the limit.

use crate::limits::policy::Plan;
use crate::problem::Problem;

use super::kind::MediaKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaError {
    /// No bytes at all.
    Empty,
    /// Not a type Grove accepts (what it is, when known).
    Unsupported(Option<&'static str>),
    /// SVG, which can carry scripts.
    Svg,
    /// Starts like an accepted image, but its header gives no size.
    Damaged(MediaKind),
    /// Larger than the plan allows per file.
    FileTooLarge { bytes: u64, max: u64, plan: Plan },
    /// Would take the tenant past its storage quota.
    QuotaFull {
        bytes: u64,
        used: u64,
        max: u64,
        plan: Plan,
    },
    /// The same file is being uploaded right now.
    InFlight,
    /// Alt text over the limit.
    AltTooLong,
    /// No such file in this blog's library.
    NotFound,
    /// Still used by posts or pages (deleting needs `force`).
    InUse(Vec<String>),
}

/// At most this many characters of alt text.
pub const MAX_ALT_CHARS: usize = 500;

/// Bytes as people read them: "5 MB", "1.5 MB", "820 KB", "10 GB".
pub fn human_bytes(n: u64) -> String {
    let f = |v: f64, unit: &str| {
        if (v - v.round()).abs() < 0.05 {
            format!("{} {unit}", v.round() as u64)
        } else {
            format!("{v:.1} {unit}")
        }
    };
    match n {
        0..=999 => format!("{n} bytes"),
        1_000..=999_999 => f(n as f64 / 1e3, "KB"),
        1_000_000..=999_999_999 => f(n as f64 / 1e6, "MB"),
        _ => f(n as f64 / 1e9, "GB"),
    }
}

impl MediaError {
    /// The problem to answer, naming `file` (the upload's display name).
    pub fn problem(&self, file: &str) -> Problem {
        let file = if file.is_empty() { "The file" } else { file };
        match self {
            MediaError::Empty => Problem::new(
                400,
                "empty_file",
                "Empty file",
                &format!("{file} is empty. Nothing was stored."),
            ),
            MediaError::Unsupported(found) => {
                let what = match found {
                    Some(mime) => format!("{file} is {mime}"),
                    None => format!("{file} is not a file type Grove recognises"),
                };
                Problem::new(
                    415,
                    "unsupported_type",
                    "Unsupported file type",
                    &format!(
                        "{what}. Grove accepts {} (checked from the file's contents, not its name). Nothing was stored.",
                        MediaKind::NAMES
                    ),
                )
            }
            MediaError::Svg => Problem::new(
                415,
                "unsupported_type",
                "Unsupported file type",
                &format!(
                    "{file} is an SVG image. SVG can carry scripts, so Grove does not accept it: export it as PNG or WebP instead. Nothing was stored."
                ),
            ),
            MediaError::Damaged(kind) => Problem::new(
                415,
                "damaged_image",
                "Damaged image",
                &format!(
                    "{file} starts like a {} image, but its header is damaged or cut short. Nothing was stored.",
                    kind.ext().to_uppercase()
                ),
            ),
            MediaError::FileTooLarge { bytes, max, plan } => Problem::new(
                413,
                "file_too_large",
                "File too large",
                &format!(
                    "{file} is {}; the {} plan allows {} per file. Nothing was stored.",
                    human_bytes(*bytes),
                    plan.as_str(),
                    human_bytes(*max)
                ),
            ),
            MediaError::QuotaFull {
                bytes,
                used,
                max,
                plan,
            } => Problem::new(
                413,
                "storage_quota",
                "Storage quota reached",
                &format!(
                    "{file} ({}) does not fit: this blog stores {} of the {} plan's {} of media. Delete files you no longer use, or move to a plan with more storage. Nothing was stored.",
                    human_bytes(*bytes),
                    human_bytes(*used),
                    plan.as_str(),
                    human_bytes(*max)
                ),
            ),
            MediaError::InFlight => Problem::new(
                409,
                "upload_in_progress",
                "Upload in progress",
                &format!("{file} is being uploaded right now. Try again in a moment."),
            ),
            MediaError::AltTooLong => Problem::new(
                400,
                "alt_too_long",
                "Alt text too long",
                &format!("Alt text is at most {MAX_ALT_CHARS} characters."),
            ),
            MediaError::NotFound => Problem::new(
                404,
                "not_found",
                "No such file",
                "This blog's library has no such file.",
            ),
            MediaError::InUse(titles) => Problem::new(
                409,
                "media_in_use",
                "File in use",
                &format!(
                    "{file} is used by: {}. Deleting it breaks those images; confirm to delete anyway.",
                    titles.join(", ")
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_bytes(5_000_000), "5 MB");
        assert_eq!(human_bytes(6_200_000), "6.2 MB");
        assert_eq!(human_bytes(100_000_000), "100 MB");
        assert_eq!(human_bytes(10_000_000_000), "10 GB");
        assert_eq!(human_bytes(204_800), "204.8 KB");
        assert_eq!(human_bytes(12), "12 bytes");
    }

    #[test]
    fn limits_are_named_in_the_message() {
        let p = MediaError::FileTooLarge {
            bytes: 6_000_000,
            max: 5_000_000,
            plan: Plan::Free,
        }
        .problem("cat.png");
        assert_eq!(p.status, 413);
        assert!(p
            .message
            .contains("cat.png is 6 MB; the free plan allows 5 MB per file"));
        let p = MediaError::Unsupported(Some("text/html")).problem("evil.png");
        assert_eq!(p.status, 415);
        assert!(p.message.contains("evil.png is text/html"), "{}", p.message);
    }
}
