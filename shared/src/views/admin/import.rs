//! `/admin/import`: bringing posts and pages in. The upload form, the
//! dry-run preview (counts, what happens to each item and why, what was
//! left out), with the form that applies it, and the result.
//!
//! The preview's form carries the file as read (JSON, in a hidden field)
//! back to the same path, so applying needs no second upload and no
//! server-side copy of the file; the actor checks it all again before
//! writing (it is the owner's own content, under their CSRF token).

use maud::{html, Markup};

use super::csrf_input;
use super::layout::admin_layout;
use super::AdminChrome;
use crate::import::plan::{Action, OnConflict, Report};
use crate::import::{FileError, Kind, MAX_FILE_BYTES};

/// The import page, where the form posts.
pub const IMPORT_PATH: &str = "/admin/import";

fn conflict_choice(on_conflict: OnConflict) -> Markup {
    html! {
        fieldset class="field" {
            legend { "When the blog already has a post or page with the same slug and other content" }
            div class="check" {
                input type="radio" id="on_conflict_skip" name="on_conflict" value="skip"
                    checked[on_conflict == OnConflict::Skip];
                label for="on_conflict_skip" { "Keep the blog's (skip the file's)" }
            }
            div class="check" {
                input type="radio" id="on_conflict_replace" name="on_conflict" value="replace"
                    checked[on_conflict == OnConflict::Replace];
                label for="on_conflict_replace" { "Replace it with the file's (the old text stays in its history)" }
            }
        }
    }
}

/// The upload form, with the file's refusal if there was one.
pub fn import_page(chrome: &AdminChrome, refused: Option<&FileError>) -> Markup {
    let hint = format!(
        "A Grove export (.zip), one Markdown file with front matter (.md), a WordPress export (.xml) or a Ghost export (.json); at most {} MB.",
        MAX_FILE_BYTES / (1024 * 1024)
    );
    let body = html! {
        p {
            "Bring posts and pages from another Grove blog, from WordPress (Tools → Export) or from Ghost "
            "(Settings → Advanced → Export content). You see what would happen first: nothing is imported "
            "until you confirm it."
        }
        @if let Some(refused) = refused {
            div class="error-summary" role="alert" tabindex="-1" {
                h2 { "This file cannot be imported" }
                ul { li { a href="#file" { (refused.message) } } }
            }
        }
        form method="post" action=(IMPORT_PATH) enctype="multipart/form-data" class="settings" {
            (csrf_input(&chrome.csrf_token))
            input type="hidden" name="mode" value="preview";
            div class="field" {
                label for="file" { "File to import" }
                p class="hint" id="file-hint" { (hint) }
                input id="file" type="file" name="file" required
                    accept=".zip,.md,.markdown,.xml,.json"
                    aria-invalid=[refused.map(|_| "true")]
                    aria-describedby=(if refused.is_some() { "file-error file-hint" } else { "file-hint" });
                @if let Some(refused) = refused {
                    p class="field-error" id="file-error" { (refused.message) }
                }
            }
            (conflict_choice(OnConflict::Skip))
            div class="actions" {
                button type="submit" { "Preview the import" }
            }
        }
        p {
            "Media files are not imported: upload them in the " a href="/admin/media" { "media library" }
            ". Posts keep their links to " code { "/media/…" } ", which work again once the same files are there. "
            "HTML from WordPress and Ghost is kept, with scripts and event handlers removed; the preview names every post that lost some."
        }
    };
    admin_layout(chrome, "Import", None, body)
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Create => "New",
        Action::Replace => "Replaces the blog's",
        Action::Unchanged => "Already there, the same",
        Action::Conflict => "Skipped: slug taken",
        Action::Invalid => "Skipped",
    }
}

