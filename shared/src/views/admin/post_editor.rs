//! `/admin/posts/new` and `/admin/posts/{id}`: the post editor.

use maud::{html, Markup};

use super::editor::Editor;
use super::fields::markdown_help;
use super::layout::admin_layout_with;
use super::{AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;
use crate::admin::forms::PostForm;
use crate::model::{Post, PostStatus};

/// The fields this form shows errors next to.
const FIELDS: [&str; 5] = ["title", "slug", "tags", "markdown", "publish_at"];

/// Where the Preview button posts the form (see `admin_http::preview`):
/// `/admin/preview` for a new post, `/admin/posts/{id}/preview` for a
/// saved one (whose publish time the preview keeps).
fn preview_path(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("/admin/posts/{id}/preview"),
        None => "/admin/preview".to_string(),
    }
}

/// The post's public address, for the "View post" link.
fn public_url(chrome: &AdminChrome, slug: &str) -> String {
    format!("{}/blog/{slug}", chrome.site_url.trim_end_matches('/'))
}

/// The post editor. `form` is what the user typed (or the stored post);
/// `error` a refused save; `conflict` the stored post when a save lost a
/// race; `notice` what the last save did (a published post's notice links
/// to it on the blog).
pub fn post_editor(
    chrome: &AdminChrome,
    form: &PostForm,
    error: Option<&WriteError>,
    conflict: Option<&Post>,
    notice: Option<&str>,
) -> Markup {
    let editor = Editor::new(
        "post",
        form.id.as_deref(),
        form.version,
        conflict.map(|c| c.version),
    );
    let title = editor.title(&form.title);
    let published = form.status == Some(PostStatus::Published);
    let tags_field = Field::new("tags", "Tags")
        .hint("comma-separated")
        .write_error(error);
    let markdown_field = Field::new("markdown", "Text (Markdown)").write_error(error);
    let zone = if form.time_zone.trim().is_empty() {
        "UTC"
    } else {
        form.time_zone.trim()
    };
    let publish_field = Field::new("publish_at", "Publish at")
        .hint("for scheduling, in the blog's time zone (set it in Settings)")
        .write_error(error);
    let notice = notice.map(|n| {
        html! {
            (n)
            @if published && form.id.is_some() {
                " " a href=(public_url(chrome, &form.slug)) { "View post" }
            }
        }
    });

    let body = html! {
        (editor.notices(error, &FIELDS, conflict.map(|c| (c.version, c.title.as_str(), c.markdown.as_str()))))
        // `data-unsaved`: a refused save shows text that is not stored yet.
        form method="post" action=(editor.action()) class="editor" data-warn-unsaved
            data-unsaved=[error.map(|_| "true")] {
            (editor.opening_fields(&chrome.csrf_token, error, &form.title, &form.slug, None))
            @if !form.old_slugs.is_empty() {
                p class="hint" id="old-addresses" {
                    @if form.old_slugs.len() == 1 { "The old address " } @else { "The old addresses " }
                    @for (i, slug) in form.old_slugs.iter().enumerate() {
                        @if i > 0 { ", " }
                        code { "/blog/" (slug) }
                    }
                    @if form.old_slugs.len() == 1 { " now redirects here." } @else { " now redirect here." }
                }
            }
            (tags_field.input("text", Some(&form.tags), &InputAttrs {
                autocomplete: Some("off"),
                ..InputAttrs::default()
            }))
            (markdown_field.textarea(&form.markdown, 20, Some("mono")))
            (markdown_help())
            // The zone the time is typed in travels with the form; where the
            // blog has none, the script may switch it to the browser's.
            input type="hidden" name="time_zone" value=(form.time_zone.trim())
                data-from-browser[form.zone_unset];
            div class="field" {
                label for="publish_at" {
                    (publish_field.label) " (" span id="publish_at-zone" { (zone) } ")"
                }
                (publish_field.hint_text())
                input type="datetime-local" id="publish_at" name="publish_at" value=(form.publish_at)
                    aria-invalid=[publish_field.invalid()]
                    aria-describedby=[publish_field.described_by()];
                (publish_field.error_text())
            }
            div class="actions" {
                // First, so that Enter in a text field previews rather than
                // (un)publishes. It opens the themed preview in a new tab,
                // so this form (and its text) stays as it is.
                button type="submit" name="action" value="preview"
                    formaction=(preview_path(form.id.as_deref())) formtarget="_blank"
                    aria-describedby="preview-hint" { "Preview" }
                button type="submit" name="action" value="draft" {
                    @if published { "Unpublish" } @else { "Save draft" }
                }
                button type="submit" name="action" value="publish" class="primary" {
                    @if published { "Update" } @else { "Publish" }
                }
                button type="submit" name="action" value="schedule" { "Schedule" }
            }
            p class="hint" id="preview-hint" {
                "Preview opens in a new tab, as readers will see the post; nothing is saved."
            }
        }
        (editor.delete(&chrome.csrf_token))
    };
    admin_layout_with(chrome, &title, notice, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::errors::FieldError;
    use crate::views::admin::test_util::{
        assert_admin_head, assert_csrf_in_every_form, chrome, count,
    };

    fn existing(status: PostStatus) -> PostForm {
        PostForm {
            id: Some("p1".into()),
            title: "Hello".into(),
            slug: "hello".into(),
            markdown: "Body".into(),
            tags: "rust, web".into(),
            publish_at: "2026-10-05T12:00".into(),
            time_zone: String::new(),
            zone_unset: false,
            version: Some(3),
            status: Some(status),
            old_slugs: vec![],
        }
    }

    fn render(form: &PostForm, error: Option<&WriteError>) -> String {
        post_editor(&chrome(), form, error, None, None).into_string()
    }

    fn buttons(html: &str) -> Vec<String> {
        html.split("<button type=\"submit\" name=\"action\" value=\"")
            .skip(1)
            .map(|b| {
                let (value, rest) = b.split_once('"').unwrap();
                let label = rest.split_once('>').unwrap().1.split('<').next().unwrap();
                format!("{value}:{label}")
            })
            .collect()
    }

    #[test]
    fn new_post_form_posts_to_the_collection_without_delete() {
        let html = render(&PostForm::default(), None);
        assert_admin_head(&html, "New post");
        assert!(html.contains("<h1>New post</h1>"));
        assert!(html.contains(
            "<form method=\"post\" action=\"/admin/posts\" class=\"editor\" data-warn-unsaved>"
        ));
        assert!(!html.contains("/delete"), "nothing to delete yet");
        assert!(!html.contains("name=\"version\""));
        for name in FIELDS {
            assert!(html.contains(&format!("<label for=\"{name}\">")), "{name}");
            assert!(
                html.contains(&format!("id=\"{name}\" name=\"{name}\"")),
                "{name}"
            );
        }
        assert!(
            html.contains("<input type=\"text\" id=\"title\" name=\"title\" value=\"\" required")
        );
        assert!(html.contains("placeholder=\"made from the title\""));
        assert!(html.contains("<p class=\"hint\" id=\"tags-hint\">comma-separated</p>"));
        assert!(html.contains("type=\"datetime-local\" id=\"publish_at\""));
        assert!(html.contains(
            "<label for=\"publish_at\">Publish at (<span id=\"publish_at-zone\">UTC</span>)</label>"
        ));
        assert!(html.contains("<input type=\"hidden\" name=\"time_zone\" value=\"\">"));
        assert!(
            html.contains("<details class=\"md-help\"><summary>Markdown help</summary>"),
            "Markdown help under the text"
        );
        assert!(html.contains(
            "value=\"preview\" formaction=\"/admin/preview\" formtarget=\"_blank\" aria-describedby=\"preview-hint\">Preview</button>"
        ));
        assert!(html.contains("id=\"preview-hint\">Preview opens in a new tab"));
        assert!(html.contains("rows=\"20\" class=\"mono\""));
        assert!(!html.contains("class=\"error-banner\""));
        assert_csrf_in_every_form(&html, "tok-123");
        assert_eq!(
            buttons(&html),
            [
                "preview:Preview",
                "draft:Save draft",
                "publish:Publish",
                "schedule:Schedule"
            ]
        );
    }

    #[test]
    fn published_post_offers_update_and_unpublish_and_delete() {
        let html = render(&existing(PostStatus::Published), None);
        assert!(html.contains("<h1>Edit: Hello</h1>"));
        assert!(html.contains("action=\"/admin/posts/p1\""));
        assert_eq!(
            buttons(&html),
            [
                "preview:Preview",
                "draft:Unpublish",
                "publish:Update",
                "schedule:Schedule"
            ]
        );
        assert!(html.contains("<form method=\"post\" action=\"/admin/posts/p1/delete\""));
        assert!(html.contains(">Delete post</button>"));
        assert_eq!(
            count(
                &html,
                "<input type=\"hidden\" name=\"version\" value=\"3\">"
            ),
            2,
            "edit and delete forms both carry the version"
        );
        assert_csrf_in_every_form(&html, "tok-123");

        let draft = render(&existing(PostStatus::Draft), None);
        assert_eq!(
            buttons(&draft),
            [
                "preview:Preview",
                "draft:Save draft",
                "publish:Publish",
                "schedule:Schedule"
            ]
        );
    }

    #[test]
    fn typed_values_are_kept_and_escaped() {
        let form = PostForm {
            title: "<script>alert(1)</script> & \"q\"".into(),
            slug: "my-slug\"><b".into(),
            tags: "a, <b>".into(),
            markdown: "\nline </textarea><script>x</script>".into(),
            publish_at: "2026-12-01T09:30".into(),
            ..existing(PostStatus::Draft)
        };
        let html = render(&form, None);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("</textarea><script>"));
        assert!(
            html.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;\"")
        );
        assert!(html.contains("<h1>Edit: &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("value=\"my-slug&quot;&gt;&lt;b\""));
        assert!(html.contains("value=\"a, &lt;b&gt;\""));
        assert!(html.contains("value=\"2026-12-01T09:30\""));
        assert!(
            html.contains(">\n\nline &lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"),
            "a leading newline survives the parser: {html}"
        );
    }

    #[test]
    fn field_errors_sit_next_to_their_fields() {
        let error = WriteError::Invalid(vec![
            FieldError::new("title", "Give it a title."),
            FieldError::new("publish_at", "A scheduled time must be in the future."),
        ]);
        let html = render(&existing(PostStatus::Draft), Some(&error));
        assert!(html.contains(
            "<div class=\"error-banner\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus data-focus><p>Please correct the fields marked below:</p><ul><li><a href=\"#title\">Give it a title.</a></li><li><a href=\"#publish_at\">A scheduled time must be in the future.</a></li></ul></div>"
        ), "a summary that links to each field and takes focus");
        assert!(
            html.contains("data-warn-unsaved data-unsaved=\"true\">"),
            "the typed text is not saved yet"
        );
        let title_input = html
            .split("<input type=\"text\" id=\"title\"")
            .nth(1)
            .unwrap();
        let (tag, after) = title_input.split_once('>').unwrap();
        assert!(tag.contains("aria-invalid=\"true\" aria-describedby=\"title-error\""));
        assert!(
            after.starts_with("<p class=\"field-error\" id=\"title-error\">Give it a title.</p>")
        );
        assert!(html.contains("aria-describedby=\"publish_at-error publish_at-hint\""));
        assert!(html.contains(
            "<p class=\"field-error\" id=\"publish_at-error\">A scheduled time must be in the future.</p>"
        ));
        assert_eq!(
            count(&html, "aria-invalid=\"true\""),
            2,
            "only the invalid fields"
        );
        assert_eq!(count(&html, "class=\"field-error\""), 2);
    }

    #[test]
    fn other_errors_go_to_the_banner() {
        let too_large = WriteError::TooLarge("The body is larger than 1 MiB.".into());
        let html = render(&existing(PostStatus::Draft), Some(&too_large));
        assert!(html.contains(
            "role=\"alert\" tabindex=\"-1\" autofocus data-focus><p>The body is larger than 1 MiB.</p></div>"
        ));
        assert!(!html.contains("aria-invalid=\"true\""));
        assert!(!html.contains("marked below"));
    }

    #[test]
    fn preview_opens_the_saved_posts_preview_in_a_new_tab() {
        let html = render(&existing(PostStatus::Draft), None);
        assert!(html.contains("formaction=\"/admin/posts/p1/preview\" formtarget=\"_blank\""));
        assert!(!html.contains("class=\"preview\""), "no inline preview");
    }

    #[test]
    fn a_published_posts_notice_links_to_it_and_the_zone_is_the_forms() {
        let html = post_editor(
            &chrome(),
            &existing(PostStatus::Published),
            None,
            None,
            Some("Updated."),
        )
        .into_string();
        assert!(html.contains(
            "<p class=\"notice\" role=\"status\">Updated. <a href=\"http://autumn.grove.localhost:8787/blog/hello\">View post</a></p>"
        ));
        let draft = post_editor(
            &chrome(),
            &existing(PostStatus::Draft),
            None,
            None,
            Some("Saved as a draft."),
        )
        .into_string();
        assert!(draft.contains("<p class=\"notice\" role=\"status\">Saved as a draft.</p>"));
        assert!(!draft.contains("View post"));

        let unset = PostForm {
            zone_unset: true,
            ..existing(PostStatus::Draft)
        };
        let html = render(&unset, None);
        assert!(html
            .contains("<input type=\"hidden\" name=\"time_zone\" value=\"\" data-from-browser>"));
        let berlin = PostForm {
            time_zone: "Europe/Berlin".into(),
            ..existing(PostStatus::Scheduled)
        };
        let html = render(&berlin, None);
        assert!(html.contains("<span id=\"publish_at-zone\">Europe/Berlin</span>"));
        assert!(html.contains("name=\"time_zone\" value=\"Europe/Berlin\">"));
    }

    #[test]
    fn conflict_shows_the_stored_version_and_keeps_the_typed_text() {
        let current = Post {
            id: "p1".into(),
            slug: "hello".into(),
            title: "Their <title>".into(),
            markdown: "Their *text*".into(),
            status: PostStatus::Draft,
            tags: vec![],
            published_at: None,
            updated_at: 9,
            version: 5,
        };
        let form = PostForm {
            markdown: "My text".into(),
            ..existing(PostStatus::Draft)
        };
        let error = WriteError::Conflict(crate::views::admin::conflict_message("post"));
        let html = post_editor(&chrome(), &form, Some(&error), Some(&current), None).into_string();
        assert!(html.contains("<section class=\"conflict\""));
        assert!(html.contains(
            "Someone saved this post while you were editing (now version 5). Your text is kept in the form below; saving again replaces theirs."
        ));
        assert!(html.contains("Their &lt;title&gt;"));
        assert!(html.contains("<pre>\nTheir *text*</pre>"));
        assert!(
            html.contains(">\nMy text</textarea>"),
            "the typed text is kept"
        );
        // The banner and the section say the same: nothing saved, their
        // version is shown, saving again replaces it.
        assert!(html.contains(
            "<p>Not saved: someone else saved this post while you were editing. Compare their version below with yours, then save again to replace theirs.</p>"
        ), "banner");
        assert!(
            !html.contains("Reload"),
            "no advice that contradicts the section"
        );
        assert_eq!(
            count(
                &html,
                "<input type=\"hidden\" name=\"version\" value=\"5\">"
            ),
            2,
            "saving again is based on the stored version"
        );
        assert_csrf_in_every_form(&html, "tok-123");
    }
}
