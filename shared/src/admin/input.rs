//! What an owner submits, before and after validation.
//!
//! Two doors lead here: HTML forms (every field a string, exactly as typed)
//! and the JSON API (typed, `deny_unknown_fields`). Both become a
//! [`PostDraft`], [`PageDraft`] or [`SettingsDraft`] through one validator,
//! so the rules cannot drift apart. A rejected draft yields field errors
//! that the form shows next to each field.

use serde::{Deserialize, Serialize};

use super::errors::{FieldError, WriteError};
use crate::model::PostStatus;
use crate::slug::{slug_from_title, validate_page_slug, validate_slug};
use crate::tags::is_tag;
use crate::theme::{format_ratio, Color, FontFamily, ThemePreset, AA_TEXT};

/// Largest Markdown body accepted (1 MiB).
pub const MAX_MARKDOWN_BYTES: usize = 1024 * 1024;
/// Longest title.
pub const MAX_TITLE_CHARS: usize = 200;
/// Most tags on a post.
pub const MAX_TAGS: usize = 10;
pub use crate::tags::MAX_TAG_CHARS;

/// A post as submitted (JSON API shape; forms are converted to it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostInput {
    pub title: String,
    pub slug: Option<String>,
    pub markdown: String,
    pub tags: Vec<String>,
    /// `draft` (default), `published` or `scheduled`.
    pub status: Option<PostStatus>,
    /// Unix ms: when a scheduled post goes live (or a backdated publish time).
    pub publish_at: Option<i64>,
    /// The version this edit is based on (required to update).
    pub version: Option<i64>,
}

/// A validated post, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct PostDraft {
    pub title: String,
    pub slug: String,
    pub markdown: String,
    pub tags: Vec<String>,
    pub status: PostStatus,
    pub publish_at: Option<i64>,
}

/// A page as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageInput {
    pub title: String,
    pub slug: Option<String>,
    pub markdown: String,
    pub show_in_nav: Option<bool>,
    pub nav_order: Option<i64>,
    pub version: Option<i64>,
}

/// A validated page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageDraft {
    pub title: String,
    pub slug: String,
    pub markdown: String,
    pub show_in_nav: bool,
    pub nav_order: i64,
}

/// Site settings as submitted. Every field is optional on the API (absent
/// means unchanged); the form always sends all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsInput {
    pub site_title: Option<String>,
    pub site_description: Option<String>,
    pub theme: Option<String>,
    /// `#rgb`/`#rrggbb`, or empty for the theme's colour.
    pub primary_color: Option<String>,
    /// One of the allowed families, or empty for the theme's font.
    pub font_family: Option<String>,
    /// The writer's time zone (IANA name), or empty for UTC.
    pub time_zone: Option<String>,
    /// Whether Grove's home page may list the blog (see `admin::listing`).
    pub listed: Option<bool>,
    /// Ask search engines not to index the blog (`discovery`).
    pub discourage_search: Option<bool>,
}

/// Validated settings changes: `(key, value)` rows for `tenant_settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsDraft {
    pub rows: Vec<(String, String)>,
}

fn check_title(title: &str, errors: &mut Vec<FieldError>) -> String {
    let title = title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Give it a title."));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.push(FieldError::new(
            "title",
            "A title is at most 200 characters.",
        ));
    }
    title
}

fn check_markdown(markdown: &str) -> Result<(), WriteError> {
    if markdown.len() > MAX_MARKDOWN_BYTES {
        return Err(WriteError::TooLarge(
            "The body is larger than 1 MiB.".into(),
        ));
    }
    Ok(())
}

/// Normalises tags: trimmed, lower-case, inner spaces to hyphens, no duplicates.
pub fn normalize_tags(raw: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if tag.is_empty() || tags.contains(&tag) {
            continue;
        }
        if !is_tag(&tag) {
            errors.push(FieldError::new(
                "tags",
                "Tags are up to 32 letters, digits or hyphens each.",
            ));
            break;
        }
        tags.push(tag);
    }
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::new("tags", "A post has at most 10 tags."));
    }
    tags
}

