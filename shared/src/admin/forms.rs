//! HTML forms of the admin: parsing `application/x-www-form-urlencoded`
//! bodies into what the user typed, and turning that into API input.
//!
//! A form keeps every field as the string the user typed, so that when a
//! save is refused the editor shows their text again, untouched, with the
//! errors next to the fields.

use std::collections::HashMap;

use super::input::{PageInput, PostInput, SettingsInput};
use super::time_zone::{WriterZone, SETTING as TIME_ZONE};
use crate::auth::return_to::percent_decode;
use crate::model::{Page, Post, PostStatus};

/// A parsed urlencoded body. Repeated keys keep the last value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormData(HashMap<String, String>);

impl FormData {
    /// Parses a urlencoded body; `None` if it is not valid encoding.
    pub fn parse(body: &str) -> Option<Self> {
        let mut map = HashMap::new();
        for pair in body.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            map.insert(percent_decode(k)?, percent_decode(v)?);
        }
        Some(FormData(map))
    }

    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }
}

/// What the post editor's submit buttons ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostAction {
    /// Save as a draft (unpublishes a published post).
    Draft,
    /// Publish now (or update a published post).
    Publish,
    /// Publish at `publish_at`.
    Schedule,
    /// Render the Markdown without saving.
    Preview,
}

impl PostAction {
    pub fn parse(s: &str) -> Self {
        match s {
            "publish" => PostAction::Publish,
            "schedule" => PostAction::Schedule,
            "preview" => PostAction::Preview,
            _ => PostAction::Draft,
        }
    }
}

/// The post editor's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostForm {
    /// `None` for a new post.
    pub id: Option<String>,
    pub title: String,
    pub slug: String,
    pub markdown: String,
    /// Comma-separated.
    pub tags: String,
    /// `datetime-local`, in `time_zone`.
    pub publish_at: String,
    /// The zone `publish_at` is written in (hidden field; empty for UTC).
    pub time_zone: String,
    /// The zone is the blog's default (no zone set), so the editor's
    /// script may switch it to the browser's.
    pub zone_unset: bool,
    /// The version the edit is based on (hidden field).
    pub version: Option<i64>,
    /// The post's status as stored (drives which buttons show).
    pub status: Option<PostStatus>,
    /// Its old slugs, which redirect to it (newest first; not a field).
    pub old_slugs: Vec<String>,
}

impl PostForm {
    /// The stored post, its time shown in the blog's zone `zone`
    /// (`zone_unset`: the blog has chosen none).
    pub fn from_post(post: &Post, zone: &WriterZone, zone_unset: bool) -> Self {
        PostForm {
            id: Some(post.id.clone()),
            title: post.title.clone(),
            slug: post.slug.clone(),
            markdown: post.markdown.clone(),
            tags: post.tags.join(", "),
            publish_at: post
                .published_at
                .map(|at| zone.format_local(at))
                .unwrap_or_default(),
            time_zone: zone.setting_value().to_string(),
            zone_unset,
            version: Some(post.version),
            status: Some(post.status),
            old_slugs: Vec::new(),
        }
    }

    /// A new post's empty form, in the blog's zone.
    pub fn new_in(zone: &WriterZone, zone_unset: bool) -> Self {
        PostForm {
            time_zone: zone.setting_value().to_string(),
            zone_unset,
            ..PostForm::default()
        }
    }

    /// The zone `publish_at` is in: the one the form names, else `fallback`
    /// (the blog's). `None` if the form names a zone Grove does not know.
    pub fn zone(&self, fallback: &WriterZone) -> Option<WriterZone> {
        if self.time_zone.trim().is_empty() {
            Some(fallback.clone())
        } else {
            WriterZone::parse(&self.time_zone)
        }
    }

    /// Reads the submitted fields (id and stored status come from the URL and state).
    pub fn from_form(form: &FormData, id: Option<String>, status: Option<PostStatus>) -> Self {
        PostForm {
            id,
            title: form.get("title").to_string(),
            slug: form.get("slug").to_string(),
            markdown: form.get("markdown").replace("\r\n", "\n"),
            tags: form.get("tags").to_string(),
            publish_at: form.get("publish_at").to_string(),
            time_zone: form.get(TIME_ZONE).to_string(),
            zone_unset: false,
            version: form.get("version").parse().ok(),
            status,
            old_slugs: Vec::new(),
        }
    }

