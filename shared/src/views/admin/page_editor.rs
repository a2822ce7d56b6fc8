//! `/admin/pages/new` and `/admin/pages/{id}`: the page editor.

use maud::{html, Markup};

use super::editor::Editor;
use super::fields::markdown_help;
use super::layout::admin_layout;
use super::{AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;
use crate::admin::forms::PageForm;
use crate::model::Page;

/// The fields this form shows errors next to.
const FIELDS: [&str; 5] = ["title", "slug", "markdown", "show_in_nav", "nav_order"];

/// The page editor. `form` is what the user typed (or the stored page);
/// `conflict` the stored page when a save lost a race.
pub fn page_editor(
    chrome: &AdminChrome,
    form: &PageForm,
    error: Option<&WriteError>,
    conflict: Option<&Page>,
    notice: Option<&str>,
) -> Markup {
    let editor = Editor::new(
        "page",
        form.id.as_deref(),
        form.version,
        conflict.map(|c| c.version),
    );
    let title = editor.title(&form.title);
    let markdown_field = Field::new("markdown", "Text (Markdown)").write_error(error);
    let nav_field = Field::new("show_in_nav", "Show in the site's navigation").write_error(error);
    let order_field = Field::new("nav_order", "Order in the navigation")
        .hint("0 to 1000; lower comes first")
        .write_error(error);

    let body = html! {
        (editor.notices(error, &FIELDS, conflict.map(|c| (c.version, c.title.as_str(), c.markdown.as_str()))))
        form method="post" action=(editor.action()) class="editor" data-warn-unsaved
            data-unsaved=[error.map(|_| "true")] {
            (editor.opening_fields(&chrome.csrf_token, error, &form.title, &form.slug, Some("the page's address: /slug")))
            (markdown_field.textarea(&form.markdown, 20, Some("mono")))
            (markdown_help())
            div class="field" {
                div class="check" {
                    input type="checkbox" id="show_in_nav" name="show_in_nav" value="on"
                        checked[form.show_in_nav]
                        aria-invalid=[nav_field.invalid()]
                        aria-describedby=[nav_field.described_by()];
                    (nav_field.label())
                }
                (nav_field.error_text())
            }
            (order_field.input("number", Some(&form.nav_order), &InputAttrs {
                min: Some("0"),
                max: Some("1000"),
                ..InputAttrs::default()
            }))
            div class="actions" {
                button type="submit" class="primary" { "Save page" }
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

    fn existing() -> PageForm {
        PageForm {
            id: Some("pg1".into()),
            title: "About".into(),
            slug: "about".into(),
            markdown: "Who I am.".into(),
            show_in_nav: true,
            nav_order: "2".into(),
            version: Some(4),
        }
    }

    fn render(form: &PageForm, error: Option<&WriteError>) -> String {
        page_editor(&chrome(), form, error, None, None).into_string()
    }

    #[test]
    fn new_page_posts_to_the_collection_without_delete() {
        let html = render(&PageForm::default(), None);
        assert_admin_head(&html, "New page");
        assert!(html.contains(
            "<form method=\"post\" action=\"/admin/pages\" class=\"editor\" data-warn-unsaved>"
        ));
        assert!(!html.contains("/delete") && !html.contains("name=\"version\""));
        assert!(html.contains(
            "<input type=\"checkbox\" id=\"show_in_nav\" name=\"show_in_nav\" value=\"on\">"
        ));
        assert!(html.contains("<label for=\"show_in_nav\">"));
        assert!(html.contains(
            "type=\"number\" id=\"nav_order\" name=\"nav_order\" value=\"\" min=\"0\" max=\"1000\""
        ));
        assert!(html.contains("<button type=\"submit\" class=\"primary\">Save page</button>"));
        assert!(
            !html.contains("name=\"action\""),
            "no post actions on pages"
        );
        assert!(!html.contains("name=\"tags\"") && !html.contains("publish_at"));
        assert_csrf_in_every_form(&html, "tok-123");
    }

    #[test]
    fn existing_page_keeps_values_and_can_be_deleted() {
        let form = PageForm {
            title: "About <me>".into(),
            ..existing()
        };
        let html = render(&form, None);
        assert!(html.contains("<h1>Edit: About &lt;me&gt;</h1>"));
        assert!(html.contains("action=\"/admin/pages/pg1\""));
        assert!(html.contains("value=\"About &lt;me&gt;\""));
        assert!(html.contains("name=\"show_in_nav\" value=\"on\" checked>"));
        assert!(html.contains("name=\"nav_order\" value=\"2\""));
        assert!(html.contains(">\nWho I am.</textarea>"));
        assert!(html.contains("<form method=\"post\" action=\"/admin/pages/pg1/delete\""));
        assert!(html.contains(">Delete page</button>"));
        assert_eq!(
            count(
                &html,
                "<input type=\"hidden\" name=\"version\" value=\"4\">"
            ),
            2
        );
        assert_csrf_in_every_form(&html, "tok-123");
    }

    #[test]
    fn errors_next_to_fields_and_in_the_banner() {
        let form = PageForm {
            nav_order: "two".into(),
            ..existing()
        };
        let error = WriteError::Invalid(vec![
            FieldError::new("nav_order", "The order is a number from 0 to 1000."),
            FieldError::new("slug", "That address is taken."),
        ]);
        let html = render(&form, Some(&error));
        assert!(html.contains("Please correct the fields marked below:"));
        assert!(html.contains("value=\"two\""), "the typed value is kept");
        assert!(html.contains(
            "aria-invalid=\"true\" aria-describedby=\"nav_order-error nav_order-hint\"><p class=\"field-error\" id=\"nav_order-error\">The order is a number from 0 to 1000.</p>"
        ));
        assert!(
            html.contains("<p class=\"field-error\" id=\"slug-error\">That address is taken.</p>")
        );
        assert_eq!(count(&html, "aria-invalid=\"true\""), 2);

        let store = WriteError::Store("boom".into());
        let html = render(&form, Some(&store));
        assert!(html.contains("class=\"error-banner\" id=\"error-summary\" role=\"alert\""));
        assert!(!html.contains("boom") && !html.contains("aria-invalid=\"true\""));
    }

    #[test]
    fn conflict_shows_the_stored_page() {
        let current = Page {
            id: "pg1".into(),
            slug: "about".into(),
            title: "About us".into(),
            markdown: "Their words.".into(),
            show_in_nav: true,
            nav_order: 1,
            updated_at: 1,
            version: 7,
        };
        let html = page_editor(&chrome(), &existing(), None, Some(&current), None).into_string();
        assert!(html.contains("Someone saved this page while you were editing (now version 7)."));
        assert!(html.contains("About us") && html.contains("<pre>\nTheir words.</pre>"));
        assert!(html.contains(">\nWho I am.</textarea>"));
    }
}