fn report_tables(report: &Report) -> Markup {
    let c = &report.counts;
    html! {
        table class="import-counts" {
            caption { "In the file" }
            tbody {
                tr { th scope="row" { "Posts" } td { (c.posts) } }
                tr { th scope="row" { "Pages" } td { (c.pages) } }
                tr { th scope="row" { "New" } td { (c.create) } }
                tr { th scope="row" { "Replacing the blog's" } td { (c.replace) } }
                tr { th scope="row" { "Already on the blog" } td { (c.unchanged) } }
                tr { th scope="row" { "Conflicts by slug (kept as they are)" } td { (c.conflict) } }
                tr { th scope="row" { "Invalid" } td { (c.invalid) } }
                tr { th scope="row" { "Left out of the file" } td { (c.skipped) } }
            }
        }
        @if !report.notes.is_empty() {
            h2 { "Good to know" }
            ul class="import-notes" {
                @for note in &report.notes { li { (note) } }
            }
        }
        @if !report.items.is_empty() {
            h2 { "Posts and pages" }
            div class="table-wrap" {
                table class="import-items" {
                    thead {
                        tr {
                            th scope="col" { "Title" }
                            th scope="col" { "Kind" }
                            th scope="col" { "Slug" }
                            th scope="col" { "What happens" }
                            th scope="col" { "Why" }
                        }
                    }
                    tbody {
                        @for line in &report.items {
                            tr {
                                td class="title" {
                                    @if line.title.is_empty() { "(no title) " (line.source) } @else { (line.title) }
                                }
                                td data-label="Kind" { (match line.kind { Kind::Post => "Post", Kind::Page => "Page" }) }
                                td data-label="Slug" { code { (line.slug) } }
                                td data-label="What happens" { (action_label(line.action)) }
                                td data-label="Why" {
                                    @for note in &line.notes { p { (note) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !report.skipped.is_empty() {
            h2 { "Left out of the file" }
            ul class="import-skipped" {
                @for s in &report.skipped { li { strong { (s.source) } ": " (s.reason) } }
            }
        }
    }
}

/// The dry run's answer, with the form that applies it (`bundle`: the
/// file as read, JSON).
pub fn preview_page(
    chrome: &AdminChrome,
    report: &Report,
    bundle: &str,
    on_conflict: OnConflict,
) -> Markup {
    let to_write = report.counts.create + report.counts.replace;
    let can_apply = report.refusal.is_none() && to_write > 0;
    let body = html! {
        p { "From " (report.format.label()) ". Nothing has been imported yet." }
        @if report.refusal.is_some() {
            div class="error-summary" role="alert" tabindex="-1" {
                h2 { "Nothing can be imported" }
                p { (report.message) }
            }
        }
        (report_tables(report))
        @if can_apply {
            form method="post" action=(IMPORT_PATH) enctype="multipart/form-data" class="settings" {
                (csrf_input(&chrome.csrf_token))
                input type="hidden" name="mode" value="apply";
                input type="hidden" name="bundle" value=(bundle);
                input type="hidden" name="on_conflict" value=(match on_conflict { OnConflict::Skip => "skip", OnConflict::Replace => "replace" });
                div class="actions" {
                    button type="submit" {
                        "Import " (to_write) (if to_write == 1 { " item" } else { " items" })
                    }
                    a href=(IMPORT_PATH) { "Choose another file" }
                }
            }
        } @else {
            p { a href=(IMPORT_PATH) { "Choose another file" } }
        }
    };
    admin_layout(chrome, "Import: preview", Some(&report.message), body)
}

/// What an applied import did.
pub fn result_page(chrome: &AdminChrome, report: &Report) -> Markup {
    let body = html! {
        p {
            @if report.imported {
                "From " (report.format.label()) ". The new posts and pages are on your blog now, "
                "in the feeds and the search."
            } @else {
                "From " (report.format.label()) ". Nothing was written."
            }
        }
        (report_tables(report))
        p {
            a href="/admin" { "Go to your posts and pages" }
            " · "
            a href=(IMPORT_PATH) { "Import another file" }
        }
    };
    admin_layout(chrome, "Import: done", Some(&report.message), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::test_fixtures::content;
    use crate::import::plan::preview;
    use crate::import::{Bundle, Format, Item};
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    fn report() -> Report {
        let mut bundle = Bundle::new(Format::Wxr);
        let mut item = Item::new(Kind::Post, "item 1", "Hello <world>", "<p>Hi</p>");
        item.sanitised = true;
        bundle.push(item);
        bundle.push(Item::new(Kind::Post, "item 2", "", "No title"));
        bundle
            .notes
            .push("1 media attachment was not imported.".into());
        preview(&content(), &bundle, OnConflict::Skip, 1_000)
    }

    #[test]
    fn the_form_posts_a_file_with_its_token() {
        let html = import_page(&chrome(), None).into_string();
        assert_admin_head(&html, "Import · Autumn &lt;Notes&gt; · Grove");
        assert!(html.contains(r#"enctype="multipart/form-data""#));
        assert!(html.contains(r#"type="file" name="file" required"#));
        assert_csrf_in_every_form(&html, "tok-123");
        let refused = FileError::new("zip_bomb", "The zip is a bomb.");
        let html = import_page(&chrome(), Some(&refused)).into_string();
        assert!(html.contains(r#"<p class="field-error" id="file-error">The zip is a bomb.</p>"#));
        assert!(html.contains(r#"aria-invalid="true""#));
    }

    #[test]
    fn the_preview_lists_each_item_and_applies_the_same_file() {
        let r = report();
        let html =
            preview_page(&chrome(), &r, r#"{"format":"wxr"}"#, OnConflict::Replace).into_string();
        assert!(
            html.contains("Ready to import: 1 new item; 1 item skipped"),
            "{html}"
        );
        assert!(html.contains("Hello &lt;world&gt;"));
        assert!(html.contains("removed on import"));
        assert!(html.contains("Give it a title."));
        assert!(html.contains("1 media attachment was not imported."));
        assert!(html.contains(r#"name="bundle" value="{&quot;format&quot;:&quot;wxr&quot;}""#));
        assert!(html.contains(r#"name="on_conflict" value="replace""#));
        assert!(html.contains("Import 1 item"));
        assert_csrf_in_every_form(&html, "tok-123");
    }
}