    /// The API input this form amounts to, for `action`, its time read in
    /// the form's zone (else `zone`, the blog's). A `publish_at` that is not
    /// a valid date-time, or in an unknown zone, is an error on that field.
    pub fn to_input(
        &self,
        action: PostAction,
        zone: &WriterZone,
    ) -> Result<PostInput, &'static str> {
        let zone = self
            .zone(zone)
            .ok_or("Grove does not know this time zone: choose yours in Settings.")?;
        let publish_at = match self.publish_at.trim() {
            "" => None,
            s => Some(
                zone.parse_local(s)
                    .ok_or("Pick a date and time, like 2026-12-01T09:30.")?,
            ),
        };
        let status = match action {
            PostAction::Draft | PostAction::Preview => PostStatus::Draft,
            PostAction::Publish => PostStatus::Published,
            PostAction::Schedule => PostStatus::Scheduled,
        };
        Ok(PostInput {
            title: self.title.clone(),
            slug: Some(self.slug.clone()).filter(|s| !s.trim().is_empty()),
            markdown: self.markdown.clone(),
            tags: self
                .tags
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            status: Some(status),
            // A publish time only matters when scheduling, or to keep a
            // published post's original time.
            publish_at: match action {
                PostAction::Schedule => publish_at,
                PostAction::Publish => {
                    publish_at.filter(|_| self.status == Some(PostStatus::Published))
                }
                _ => None,
            },
            version: self.version,
        })
    }
}

/// The page editor's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageForm {
    pub id: Option<String>,
    pub title: String,
    pub slug: String,
    pub markdown: String,
    pub show_in_nav: bool,
    pub nav_order: String,
    pub version: Option<i64>,
}

impl PageForm {
    pub fn from_page(page: &Page) -> Self {
        PageForm {
            id: Some(page.id.clone()),
            title: page.title.clone(),
            slug: page.slug.clone(),
            markdown: page.markdown.clone(),
            show_in_nav: page.show_in_nav,
            nav_order: page.nav_order.to_string(),
            version: Some(page.version),
        }
    }

    pub fn from_form(form: &FormData, id: Option<String>) -> Self {
        PageForm {
            id,
            title: form.get("title").to_string(),
            slug: form.get("slug").to_string(),
            markdown: form.get("markdown").replace("\r\n", "\n"),
            show_in_nav: form.has("show_in_nav"),
            nav_order: form.get("nav_order").to_string(),
            version: form.get("version").parse().ok(),
        }
    }

    pub fn to_input(&self) -> Result<PageInput, &'static str> {
        let nav_order = match self.nav_order.trim() {
            "" => 0,
            s => s
                .parse()
                .map_err(|_| "The order is a number from 0 to 1000.")?,
        };
        Ok(PageInput {
            title: self.title.clone(),
            slug: Some(self.slug.clone()).filter(|s| !s.trim().is_empty()),
            markdown: self.markdown.clone(),
            show_in_nav: Some(self.show_in_nav),
            nav_order: Some(nav_order),
            version: self.version,
        })
    }
}

/// The settings form's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    pub site_title: String,
    pub site_description: String,
    pub theme: String,
    pub primary_color: String,
    pub font_family: String,
    /// IANA name; empty when the blog has not chosen one (UTC).
    pub time_zone: String,
    /// Listed on Grove's home page (a checkbox: absent from a form is off).
    pub listed: bool,
    /// Ask search engines not to index the blog (a checkbox, off by default).
    pub discourage_search: bool,
}

impl SettingsForm {
    pub fn from_rows(rows: &HashMap<String, String>, display_name: &str) -> Self {
        let get = |k: &str| rows.get(k).cloned().unwrap_or_default();
        let title = get("site_title");
        SettingsForm {
            site_title: if title.is_empty() {
                display_name.to_string()
            } else {
                title
            },
            site_description: get("site_description"),
            theme: {
                let t = get("theme");
                if t.is_empty() {
                    "paper".to_string()
                } else {
                    t
                }
            },
            primary_color: get("primary_color"),
            font_family: get("font_family"),
            time_zone: get(TIME_ZONE),
            listed: super::listing::is_listed(
                rows.get(super::listing::SETTING).map(String::as_str),
            ),
            discourage_search: crate::discovery::discourages(
                rows.get(crate::discovery::DISCOURAGE_SETTING)
                    .map(String::as_str),
            ),
        }
    }

    pub fn from_form(form: &FormData) -> Self {
        SettingsForm {
            site_title: form.get("site_title").to_string(),
            site_description: form.get("site_description").to_string(),
            theme: form.get("theme").to_string(),
            primary_color: form.get("primary_color").to_string(),
            font_family: form.get("font_family").to_string(),
            time_zone: form.get(TIME_ZONE).to_string(),
            listed: form.has(super::listing::SETTING),
            discourage_search: form.has(crate::discovery::DISCOURAGE_SETTING),
        }
    }

