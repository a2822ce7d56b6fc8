//! `/admin/media`: the blog's media library. Usage against the plan's
//! quota, an upload form (a plain multipart form, several files at once),
//! and a grid of files: each image itself (lazy, with its size), its alt
//! text (editable), and the Markdown to paste once it has alt text.

use maud::{html, Markup};

use super::csrf_input;
use super::layout::admin_layout;
use super::AdminChrome;
use crate::limits::policy::{MediaQuota, Plan};
use crate::media::error::{human_bytes, MAX_ALT_CHARS};
use crate::media::item::MediaItem;
use crate::media::library::Usage;

/// What the library page shows.
pub struct Library<'a> {
    pub items: &'a [MediaItem],
    pub usage: Usage,
    pub quota: MediaQuota,
    pub plan: Plan,
}

/// "12 MB of 100 MB (12 %)".
pub fn usage_line(usage: Usage, quota: MediaQuota) -> String {
    let percent = if quota.max_total_bytes == 0 {
        0
    } else {
        (usage.bytes * 100).div_ceil(quota.max_total_bytes).min(100)
    };
    format!(
        "{} of {} used ({percent} %)",
        human_bytes(usage.bytes),
        human_bytes(quota.max_total_bytes)
    )
}

fn anchor(item: &MediaItem) -> String {
    format!("m-{}", item.id)
}

fn tile(chrome: &AdminChrome, item: &MediaItem) -> Markup {
    let alt_id = format!("alt-{}", item.id);
    let size = match (item.width, item.height) {
        (Some(w), Some(h)) => format!("{w} × {h} px, {}", human_bytes(item.bytes)),
        _ => human_bytes(item.bytes),
    };
    html! {
        li class="media-item" id=(anchor(item)) {
            @if item.kind.is_image() {
                img src=(item.path()) alt=(item.alt) loading="lazy"
                    width=[item.width] height=[item.height];
            } @else {
                p class="media-file" { a href=(item.path()) { (item.filename) } }
            }
            p class="media-meta" { (item.filename) " · " (size) }
            form method="post" action={ "/admin/media/" (item.id) "/alt" } class="media-alt" {
                (csrf_input(&chrome.csrf_token))
                label for=(alt_id) { "Alt text" }
                input id=(alt_id) name="alt" value=(item.alt) maxlength=(MAX_ALT_CHARS)
                    placeholder="Describe the image for readers who cannot see it";
                button type="submit" { "Save alt text" }
            }
            @match item.markdown() {
                Some(md) => {
                    label for={ "md-" (item.id) } { "Markdown to paste" }
                    input id={ "md-" (item.id) } class="media-md" readonly value=(md);
                }
                None => p class="hint" { "Write its alt text to get the Markdown to insert it." },
            }
            p { a href={ "/admin/media/" (item.id) "/delete" } { "Delete…" } }
        }
    }
}

/// The library page.
pub fn library_page(chrome: &AdminChrome, lib: &Library<'_>, notice: Option<&str>) -> Markup {
    let body = html! {
        p class="media-usage" {
            "Storage: " strong { (usage_line(lib.usage, lib.quota)) }
            " on the " (lib.plan.as_str()) " plan, at most "
            (human_bytes(lib.quota.max_file_bytes)) " a file."
        }
        form method="post" action="/admin/media" enctype="multipart/form-data" class="media-upload" {
            (csrf_input(&chrome.csrf_token))
            div class="field" {
                label for="file" { "Files" }
                p class="hint" id="file-hint" { "JPEG, PNG, GIF, WebP, AVIF or PDF; you can choose several." }
                input id="file" type="file" name="file" multiple aria-describedby="file-hint"
                    accept="image/jpeg,image/png,image/gif,image/webp,image/avif,application/pdf";
            }
            div class="field" {
                label for="alt" { "Alt text (optional, for every file of this upload)" }
                input id="alt" name="alt" maxlength=(MAX_ALT_CHARS);
            }
            button type="submit" { "Upload" }
        }
        @if lib.items.is_empty() {
            p { "No files yet." }
        } @else {
            ul class="media-grid" {
                @for item in lib.items { (tile(chrome, item)) }
            }
        }
    };
    admin_layout(chrome, "Media", notice, body)
}

/// The question asked before a file is deleted; `used_by` names the posts
/// and pages whose Markdown uses it.
pub fn media_delete_page(chrome: &AdminChrome, item: &MediaItem, used_by: &[String]) -> Markup {
    let body = html! {
        p { "“" strong { (item.filename) } "” will be deleted from the library and from R2. This cannot be undone." }
        @if !used_by.is_empty() {
            p role="alert" { "It is still used by:" }
            ul class="media-used-by" { @for title in used_by { li { (title) } } }
            p { "Those posts and pages will show a broken image until you edit them." }
        }
        form method="post" action={ "/admin/media/" (item.id) "/delete" } {
            (csrf_input(&chrome.csrf_token))
            input type="hidden" name="confirm" value="yes";
            @if !used_by.is_empty() { input type="hidden" name="force" value="true"; }
            button type="submit" class="danger" {
                @if used_by.is_empty() { "Delete file" } @else { "Delete it anyway" }
            }
        }
        p { a href={ "/admin/media#" (anchor(item)) } { "Cancel: keep the file" } }
    };
    admin_layout(chrome, "Delete this file?", None, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::policy::media_quota;
    use crate::media::kind::MediaKind;
    use crate::views::admin::test_util::{assert_csrf_in_every_form, chrome};

    fn item(alt: &str) -> MediaItem {
        MediaItem {
            id: "0123456789abcdef0123456789abcdef".into(),
            kind: MediaKind::Png,
            bytes: 204_800,
            width: Some(640),
            height: Some(480),
            alt: alt.into(),
            filename: "<kite>.png".into(),
            created_at: 0,
        }
    }

    #[test]
    fn the_library_shows_usage_thumbnails_and_markdown() {
        let items = [item("A red kite"), item("")];
        let lib = Library {
            items: &items,
            usage: Usage {
                bytes: 12_000_000,
                files: 2,
            },
            quota: media_quota(Plan::Free),
            plan: Plan::Free,
        };
        let html = library_page(&chrome(), &lib, None).into_string();
        assert!(html.contains("12 MB of 100 MB used (12 %)"), "{html}");
        assert!(html.contains("enctype=\"multipart/form-data\""));
        assert!(html.contains("loading=\"lazy\" width=\"640\" height=\"480\""));
        assert!(html.contains("![A red kite](/media/0123456789abcdef0123456789abcdef.png)"));
        assert!(html.contains("Write its alt text"));
        assert!(html.contains("&lt;kite&gt;.png") && !html.contains("<kite>"));
        assert_csrf_in_every_form(&html, "tok-123");
    }

    #[test]
    fn deleting_a_used_file_names_its_users() {
        let html =
            media_delete_page(&chrome(), &item("x"), &["Spring <notes>".into()]).into_string();
        assert!(html.contains("Spring &lt;notes&gt;") && html.contains("Delete it anyway"));
        assert!(html.contains("name=\"force\""));
        let html = media_delete_page(&chrome(), &item("x"), &[]).into_string();
        assert!(!html.contains("name=\"force\"") && html.contains("Delete file"));
    }
}
