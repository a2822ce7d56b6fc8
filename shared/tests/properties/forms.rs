//! Admin input from untrusted bodies: urlencoded forms parse without
//! panicking and round-trip what a browser encodes; any form or JSON body
//! becomes input without panicking; and whatever validation accepts keeps
//! the rules and validates again to itself.

use std::collections::HashMap;

use grove_shared::admin::forms::{FormData, PageForm, PostAction, PostForm, SettingsForm};
use grove_shared::admin::input::{
    PageInput, PostInput, SettingsInput, MAX_MARKDOWN_BYTES, MAX_TAGS, MAX_TAG_CHARS,
    MAX_TITLE_CHARS,
};
use grove_shared::admin::time_zone::WriterZone;
use grove_shared::model::{Post, PostStatus};
use grove_shared::slug::{validate_page_slug, validate_slug};
use proptest::prelude::*;

/// "Now" for validation: 2026-12-01T00:00Z.
const NOW: i64 = 1_796_083_200_000;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 ,.&=+%#-]{0,16}",
        Just("  Hello, World  ".to_string()),
        Just("Rust, Web Dev , rust,, İstanbul, a_b, x y z".to_string()),
        Just("2026-12-24T09:30".to_string()),
        Just("#ABC".to_string()),
        Just("paper".to_string()),
        Just("serif".to_string()),
        Just("x".repeat(201)),
    ]
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "title",
            "slug",
            "markdown",
            "tags",
            "publish_at",
            "version",
            "show_in_nav",
            "nav_order",
            "site_title",
            "site_description",
            "theme",
            "primary_color",
            "font_family",
            "action",
        ])
        .prop_map(str::to_string),
        any::<String>(),
    ]
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((field(), text()), 0..8)
}

fn status() -> impl Strategy<Value = Option<PostStatus>> {
    prop::option::of(prop::sample::select(vec![
        PostStatus::Draft,
        PostStatus::Published,
        PostStatus::Scheduled,
    ]))
}

/// Post input: mostly plausible (so validation often accepts it), some wild.
fn post_input() -> impl Strategy<Value = PostInput> {
    let plausible = (
        (
            "[A-Za-z0-9 ,.!?'é日-]{1,40}",
            prop::option::of("[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}"),
            prop_oneof![text(), "[a-z #*\\[\\]\r\n-]{0,40}"],
        ),
        (
            prop::collection::vec("[A-Za-z0-9_ -]{1,12}|İ[a-z]{0,3}", 0..5),
            status(),
        ),
    );
    let wild = (
        (text(), prop::option::of(text()), text()),
        (prop::collection::vec(text(), 0..12), status()),
    );
    (
        prop_oneof![3 => plausible, 1 => wild],
        (
            prop::option::of(NOW - 1000..NOW + 1000),
            prop::option::of(any::<i64>()),
        ),
    )
        .prop_map(
            |(((title, slug, markdown), (tags, status)), (publish_at, version))| PostInput {
                title,
                slug,
                markdown,
                tags,
                status,
                publish_at,
                version,
            },
        )
}