    pub fn to_input(&self) -> SettingsInput {
        SettingsInput {
            site_title: Some(self.site_title.clone()),
            site_description: Some(self.site_description.clone()),
            theme: Some(self.theme.clone()),
            primary_color: Some(self.primary_color.clone()),
            font_family: Some(self.font_family.clone()),
            time_zone: Some(self.time_zone.clone()),
            listed: Some(self.listed),
            discourage_search: Some(self.discourage_search),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urlencoded_bodies() {
        let f = FormData::parse("title=Hello+World&markdown=a%0D%0Ab&csrf=x&empty=").unwrap();
        assert_eq!(f.get("title"), "Hello World");
        assert_eq!(f.get("markdown"), "a\r\nb");
        assert!(f.has("empty") && !f.has("missing"));
        assert!(FormData::parse("a=%ZZ").is_none());
    }

    #[test]
    fn post_forms_become_api_input_per_action() {
        let f = FormData::parse("title=T&slug=&markdown=x&tags=Rust%2C+web+dev%2C&publish_at=2026-12-01T09%3A30&version=3").unwrap();
        let form = PostForm::from_form(&f, Some("p1".into()), Some(PostStatus::Draft));
        let utc = WriterZone::utc();
        let scheduled = form.to_input(PostAction::Schedule, &utc).unwrap();
        assert_eq!(scheduled.status, Some(PostStatus::Scheduled));
        assert_eq!(
            scheduled.publish_at,
            crate::time::parse_datetime_local("2026-12-01T09:30")
        );
        assert_eq!(scheduled.tags, vec!["Rust", "web dev"]);
        assert_eq!((scheduled.slug, scheduled.version), (None, Some(3)));
        let draft = form.to_input(PostAction::Draft, &utc).unwrap();
        assert_eq!(
            (draft.status, draft.publish_at),
            (Some(PostStatus::Draft), None)
        );
        let bad = PostForm {
            publish_at: "tomorrow".into(),
            ..form.clone()
        };
        assert_eq!(
            bad.to_input(PostAction::Schedule, &utc),
            Err("Pick a date and time, like 2026-12-01T09:30.")
        );
    }

    #[test]
    fn the_time_is_read_in_the_zone_the_form_names() {
        let f = FormData::parse("title=T&publish_at=2026-12-01T09%3A30&time_zone=Europe%2FBerlin")
            .unwrap();
        let form = PostForm::from_form(&f, None, None);
        let utc = WriterZone::utc();
        let berlin = form.to_input(PostAction::Schedule, &utc).unwrap();
        // 09:30 in Berlin (UTC+1 in December) is 08:30 UTC.
        assert_eq!(
            berlin.publish_at,
            crate::time::parse_datetime_local("2026-12-01T08:30")
        );
        // No zone in the form: the blog's.
        let f = FormData::parse("title=T&publish_at=2026-12-01T09%3A30").unwrap();
        let tokyo = WriterZone::parse("Asia/Tokyo").unwrap();
        let input = PostForm::from_form(&f, None, None)
            .to_input(PostAction::Schedule, &tokyo)
            .unwrap();
        assert_eq!(
            input.publish_at,
            crate::time::parse_datetime_local("2026-12-01T00:30")
        );
        let f =
            FormData::parse("title=T&publish_at=2026-12-01T09%3A30&time_zone=Mars%2FBase").unwrap();
        assert!(PostForm::from_form(&f, None, None)
            .to_input(PostAction::Schedule, &utc)
            .is_err());
        // The stored time is shown in the blog's zone.
        let post = Post {
            id: "p".into(),
            slug: "s".into(),
            title: "T".into(),
            markdown: String::new(),
            status: PostStatus::Scheduled,
            tags: vec![],
            published_at: crate::time::parse_datetime_local("2026-12-01T08:30"),
            updated_at: 0,
            version: 1,
        };
        let berlin = WriterZone::parse("Europe/Berlin").unwrap();
        let form = PostForm::from_post(&post, &berlin, false);
        assert_eq!(
            (form.publish_at.as_str(), form.time_zone.as_str()),
            ("2026-12-01T09:30", "Europe/Berlin")
        );
    }

    #[test]
    fn page_form_checkbox_and_order() {
        let f = FormData::parse("title=About&nav_order=2&show_in_nav=on").unwrap();
        let input = PageForm::from_form(&f, None).to_input().unwrap();
        assert_eq!((input.show_in_nav, input.nav_order), (Some(true), Some(2)));
        let f = FormData::parse("title=About&nav_order=two").unwrap();
        let form = PageForm::from_form(&f, None);
        assert!(!form.show_in_nav);
        assert!(form.to_input().is_err());
    }
}
