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

/// The separate form that deletes a saved item.
pub(crate) fn delete_form(action: &str, csrf: &str, version: Option<i64>, label: &str) -> Markup {
    html! {
        form method="post" action=(action) class="delete" {
            (csrf_input(csrf))
            @if let Some(v) = version { input type="hidden" name="version" value=(v); }
            button type="submit" class="danger" { (label) }
        }
    }
}

/// What a refused write says at the top of the form: errors that are not
/// about one of `fields` (conflicts, size, storage, unknown fields), and a
/// pointer to the fields marked below.
pub(crate) fn error_banner(error: Option<&WriteError>, fields: &[&str]) -> Markup {
    let Some(error) = error else {
        return html! {};
    };
    let (marked, messages): (bool, Vec<String>) = match error {
        WriteError::Invalid(errors) => {
            let marked = errors.iter().any(|e| fields.contains(&e.field));
            let stray: Vec<String> = errors
                .iter()
                .filter(|e| !fields.contains(&e.field))
                .map(|e| e.message.clone())
                .collect();
            if !marked && stray.is_empty() {
                (false, vec![error.to_api().message])
            } else {
                (marked, stray)
            }
        }
        other => (false, vec![other.to_api().message]),
    };
    html! {
        div class="error-banner" role="alert" {
            @if marked { p { "Please correct the fields marked below." } }
            @for message in &messages { p { (message) } }
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

        let invalid = WriteError::Invalid(vec![
            FieldError::new("title", "Give it a title."),
            FieldError::new("colour", "Odd field."),
        ]);
        let html = error_banner(Some(&invalid), &["title"]).into_string();
        assert!(html.contains("Please correct the fields marked below."));
        assert!(
            html.contains("Odd field."),
            "unknown fields go to the banner"
        );
        assert!(
            !html.contains("Give it a title."),
            "field errors stay by the field"
        );

        let only_stray = WriteError::Invalid(vec![FieldError::new("colour", "Odd field.")]);
        let html = error_banner(Some(&only_stray), &["title"]).into_string();
        assert!(!html.contains("marked below") && html.contains("Odd field."));

        let store = WriteError::Store("D1_ERROR secret".into());
        let html = error_banner(Some(&store), &[]).into_string();
        assert!(!html.contains("D1_ERROR") && html.contains("Nothing was changed"));
    }
}
