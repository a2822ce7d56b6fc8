//! Pieces every form shares: a labelled field's ids, hint and error, the
//! hidden CSRF input and the error banner.

use maud::{html, Markup};

use crate::admin::errors::WriteError;

/// A form control's label, hint and error, and the ids that tie them
/// together. The control's `id` and `name` are both `name`; the hint is
/// `{name}-hint` and the error `{name}-error`.
pub(crate) struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub error: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str) -> Self {
        Field {
            name,
            label,
            hint: None,
            error: None,
        }
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn error(mut self, error: Option<&'a str>) -> Self {
        self.error = error;
        self
    }

    /// The field's error from a refused write, if it names this field.
    pub fn write_error(self, error: Option<&'a WriteError>) -> Self {
        let name = self.name;
        self.error(error.and_then(|e| e.field_message(name)))
    }

    /// `aria-invalid` value.
    pub fn invalid(&self) -> Option<&'static str> {
        self.error.map(|_| "true")
    }

    /// `aria-describedby` value: the error first, then the hint.
    pub fn described_by(&self) -> Option<String> {
        let ids: Vec<String> = [
            self.error.map(|_| format!("{}-error", self.name)),
            self.hint.map(|_| format!("{}-hint", self.name)),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    pub fn label(&self) -> Markup {
        html! { label for=(self.name) { (self.label) } }
    }

    pub fn hint_text(&self) -> Markup {
        html! {
            @if let Some(hint) = self.hint {
                p class="hint" id={ (self.name) "-hint" } { (hint) }
            }
        }
    }

    /// The error message; goes right after the control.
    pub fn error_text(&self) -> Markup {
        html! {
            @if let Some(message) = self.error {
                p class="field-error" id={ (self.name) "-error" } { (message) }
            }
        }
    }

    /// A complete `<input>` field of `kind` (text, email, password...).
    /// `attrs` adds the attributes that vary (required, placeholder...).
    pub fn input(&self, kind: &str, value: Option<&str>, attrs: &InputAttrs<'_>) -> Markup {
        html! {
            div class="field" {
                (self.label())
                (self.hint_text())
                input type=(kind) id=(self.name) name=(self.name) value=[value]
                    required[attrs.required]
                    placeholder=[attrs.placeholder]
                    autocomplete=[attrs.autocomplete]
                    min=[attrs.min] max=[attrs.max] minlength=[attrs.minlength]
                    maxlength=[attrs.maxlength]
                    spellcheck=[attrs.spellcheck]
                    aria-invalid=[self.invalid()]
                    aria-describedby=[self.described_by()];
                (self.error_text())
            }
        }
    }
}

impl Field<'_> {
    /// A complete `<textarea>` field. A newline follows the opening tag so a
    /// value that starts with a newline keeps it (parsers drop the first).
    pub fn textarea(&self, value: &str, rows: u32, class: Option<&str>) -> Markup {
        html! {
            div class="field" {
                (self.label())
                (self.hint_text())
                textarea id=(self.name) name=(self.name) rows=(rows) class=[class]
                    aria-invalid=[self.invalid()]
                    aria-describedby=[self.described_by()] { "\n" (value) }
                (self.error_text())
            }
        }
    }
}

/// The attributes of an `<input>` that vary between fields.
#[derive(Default)]
pub(crate) struct InputAttrs<'a> {
    pub required: bool,
    pub placeholder: Option<&'a str>,
    pub autocomplete: Option<&'a str>,
    pub min: Option<&'a str>,
    pub max: Option<&'a str>,
    pub minlength: Option<usize>,
    pub maxlength: Option<usize>,
    pub spellcheck: Option<&'a str>,
}

