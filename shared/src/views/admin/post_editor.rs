//! `/admin/posts/new` and `/admin/posts/{id}`: the post editor.

use maud::{html, Markup, PreEscaped};

use super::editor::Editor;
use super::layout::admin_layout;
use super::{AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;
use crate::admin::forms::PostForm;
use crate::model::{Post, PostStatus};

/// Every id the post editor's page has around its preview (fields, their
/// hints and errors, the layout's landmarks): a preview must not reuse one.
pub const EDITOR_IDS: &[&str] = &[
    "admin-content",
    "conflict-heading",
    "title",
    "title-hint",
    "title-error",
    "slug",
    "slug-hint",
    "slug-error",
    "tags",
    "tags-hint",
    "tags-error",
    "markdown",
    "markdown-hint",
    "markdown-error",
    "publish_at",
    "publish_at-hint",
    "publish_at-error",
];

/// The fields this form shows errors next to.
const FIELDS: [&str; 5] = ["title", "slug", "tags", "markdown", "publish_at"];

/// The post editor. `form` is what the user typed (or the stored post);
/// `error` a refused save; `preview_html` the sanitised rendering asked for
/// with "Preview"; `conflict` the stored post when a save lost a race.
pub fn post_editor(
    chrome: &AdminChrome,
    form: &PostForm,
    error: Option<&WriteError>,
    preview_html: Option<&str>,
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
    let publish_field = Field::new("publish_at", "Publish at (UTC)")
        .hint("for scheduling")
        .write_error(error);

    let body = html! {
        (editor.notices(error, &FIELDS, conflict.map(|c| (c.version, c.title.as_str(), c.markdown.as_str()))))
        @if let Some(preview) = preview_html {
            section class="preview" aria-label="Preview" {
                h2 { "Preview" }
                div class="prose" { (PreEscaped(preview)) }
            }
        }
        form method="post" action=(editor.action()) class="editor" {
            (editor.opening_fields(&chrome.csrf_token, error, &form.title, &form.slug, None))
            (tags_field.input("text", Some(&form.tags), &InputAttrs {
                autocomplete: Some("off"),
                ..InputAttrs::default()
            }))
            (markdown_field.textarea(&form.markdown, 20, Some("mono")))
            (publish_field.input("datetime-local", Some(&form.publish_at), &InputAttrs::default()))
            div class="actions" {
                // First, so that Enter in a text field previews rather than
                // (un)publishes.
                button type="submit" name="action" value="preview" { "Preview" }
                button type="submit" name="action" value="draft" {
                    @if published { "Unpublish" } @else { "Save draft" }
                }
                button type="submit" name="action" value="publish" class="primary" {
                    @if published { "Update" } @else { "Publish" }
                }
                button type="submit" name="action" value="schedule" { "Schedule" }
            }
        }
        (editor.delete(&chrome.csrf_token))
    };
    admin_layout(chrome, &title, notice, body)
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
            version: Some(3),
            status: Some(status),
        }
    }

    fn render(form: &PostForm, error: Option<&WriteError>) -> String {
        post_editor(&chrome(), form, error, None, None, None).into_string()
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
        assert!(html.contains("<form method=\"post\" action=\"/admin/posts\" class=\"editor\">"));
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
        assert!(html.contains("<label for=\"publish_at\">Publish at (UTC)</label>"));
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
            "<div class=\"error-banner\" role=\"alert\"><p>Please correct the fields marked below.</p></div>"
        ));
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
            "<div class=\"error-banner\" role=\"alert\"><p>The body is larger than 1 MiB.</p></div>"
        ));
        assert!(!html.contains("aria-invalid=\"true\""));
        assert!(!html.contains("marked below"));
    }

    #[test]
    fn preview_renders_the_sanitised_html() {
        let html = post_editor(
            &chrome(),
            &existing(PostStatus::Draft),
            None,
            Some("<h2>Sub</h2><p><em>hi</em></p>"),
            None,
            None,
        )
        .into_string();
        assert!(html.contains(
            "<section class=\"preview\" aria-label=\"Preview\"><h2>Preview</h2><div class=\"prose\"><h2>Sub</h2><p><em>hi</em></p></div></section>"
        ));
        assert!(!render(&existing(PostStatus::Draft), None).contains("class=\"preview\""));
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
        let error = WriteError::Conflict("Someone else saved this post.".into());
        let html =
            post_editor(&chrome(), &form, Some(&error), None, Some(&current), None).into_string();
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
        assert!(html.contains("Someone else saved this post."), "banner");
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