proptest! {
    /// A body a browser encodes parses back to what was typed (last
    /// value of a repeated field wins).
    #[test]
    fn urlencoded_bodies_round_trip(pairs in pairs()) {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter())
            .finish();
        let form = FormData::parse(&body).unwrap();
        let expected: HashMap<&str, &str> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for (k, v) in expected {
            prop_assert_eq!(form.get(k), v);
            prop_assert!(form.has(k));
        }
    }

    /// Any body: parsing, reading each form and validating never panics.
    #[test]
    fn any_body_is_handled(body in prop_oneof![any::<String>(), "[a-z_=&%+0-9A-F]{0,40}"], action in text(), stored in status()) {
        let Some(form) = FormData::parse(&body) else { return Ok(()) };
        let post = PostForm::from_form(&form, Some("p1".into()), stored);
        if let Ok(input) = post.to_input(PostAction::parse(&action), &WriterZone::utc()) {
            let _ = input.validate(NOW);
        }
        if let Ok(input) = PageForm::from_form(&form, None).to_input() {
            let _ = input.validate();
        }
        let _ = SettingsForm::from_form(&form).to_input().validate();
        let _ = serde_json::from_str::<PostInput>(&body);
        let _ = serde_json::from_str::<PageInput>(&body);
        let _ = serde_json::from_str::<SettingsInput>(&body);
    }

    /// What post validation accepts keeps every rule, and validates again
    /// to itself (normalising is idempotent).
    #[test]
    fn accepted_posts_keep_the_rules(input in post_input()) {
        let Ok(draft) = input.validate(NOW) else { return Ok(()) };
        prop_assert!(draft.markdown.len() <= MAX_MARKDOWN_BYTES);
        prop_assert!(!draft.title.is_empty() && draft.title == draft.title.trim());
        prop_assert!(draft.title.chars().count() <= MAX_TITLE_CHARS);
        prop_assert_eq!(validate_slug(&draft.slug), Ok(()));
        prop_assert!(draft.tags.len() <= MAX_TAGS, "{:?}", draft.tags);
        for (i, tag) in draft.tags.iter().enumerate() {
            prop_assert!(!tag.is_empty() && tag.chars().count() <= MAX_TAG_CHARS, "{:?}", tag);
            prop_assert!(tag.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'), "{:?}", tag);
            prop_assert!(!draft.tags[..i].contains(tag), "{:?}", draft.tags);
        }
        match draft.status {
            PostStatus::Draft => prop_assert_eq!(draft.publish_at, None),
            PostStatus::Scheduled => prop_assert!(draft.publish_at.is_some_and(|at| at > NOW)),
            PostStatus::Published => prop_assert!(draft.publish_at.is_none_or(|at| at <= NOW)),
        }
        let again = PostInput {
            title: draft.title.clone(),
            slug: Some(draft.slug.clone()),
            markdown: draft.markdown.clone(),
            tags: draft.tags.clone(),
            status: Some(draft.status),
            publish_at: draft.publish_at,
            version: input.version,
        };
        prop_assert_eq!(again.validate(NOW), Ok(draft));
    }

    #[test]
    fn accepted_pages_keep_the_rules(
        title in text(),
        slug in prop::option::of(text()),
        nav_order in prop::option::of(prop_oneof![any::<i64>(), -2i64..1003]),
        show_in_nav in prop::option::of(any::<bool>()),
    ) {
        let input = PageInput { title, slug, markdown: String::new(), show_in_nav, nav_order, version: None };
        let Ok(draft) = input.validate() else { return Ok(()) };
        prop_assert!(!draft.title.is_empty() && draft.title.chars().count() <= MAX_TITLE_CHARS);
        prop_assert_eq!(validate_page_slug(&draft.slug), Ok(()));
        prop_assert!((0..=1000).contains(&draft.nav_order));
        let again = PageInput {
            title: draft.title.clone(),
            slug: Some(draft.slug.clone()),
            markdown: draft.markdown.clone(),
            show_in_nav: Some(draft.show_in_nav),
            nav_order: Some(draft.nav_order),
            version: None,
        };
        prop_assert_eq!(again.validate(), Ok(draft));
    }

    /// Accepted settings rows validate again to themselves.
    #[test]
    fn accepted_settings_are_a_fixed_point(
        fields in prop::collection::vec(prop::option::of(text()), 6),
        listed in prop::option::of(any::<bool>()),
    ) {
        let input = SettingsInput {
            site_title: fields[0].clone(),
            site_description: fields[1].clone(),
            theme: fields[2].clone(),
            primary_color: fields[3].clone(),
            font_family: fields[4].clone(),
            time_zone: fields[5].clone(),
            listed,
            discourage_search: listed.map(|l| !l),
        };
        let Ok(draft) = input.validate() else { return Ok(()) };
        let row = |k: &str| draft.rows.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        let again = SettingsInput {
            site_title: row("site_title"),
            site_description: row("site_description"),
            theme: row("theme"),
            primary_color: row("primary_color"),
            font_family: row("font_family"),
            time_zone: row("time_zone"),
            listed: row("listed").map(|v| v == "true"),
            discourage_search: row("discourage_search").map(|v| v == "true"),
        };
        prop_assert_eq!(again.validate(), Ok(draft));
    }

    /// An editor opened on a stored post and submitted untouched saves the
    /// same content (the publish time is left out: the form shows it to
    /// the minute).
    #[test]
    fn an_untouched_editor_saves_the_same_post(input in post_input(), action in prop::sample::select(vec![PostAction::Draft, PostAction::Publish])) {
        let Ok(draft) = input.validate(NOW) else { return Ok(()) };
        let post = Post {
            id: "p1".into(),
            slug: draft.slug.clone(),
            title: draft.title.clone(),
            markdown: draft.markdown.replace('\r', ""),
            status: draft.status,
            tags: draft.tags.clone(),
            published_at: draft.publish_at,
            updated_at: NOW,
            version: 3,
        };
        // Shown in a zone other than UTC: the form says which, and reading
        // it back gives the same instant.
        let berlin = WriterZone::parse("Europe/Berlin").unwrap();
        let shown = PostForm::from_post(&post, &berlin, false);
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("title", &shown.title)
            .append_pair("slug", &shown.slug)
            .append_pair("markdown", &shown.markdown.replace('\n', "\r\n"))
            .append_pair("tags", &shown.tags)
            .append_pair("publish_at", &shown.publish_at)
            .append_pair("time_zone", &shown.time_zone)
            .append_pair("version", &shown.version.unwrap_or_default().to_string())
            .finish();
        let form = PostForm::from_form(&FormData::parse(&body).unwrap(), Some(post.id.clone()), Some(post.status));
        prop_assert_eq!(&form, &shown);
        let saved = form.to_input(action, &WriterZone::utc()).unwrap().validate(NOW).unwrap();
        prop_assert_eq!(
            (&saved.title, &saved.slug, &saved.markdown, &saved.tags),
            (&post.title, &post.slug, &post.markdown, &post.tags)
        );
        prop_assert_eq!(form.version, Some(3));
    }
}