impl PostInput {
    /// Validates the input at `now`. The slug defaults to one made from the title.
    pub fn validate(&self, now: i64) -> Result<PostDraft, WriteError> {
        check_markdown(&self.markdown)?;
        let mut errors = Vec::new();
        let title = check_title(&self.title, &mut errors);
        let slug = match self
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(slug) => {
                if let Err(e) = validate_slug(slug) {
                    errors.push(FieldError::new("slug", &e.to_string()));
                }
                slug.to_string()
            }
            None => {
                let slug = slug_from_title(&title);
                if slug.is_empty() && !title.is_empty() {
                    errors.push(FieldError::new(
                        "slug",
                        "Enter a slug: the title has no letters to make one from.",
                    ));
                }
                slug
            }
        };
        let tags = normalize_tags(&self.tags, &mut errors);
        let status = self.status.unwrap_or(PostStatus::Draft);
        let publish_at = match (status, self.publish_at) {
            (PostStatus::Scheduled, None) => {
                errors.push(FieldError::new(
                    "publish_at",
                    "Pick a date and time for the post to go live.",
                ));
                None
            }
            (PostStatus::Scheduled, Some(at)) if at <= now => {
                errors.push(FieldError::new(
                    "publish_at",
                    "A scheduled time must be in the future.",
                ));
                None
            }
            (PostStatus::Published, Some(at)) if at > now => {
                errors.push(FieldError::new(
                    "publish_at",
                    "To publish later, schedule the post.",
                ));
                None
            }
            (PostStatus::Draft, _) => None,
            (_, at) => at,
        };
        if !errors.is_empty() {
            return Err(WriteError::Invalid(errors));
        }
        Ok(PostDraft {
            title,
            slug,
            markdown: self.markdown.clone(),
            tags,
            status,
            publish_at,
        })
    }
}

impl PageInput {
    pub fn validate(&self) -> Result<PageDraft, WriteError> {
        check_markdown(&self.markdown)?;
        let mut errors = Vec::new();
        let title = check_title(&self.title, &mut errors);
        let slug = match self
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(slug) => slug.to_string(),
            None => slug_from_title(&title),
        };
        if !title.is_empty() || !slug.is_empty() {
            if let Err(e) = validate_page_slug(&slug) {
                errors.push(FieldError::new("slug", &e.to_string()));
            }
        }
        let nav_order = self.nav_order.unwrap_or(0);
        if !(0..=1000).contains(&nav_order) {
            errors.push(FieldError::new(
                "nav_order",
                "The order is a number from 0 to 1000.",
            ));
        }
        if !errors.is_empty() {
            return Err(WriteError::Invalid(errors));
        }
        Ok(PageDraft {
            title,
            slug,
            markdown: self.markdown.clone(),
            show_in_nav: self.show_in_nav.unwrap_or(true),
            nav_order,
        })
    }
}

/// The `primary_color` field's error if `accent` would be hard to read on
/// `theme` (links and tags below WCAG AA, 4.5:1, on the page or the
/// header), naming the nearest colour of its hue that passes.
pub fn accent_contrast_error(theme: ThemePreset, accent: &Color) -> Option<FieldError> {
    let faint = theme.check_accent(accent).err()?;
    let advice = match &faint.suggestion {
        Some(nearest) => format!("The nearest colour that passes is {}.", nearest.as_str()),
        None => "Choose a darker or lighter colour.".to_string(),
    };
    Some(FieldError::new(
        "primary_color",
        &format!(
            "{} is hard to read on the {} theme: its contrast is {}, and links and tags need at least {AA_TEXT}:1. {advice}",
            accent.as_str(),
            theme.label(),
            format_ratio(faint.ratio),
        ),
    ))
}

