//! `/admin/export`: take the whole blog away as one `.zip` (posts and
//! pages as Markdown with front matter, the settings, the media files),
//! with what it holds said plainly; the JSON document is offered too.

use maud::{html, Markup};

use super::layout::admin_layout;
use super::AdminChrome;
use crate::media::error::human_bytes;
use crate::media::library::Usage;

/// The export page.
pub const EXPORT_PAGE_PATH: &str = "/admin/export";
/// The zip's download (the same path answers JSON with `?format=json`).
pub const DOWNLOAD_PATH: &str = "/admin/api/export";
/// The JSON document's download.
pub const JSON_PATH: &str = "/admin/api/export?format=json";

/// What the blog holds, as the page counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    pub posts: usize,
    pub drafts: usize,
    pub pages: usize,
    /// `None`: the library could not be counted just now.
    pub media: Option<Usage>,
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The export page.
pub fn export_page(chrome: &AdminChrome, summary: &ExportSummary) -> Markup {
    let body = html! {
        p {
            "Download everything on this blog as one .zip file, to keep a copy or to move it "
            "elsewhere. Nothing on the blog changes."
        }
        section aria-labelledby="export-contents" {
            h2 id="export-contents" { "What the file holds" }
            ul {
                li {
                    (count(summary.posts, "post", "posts"))
                    @if summary.drafts > 0 {
                        " (" (count(summary.drafts, "draft or scheduled post", "drafts and scheduled posts")) " among them)"
                    }
                    ", each a Markdown file in " code { "posts/" }
                }
                li { (count(summary.pages, "page", "pages")) ", in " code { "pages/" } }
                li {
                    @match summary.media {
                        Some(u) => {
                            (count(u.files as usize, "media file", "media files"))
                            " (" (human_bytes(u.bytes)) "), byte for byte, in " code { "media/" }
                        }
                        None => { "your media files, byte for byte, in " code { "media/" } }
                    }
                }
                li { "your settings, in " code { "settings.json" } }
                li { "a " code { "README.md" } " that explains the format" }
            }
            p {
                "Each post and page starts with its title, address (slug), dates, tags and status "
                "between two " code { "---" } " lines (YAML front matter), then its text exactly as "
                "you wrote it. Most static-site tools read this format, and Grove can import it back."
            }
        }
        form method="get" action=(DOWNLOAD_PATH) {
            button type="submit" { "Download the export (.zip)" }
        }
        p class="hint" {
            "A large library takes a while: the download starts at once and the files follow. "
            "For tools that want one JSON document instead (posts and pages, settings, and the "
            "list of media files without the files themselves): "
            a href=(JSON_PATH) { "download the export as JSON" } "."
        }
    };
    admin_layout(chrome, "Export", None, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::{assert_admin_head, chrome};

    #[test]
    fn the_page_says_what_the_zip_holds_and_downloads_it_without_script() {
        let summary = ExportSummary {
            posts: 12,
            drafts: 2,
            pages: 1,
            media: Some(Usage {
                bytes: 3_000_000,
                files: 4,
            }),
        };
        let html = export_page(&chrome(), &summary).into_string();
        assert_admin_head(&html, "Export");
        assert!(html.contains("<h1>Export</h1>"));
        assert!(html.contains("12 posts (2 drafts and scheduled posts among them)"));
        assert!(html.contains("1 page, in <code>pages/</code>"));
        assert!(html.contains("4 media files (3 MB)"), "{html}");
        assert!(html.contains("<form method=\"get\" action=\"/admin/api/export\">"));
        assert!(html.contains("href=\"/admin/api/export?format=json\""));
        let unknown = ExportSummary {
            media: None,
            drafts: 0,
            ..summary
        };
        let html = export_page(&chrome(), &unknown).into_string();
        assert!(html.contains("your media files, byte for byte"));
        assert!(!html.contains("among them"));
    }
}