/// The hidden `csrf` field every POST form carries.
pub(crate) fn csrf_input(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The banner's message when a save lost a race: it says what the
/// conflict section below says (nothing saved, save again to replace).
pub fn conflict_message(kind: &str) -> String {
    format!(
        "Not saved: someone else saved this {kind} while you were editing. Compare their version below with yours, then save again to replace theirs."
    )
}

/// What the editors show when the item was saved by someone else meanwhile:
/// the stored version's number, title and text. `kind` is "post" or "page".
pub(crate) fn conflict_section(kind: &str, version: i64, title: &str, markdown: &str) -> Markup {
    html! {
        section class="conflict" aria-labelledby="conflict-heading" {
            h2 id="conflict-heading" { "This " (kind) " was changed elsewhere" }
            p {
                "Someone saved this " (kind) " while you were editing (now version " (version)
                "). Your text is kept in the form below; saving again replaces theirs."
            }
            p { "Their title: " strong { (title) } }
            p { "Their text:" }
            pre { "\n" (markdown) }
        }
    }
}

/// The separate form that deletes a saved item. Without `confirmed` it
/// asks first (the confirmation page); with it, it deletes.
pub(crate) fn delete_form(
    action: &str,
    csrf: &str,
    version: Option<i64>,
    label: &str,
    confirmed: bool,
) -> Markup {
    html! {
        form method="post" action=(action) class="delete" {
            (csrf_input(csrf))
            @if let Some(v) = version { input type="hidden" name="version" value=(v); }
            @if confirmed { input type="hidden" name="confirm" value="yes"; }
            button type="submit" class="danger" { (label) }
        }
    }
}

/// The error summary at the top of a refused form: a link to each field
/// in error (its message is also next to the field), then errors that are
/// not about one of `fields` (conflicts, size, storage, unknown fields).
/// It takes focus when the page loads (`autofocus`, and the admin script
/// for browsers that only autofocus form controls), so a screen reader
/// reads it and Tab goes on from it to the links.
pub(crate) fn error_banner(error: Option<&WriteError>, fields: &[&str]) -> Markup {
    let Some(error) = error else {
        return html! {};
    };
    let (linked, messages): (Vec<(&str, &str)>, Vec<String>) = match error {
        WriteError::Invalid(errors) => {
            let linked: Vec<(&str, &str)> = errors
                .iter()
                .filter(|e| fields.contains(&e.field))
                .map(|e| (e.field, e.message.as_str()))
                .collect();
            let stray: Vec<String> = errors
                .iter()
                .filter(|e| !fields.contains(&e.field))
                .map(|e| e.message.clone())
                .collect();
            if linked.is_empty() && stray.is_empty() {
                (linked, vec![error.to_api().message])
            } else {
                (linked, stray)
            }
        }
        other => (vec![], vec![other.to_api().message]),
    };
    html! {
        div class="error-banner" id="error-summary" role="alert" tabindex="-1" autofocus data-focus {
            @if !linked.is_empty() {
                p { "Please correct the fields marked below:" }
                ul {
                    @for (field, message) in &linked {
                        li { a href={ "#" (field) } { (message) } }
                    }
                }
            }
            @for message in &messages { p { (message) } }
        }
    }
}

/// A short Markdown reference under the editor's text field, closed until
/// asked for.
pub(crate) fn markdown_help() -> Markup {
    const ROWS: [(&str, &str); 9] = [
        ("## A heading", "a section heading (### for a smaller one)"),
        ("*italic*  **bold**", "emphasis"),
        ("[words](https://example.com)", "a link"),
        (
            "![what it shows](https://example.com/a.jpg)",
            "an image, described",
        ),
        ("- item", "a list (1. for a numbered one)"),
        ("> quoted", "a quotation"),
        (
            "`code`",
            "code in a sentence; a line of ``` before and after a block",
        ),
        ("| a | b |", "a table: a row of cells, then |---|---|"),
        ("a blank line", "starts a new paragraph"),
    ];
    html! {
        details class="md-help" {
            summary { "Markdown help" }
            dl {
                @for (typed, shows) in ROWS {
                    div {
                        dt { code { (typed) } }
                        dd { (shows) }
                    }
                }
            }
        }
        p class="hint" {
            "Images: upload them in the "
            a href="/admin/media" target="_blank" { "media library" }
            " (opens in a new tab), which gives the Markdown to paste here."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::errors::FieldError;

    #[test]
    fn described_by_names_the_error_then_the_hint() {
        let f = Field::new("tags", "Tags").hint("comma-separated");
        assert_eq!(f.described_by().as_deref(), Some("tags-hint"));
        assert_eq!(f.invalid(), None);
        let f = f.error(Some("Too many."));
        assert_eq!(f.described_by().as_deref(), Some("tags-error tags-hint"));
        assert_eq!(f.invalid(), Some("true"));
        assert_eq!(Field::new("title", "Title").described_by(), None);
    }

    #[test]
    fn banner_shows_non_field_errors_and_points_at_marked_fields() {
        assert_eq!(error_banner(None, &["title"]).into_string(), "");
        let conflict = WriteError::Conflict("That slug is taken.".into());
        let html = error_banner(Some(&conflict), &["title"]).into_string();
        assert!(html.contains("role=\"alert\"") && html.contains("That slug is taken."));
        assert!(
            html.contains("tabindex=\"-1\" autofocus"),
            "takes focus: {html}"
        );

        let invalid = WriteError::Invalid(vec![
            FieldError::new("title", "Give it a title."),
            FieldError::new("colour", "Odd field."),
        ]);
        let html = error_banner(Some(&invalid), &["title"]).into_string();
        assert!(html.contains("Please correct the fields marked below:"));
        assert!(
            html.contains("Odd field."),
            "unknown fields go to the banner"
        );
        assert!(
            html.contains("<li><a href=\"#title\">Give it a title.</a></li>"),
            "each field error links to its field: {html}"
        );

        let only_stray = WriteError::Invalid(vec![FieldError::new("colour", "Odd field.")]);
        let html = error_banner(Some(&only_stray), &["title"]).into_string();
        assert!(!html.contains("marked below") && html.contains("Odd field."));

        let store = WriteError::Store("D1_ERROR secret".into());
        let html = error_banner(Some(&store), &[]).into_string();
        assert!(!html.contains("D1_ERROR") && html.contains("Nothing was changed"));
    }

    #[test]
    fn markdown_help_is_closed_and_escaped() {
        let html = markdown_help().into_string();
        assert!(html.starts_with("<details class=\"md-help\"><summary>Markdown help</summary>"));
        assert!(!html.contains("<details class=\"md-help\" open"));
        assert!(html.contains("<code>[words](https://example.com)</code>"));
        assert!(html.contains("<code>&gt; quoted</code>"));
    }
}