impl SettingsDraft {
    /// The value this draft gives `key`, if it sets it.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.rows
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Checks the accent against the theme the site will have once this
    /// draft is saved: the draft's theme and colour where it sets them, the
    /// site's `current` ones where not. Only a draft that changes either is
    /// checked, so a colour saved before this rule never blocks an
    /// unrelated change.
    pub fn check_contrast(
        &self,
        current_theme: ThemePreset,
        current_accent: Option<&Color>,
    ) -> Result<(), WriteError> {
        let (theme, accent) = (self.value("theme"), self.value("primary_color"));
        if theme.is_none() && accent.is_none() {
            return Ok(());
        }
        let theme = theme.and_then(ThemePreset::parse).unwrap_or(current_theme);
        let accent = match accent {
            Some(hex) => Color::parse(hex),
            None => current_accent.cloned(),
        };
        match accent.and_then(|a| accent_contrast_error(theme, &a)) {
            Some(error) => Err(WriteError::Invalid(vec![error])),
            None => Ok(()),
        }
    }
}

impl SettingsInput {
    /// Validates each field. An accent is checked for contrast here when
    /// the theme comes with it (as the settings form always sends it);
    /// [`SettingsDraft::check_contrast`] checks it against the saved theme
    /// when the draft is applied.
    pub fn validate(&self) -> Result<SettingsDraft, WriteError> {
        let mut errors = Vec::new();
        let mut rows = Vec::new();
        if let Some(title) = &self.site_title {
            let title = title.trim();
            if title.is_empty() || title.chars().count() > 100 {
                errors.push(FieldError::new(
                    "site_title",
                    "The site title is 1 to 100 characters.",
                ));
            }
            rows.push(("site_title".to_string(), title.to_string()));
        }
        if let Some(description) = &self.site_description {
            let description = description.trim();
            if description.chars().count() > 300 {
                errors.push(FieldError::new(
                    "site_description",
                    "The description is at most 300 characters.",
                ));
            }
            rows.push(("site_description".to_string(), description.to_string()));
        }
        if let Some(theme) = &self.theme {
            match ThemePreset::parse(theme.trim()) {
                Some(t) => rows.push(("theme".to_string(), t.as_str().to_string())),
                None => errors.push(FieldError::new("theme", "Choose one of the themes.")),
            }
        }
        if let Some(color) = &self.primary_color {
            match color.trim() {
                "" => rows.push(("primary_color".to_string(), String::new())),
                c => match Color::parse(c) {
                    Some(c) => rows.push(("primary_color".to_string(), c.as_str().to_string())),
                    None => errors.push(FieldError::new(
                        "primary_color",
                        "A colour looks like #2f7d4a.",
                    )),
                },
            }
        }
        if let Some(font) = &self.font_family {
            match font.trim() {
                "" => rows.push(("font_family".to_string(), String::new())),
                f => match FontFamily::parse(f) {
                    Some(f) => rows.push(("font_family".to_string(), f.as_str().to_string())),
                    None => errors.push(FieldError::new("font_family", "Choose one of the fonts.")),
                },
            }
        }
        if let Some(zone) = &self.time_zone {
            super::time_zone::check_setting(zone, &mut rows, &mut errors);
        }
        if let Some(listed) = self.listed {
            let value = super::listing::value_of(listed).to_string();
            rows.push((super::listing::SETTING.to_string(), value));
        }
        if let Some(on) = self.discourage_search {
            let value = crate::discovery::discourage_value(on).to_string();
            rows.push((crate::discovery::DISCOURAGE_SETTING.to_string(), value));
        }
        let draft = SettingsDraft { rows };
        if let Some(theme) = draft.value("theme").and_then(ThemePreset::parse) {
            if let Err(WriteError::Invalid(faint)) = draft.check_contrast(theme, None) {
                errors.extend(faint);
            }
        }
        if !errors.is_empty() {
            return Err(WriteError::Invalid(errors));
        }
        Ok(draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: WriteError) -> Vec<&'static str> {
        match e {
            WriteError::Invalid(errs) => errs.iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_post_needs_a_title_and_gets_a_slug_from_it() {
        let ok = PostInput {
            title: "  Hello, World ".into(),
            ..Default::default()
        }
        .validate(0)
        .unwrap();
        assert_eq!(
            (ok.title.as_str(), ok.slug.as_str(), ok.status),
            ("Hello, World", "hello-world", PostStatus::Draft)
        );
        assert_eq!(
            fields(PostInput::default().validate(0).unwrap_err()),
            vec!["title"]
        );
        let bad_slug = PostInput {
            title: "x".into(),
            slug: Some("Bad Slug".into()),
            ..Default::default()
        };
        assert_eq!(fields(bad_slug.validate(0).unwrap_err()), vec!["slug"]);
        let no_letters = PostInput {
            title: "???".into(),
            ..Default::default()
        };
        assert_eq!(fields(no_letters.validate(0).unwrap_err()), vec!["slug"]);
    }

    #[test]
    fn oversized_bodies_are_413_not_field_errors() {
        let big = PostInput {
            title: "x".into(),
            markdown: "a".repeat(MAX_MARKDOWN_BYTES + 1),
            ..Default::default()
        };
        assert!(matches!(big.validate(0), Err(WriteError::TooLarge(_))));
        let exact = PostInput {
            title: "x".into(),
            markdown: "a".repeat(MAX_MARKDOWN_BYTES),
            ..Default::default()
        };
        assert!(exact.validate(0).is_ok());
    }

    #[test]
    fn schedules_must_be_in_the_future() {
        let at = |status, publish_at| PostInput {
            title: "x".into(),
            status: Some(status),
            publish_at,
            ..Default::default()
        };
        assert_eq!(
            fields(at(PostStatus::Scheduled, None).validate(100).unwrap_err()),
            vec!["publish_at"]
        );
        assert_eq!(
            fields(
                at(PostStatus::Scheduled, Some(100))
                    .validate(100)
                    .unwrap_err()
            ),
            vec!["publish_at"]
        );
        assert_eq!(
            at(PostStatus::Scheduled, Some(101))
                .validate(100)
                .unwrap()
                .publish_at,
            Some(101)
        );
        assert_eq!(
            fields(
                at(PostStatus::Published, Some(101))
                    .validate(100)
                    .unwrap_err()
            ),
            vec!["publish_at"]
        );
        assert_eq!(
            at(PostStatus::Published, Some(50))
                .validate(100)
                .unwrap()
                .publish_at,
            Some(50)
        );
        assert_eq!(
            at(PostStatus::Draft, Some(500))
                .validate(100)
                .unwrap()
                .publish_at,
            None
        );
    }

    #[test]
    fn tags_are_normalised_and_bounded() {
        let mut errors = Vec::new();
        let tags = normalize_tags(
            &[" Rust ".into(), "rust".into(), "Web Dev".into(), "".into()],
            &mut errors,
        );
        assert_eq!(tags, vec!["rust", "web-dev"]);
        assert!(errors.is_empty());
        normalize_tags(&["<script>".into()], &mut errors);
        assert_eq!(errors.len(), 1);
        let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        let mut errors = Vec::new();
        normalize_tags(&many, &mut errors);
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn pages_cannot_shadow_site_routes() {
        let blog = PageInput {
            title: "Blog".into(),
            ..Default::default()
        };
        assert_eq!(fields(blog.validate().unwrap_err()), vec!["slug"]);
        let ok = PageInput {
            title: "About me".into(),
            nav_order: Some(3),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(
            (ok.slug.as_str(), ok.show_in_nav, ok.nav_order),
            ("about-me", true, 3)
        );
        let bad_order = PageInput {
            title: "x".into(),
            nav_order: Some(-1),
            ..Default::default()
        };
        assert_eq!(fields(bad_order.validate().unwrap_err()), vec!["nav_order"]);
    }

    #[test]
    fn settings_are_validated_field_by_field() {
        let bad = SettingsInput {
            site_title: Some(" ".into()),
            theme: Some("neon".into()),
            primary_color: Some("red".into()),
            font_family: Some("Comic Sans".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(bad.validate().unwrap_err()),
            vec!["site_title", "theme", "primary_color", "font_family"]
        );
        let ok = SettingsInput {
            theme: Some("midnight".into()),
            primary_color: Some("#ABC".into()),
            ..Default::default()
        };
        assert_eq!(
            ok.validate().unwrap().rows,
            vec![
                ("theme".to_string(), "midnight".to_string()),
                ("primary_color".to_string(), "#abc".to_string())
            ]
        );
    }

    fn messages(e: WriteError) -> Vec<(&'static str, String)> {
        match e {
            WriteError::Invalid(errs) => errs.into_iter().map(|e| (e.field, e.message)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    fn colour(theme: &str, color: &str) -> SettingsInput {
        SettingsInput {
            theme: Some(theme.into()),
            primary_color: Some(color.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_faint_accent_is_refused_with_the_nearest_colour_that_passes() {
        let e = colour("paper", "#fff").validate().unwrap_err();
        assert_eq!(e.status(), 422);
        assert_eq!(e.to_api().field, Some("primary_color"));
        assert_eq!(
            messages(e),
            [(
                "primary_color",
                "#fff is hard to read on the Paper theme: its contrast is 1.06:1, and links \
                 and tags need at least 4.5:1. The nearest colour that passes is #727272."
                    .to_string()
            )]
        );
        let e = colour("midnight", "#000080").validate().unwrap_err();
        let (_, message) = &messages(e)[0];
        assert!(
            message.contains("on the Midnight theme: its contrast is 1.14:1"),
            "{message}"
        );
        assert!(
            message.ends_with("The nearest colour that passes is #6b6bff."),
            "{message}"
        );

        // The suggestions pass; so do the presets' own colours, and an
        // empty colour (the theme's own).
        for (theme, ok) in [
            ("paper", "#727272"),
            ("midnight", "#6b6bff"),
            ("paper", "#b4532a"),
            ("midnight", "#7aa2f7"),
            ("meadow", "#2f7d4a"),
            ("midnight", ""),
        ] {
            assert!(colour(theme, ok).validate().is_ok(), "{theme} {ok}");
        }
        // A colour that is wrong in form gets only the form's error.
        assert_eq!(
            fields(colour("paper", "white").validate().unwrap_err()),
            ["primary_color"]
        );
    }

    #[test]
    fn a_partial_update_is_checked_against_the_saved_theme_and_colour() {
        let navy = Color::parse("#000080");
        let midnight = ThemePreset::Midnight;
        let only = |key: &str, value: &str| SettingsDraft {
            rows: vec![(key.to_string(), value.to_string())],
        };
        // The colour alone, on the saved Midnight theme.
        let e = only("primary_color", "#000080")
            .check_contrast(midnight, None)
            .unwrap_err();
        assert_eq!(fields(e), ["primary_color"]);
        assert!(only("primary_color", "#000080")
            .check_contrast(ThemePreset::Paper, None)
            .is_ok());
        // The theme alone, under a saved colour that suits the old theme only.
        assert!(only("theme", "midnight")
            .check_contrast(ThemePreset::Paper, navy.as_ref())
            .is_err());
        // Clearing the colour, or changing something else, is always fine,
        // even when a colour saved before this rule is faint.
        assert!(only("primary_color", "")
            .check_contrast(midnight, navy.as_ref())
            .is_ok());
        assert!(only("site_title", "New")
            .check_contrast(midnight, navy.as_ref())
            .is_ok());
    }

    #[test]
    fn unknown_json_fields_are_refused() {
        assert!(
            serde_json::from_str::<PostInput>(r#"{"title":"x","tenant_id":"t_other"}"#).is_err()
        );
        assert!(serde_json::from_str::<SettingsInput>(r#"{"owner_id":"me"}"#).is_err());
        assert!(serde_json::from_str::<PageInput>(r#"{"title":"x","show_in_nav":true}"#).is_ok());
    }
}
