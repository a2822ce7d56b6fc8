//! What the post and page editors share: the heading, where the form
//! posts, the version a save replaces, the banner and conflict notice, the
//! hidden inputs with the title and slug fields, and the delete form.

use maud::{html, Markup};

use super::fields::{conflict_section, delete_form, error_banner};
use super::{csrf_input, Field, InputAttrs};
use crate::admin::errors::WriteError;

/// One editor of a post or a page (`kind`), new or of `id`.
pub(crate) struct Editor<'a> {
    kind: &'a str,
    id: Option<&'a str>,
    /// After a conflict the form is based on the version now stored, so
    /// that saving again replaces it (as the conflict notice says).
    pub version: Option<i64>,
}

impl<'a> Editor<'a> {
    pub fn new(
        kind: &'a str,
        id: Option<&'a str>,
        form_version: Option<i64>,
        conflict_version: Option<i64>,
    ) -> Self {
        Editor {
            kind,
            id,
            version: conflict_version.or(form_version),
        }
    }

    /// "New post", "Edit post" or "Edit: {title}".
    pub fn title(&self, typed: &str) -> String {
        match (self.id, typed.trim()) {
            (None, _) => format!("New {}", self.kind),
            (Some(_), "") => format!("Edit {}", self.kind),
            (Some(_), t) => format!("Edit: {t}"),
        }
    }

    /// Where the form posts: the collection, or the item.
    pub fn action(&self) -> String {
        match self.id {
            None => format!("/admin/{}s", self.kind),
            Some(id) => format!("/admin/{}s/{id}", self.kind),
        }
    }

    /// The error banner and, after a lost race, the stored version
    /// (`conflict`: version, title, Markdown).
    pub fn notices(
        &self,
        error: Option<&WriteError>,
        fields: &[&str],
        conflict: Option<(i64, &str, &str)>,
    ) -> Markup {
        html! {
            (error_banner(error, fields))
            @if let Some((version, title, markdown)) = conflict {
                (conflict_section(self.kind, version, title, markdown))
            }
        }
    }

    /// The form's first controls: CSRF and version, then title and slug.
    pub fn opening_fields(
        &self,
        csrf: &str,
        error: Option<&WriteError>,
        title: &str,
        slug: &str,
        slug_hint: Option<&str>,
    ) -> Markup {
        let title_field = Field::new("title", "Title").write_error(error);
        let mut slug_field = Field::new("slug", "Slug").write_error(error);
        if let Some(hint) = slug_hint {
            slug_field = slug_field.hint(hint);
        }
        html! {
            (csrf_input(csrf))
            @if let Some(v) = self.version { input type="hidden" name="version" value=(v); }
            (title_field.input("text", Some(title), &InputAttrs {
                required: true,
                maxlength: Some(200),
                ..InputAttrs::default()
            }))
            (slug_field.input("text", Some(slug), &InputAttrs {
                placeholder: Some("made from the title"),
                autocomplete: Some("off"),
                spellcheck: Some("false"),
                ..InputAttrs::default()
            }))
        }
    }

    /// The separate delete form of an existing item.
    pub fn delete(&self, csrf: &str) -> Markup {
        html! {
            @if let Some(id) = self.id {
                (delete_form(
                    &format!("/admin/{}s/{id}/delete", self.kind),
                    csrf,
                    self.version,
                    &format!("Delete {}", self.kind),
                    false,
                ))
            }
        }
    }
}
