//! Native tests of the feeds: each format read back by a real feed reader
//! (feed-rs), their dates, ids, absolute URLs, routes and head links.

use super::*;
use crate::model::{Post, PostStatus};
use crate::site::{reader_route, ReaderRoute, RouteMiss, Site};
use crate::test_support::{post, site_with};

/// 2026-11-30T08:05:09Z.
const T: i64 = 1_796_025_909_000;

fn live(slug: &str, at: i64, tags: &[&str]) -> Post {
    let mut p = post(slug, PostStatus::Published, Some(at));
    p.tags = tags.iter().map(|t| t.to_string()).collect();
    p.updated_at = at;
    p
}

/// A site rendered at a time after every fixture (`T` plus a day).
fn site_at(posts: Vec<Post>, origin: &str, title: &str) -> Site {
    let mut info = site_with(vec![], vec![]).info;
    info.canonical_origin = origin.into();
    info.settings.title = title.into();
    Site::new(info, posts, vec![], T + 86_400_000)
}

/// A feed's body as rendered.
fn body(site: &Site, kind: FeedKind, tag: Option<&str>) -> String {
    site.render(&ReaderRoute::Feed {
        kind,
        tag: tag.map(str::to_string),
    })
    .html
}

fn feed(site: &Site, kind: FeedKind, tag: Option<&str>) -> feed_rs::model::Feed {
    let rendered = site
        .render(&ReaderRoute::Feed {
            kind,
            tag: tag.map(str::to_string),
        })
        .clone();
    assert_eq!(rendered.status, 200, "{kind:?} {tag:?}");
    assert_eq!(rendered.format, kind.format());
    feed_rs::parser::parse(rendered.html.as_bytes())
        .unwrap_or_else(|e| panic!("{kind:?} does not parse: {e}\n{}", rendered.html))
}

fn content(entry: &feed_rs::model::Entry) -> String {
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default()
}

#[test]
fn every_format_lists_the_latest_twenty_published_posts_newest_first() {
    let mut posts: Vec<Post> = (1..=23)
        .map(|i| live(&format!("p{i}"), T - i * 60_000, &[]))
        .collect();
    posts.push(post("draft", PostStatus::Draft, None));
    posts.push(post(
        "later",
        PostStatus::Scheduled,
        Some(T + 2 * 86_400_000),
    ));
    let site = site_at(posts, "https://autumn.grove.place", "Autumn Notes");
    for kind in FeedKind::ALL {
        let f = feed(&site, kind, None);
        let slugs: Vec<String> = f
            .entries
            .iter()
            .map(|e| {
                e.links[0]
                    .href
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let expected: Vec<String> = (1..=20).map(|i| format!("p{i}")).collect();
        assert_eq!(slugs, expected, "{kind:?}");
        assert_eq!(
            f.title.as_ref().map(|t| t.content.as_str()),
            Some("Autumn Notes")
        );
    }
}

#[test]
fn dates_are_rfc_822_in_rss_and_rfc_3339_in_atom_and_json() {
    let mut p = live("dated", T, &[]);
    p.updated_at = T + 3_600_000;
    let site = site_at(vec![p], "https://a.grove.place", "A");
    let rss = body(&site, FeedKind::Rss, None);
    assert!(
        rss.contains("<pubDate>Mon, 30 Nov 2026 08:05:09 GMT</pubDate>"),
        "{rss}"
    );
    let atom = body(&site, FeedKind::Atom, None);
    assert!(
        atom.contains("<published>2026-11-30T08:05:09Z</published>"),
        "{atom}"
    );
    assert!(
        atom.contains("<updated>2026-11-30T09:05:09Z</updated>"),
        "{atom}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&body(&site, FeedKind::Json, None)).unwrap_or_default();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["items"][0]["date_published"], "2026-11-30T08:05:09Z");
    assert_eq!(json["items"][0]["date_modified"], "2026-11-30T09:05:09Z");
    for kind in FeedKind::ALL {
        let f = feed(&site, kind, None);
        let published = f.entries[0].published.map(|d| d.timestamp_millis());
        assert_eq!(published, Some(T), "{kind:?}");
    }
    for kind in [FeedKind::Atom, FeedKind::Json] {
        let updated = feed(&site, kind, None).entries[0]
            .updated
            .map(|d| d.timestamp_millis());
        assert_eq!(updated, Some(T + 3_600_000), "{kind:?}");
    }
}

#[test]
fn ids_survive_a_slug_rename_and_a_new_domain_but_differ_per_post_and_blog() {
    let before = site_at(vec![live("old-slug", T, &[])], "https://a.grove.place", "A");
    let mut renamed = live("new-slug", T, &[]);
    renamed.id = "id-old-slug".into();
    let after = site_at(vec![renamed], "https://example.com", "A, renamed");
    for kind in FeedKind::ALL {
        let (a, b) = (feed(&before, kind, None), feed(&after, kind, None));
        assert_eq!(a.entries[0].id, b.entries[0].id, "{kind:?}");
        assert_eq!(a.entries[0].id, entry::post_id("t_test", "id-old-slug"));
        assert!(!a.entries[0].id.contains("slug") && !a.entries[0].id.contains("grove.place"));
        assert!(b.entries[0].links[0].href == "https://example.com/blog/new-slug");
    }
    let id = entry::post_id("t_test", "id-old-slug");
    assert!(
        id.starts_with("urn:uuid:") && id.len() == "urn:uuid:".len() + 36,
        "{id}"
    );
    assert_eq!(&id[9 + 14..9 + 15], "8", "a version 8 UUID: {id}");
    assert_ne!(id, entry::post_id("t_test", "id-other"));
    assert_ne!(id, entry::post_id("t_other", "id-old-slug"));
    let rss = before
        .render(&ReaderRoute::Feed {
            kind: FeedKind::Rss,
            tag: None,
        })
        .html;
    assert!(
        rss.contains(&format!("<guid isPermaLink=\"false\">{id}</guid>")),
        "{rss}"
    );
}

#[test]
fn post_html_is_full_sanitised_and_its_links_and_media_absolute() {
    let mut p = live("pics", T, &[]);
    p.markdown = "Intro with [about](/about) and [notes](#notes).\n\n\
        ![A fern](/media/0123abcd.png)\n\n<script>alert(1)</script>\n\n\
        [away](https://example.org/x)\n\n## Notes\n\nThe **end**."
        .into();
    let site = site_at(vec![p], "https://a.grove.place", "A");
    for kind in FeedKind::ALL {
        let html = content(&feed(&site, kind, None).entries[0]);
        assert!(
            html.contains("src=\"https://a.grove.place/media/0123abcd.png\""),
            "{kind:?}: {html}"
        );
        assert!(
            html.contains("href=\"https://a.grove.place/about\""),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://a.grove.place/blog/pics#notes\""),
            "{html}"
        );
        assert!(html.contains("href=\"https://example.org/x\""), "{html}");
        assert!(
            html.contains("<strong>end</strong>"),
            "the whole post: {html}"
        );
        assert!(
            !html.contains("<script") && !html.contains("alert(1)"),
            "{html}"
        );
        assert!(!html.contains("=\"/"), "no relative URL left: {html}");
    }
}

#[test]
fn author_tags_and_markup_in_titles_come_through_intact() {
    let mut p = live("tagged", T, &["rust", "café"]);
    p.title = "Fish & <chips> \"quoted\"".into();
    let site = site_at(vec![p], "https://a.grove.place", "Tom's <Blog> & co");
    for kind in FeedKind::ALL {
        let f = feed(&site, kind, None);
        let e = &f.entries[0];
        assert_eq!(
            e.title.as_ref().map(|t| t.content.as_str()),
            Some("Fish & <chips> \"quoted\""),
            "{kind:?}"
        );
        let terms: Vec<&str> = e.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["rust", "café"], "{kind:?}");
        let authors: Vec<&str> = e
            .authors
            .iter()
            .chain(f.authors.iter())
            .filter_map(|a| a.name.as_deref())
            .collect();
        assert!(
            authors.contains(&"Tom's <Blog> & co"),
            "{kind:?}: {authors:?}"
        );
    }
}

#[test]
fn a_tag_feed_lists_only_that_tag_and_a_tag_nobody_carries_is_a_404() {
    let site = site_at(
        vec![
            live("a", T, &["rust"]),
            live("b", T - 1000, &["garden"]),
            live("c", T - 2000, &["rust", "garden"]),
        ],
        "https://a.grove.place",
        "A",
    );
    for kind in FeedKind::ALL {
        let f = feed(&site, kind, Some("rust"));
        let urls: Vec<&str> = f.entries.iter().map(|e| e.links[0].href.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://a.grove.place/blog/a",
                "https://a.grove.place/blog/c"
            ]
        );
        let gone = site.render(&ReaderRoute::Feed {
            kind,
            tag: Some("nobody".into()),
        });
        assert_eq!(gone.status, 404);
    }
    let atom = body(&site, FeedKind::Atom, Some("rust"));
    assert!(
        atom.contains("href=\"https://a.grove.place/tags/rust/atom.xml\""),
        "{atom}"
    );
    assert!(
        atom.contains("href=\"https://a.grove.place/tags/rust\""),
        "{atom}"
    );
}

#[test]
fn an_empty_blog_has_valid_empty_feeds() {
    let site = site_with(vec![], vec![]);
    for kind in FeedKind::ALL {
        assert!(feed(&site, kind, None).entries.is_empty());
    }
}

#[test]
fn feed_paths_route_key_and_read_back() {
    let cases = [
        ("/rss.xml", FeedKind::Rss, None),
        ("/atom.xml", FeedKind::Atom, None),
        ("/feed.json", FeedKind::Json, None),
        ("/tags/rust/rss.xml", FeedKind::Rss, Some("rust")),
        ("/tags/caf%C3%A9/feed.json", FeedKind::Json, Some("café")),
    ];
    for (path, kind, tag) in cases {
        let route = ReaderRoute::Feed {
            kind,
            tag: tag.map(str::to_string),
        };
        assert_eq!(reader_route(path, None), Ok(route.clone()), "{path}");
        assert_eq!(route.path(), path);
        assert!(route.prerendered());
        assert_eq!(ReaderRoute::from_cache_key(&route.cache_key()), Some(route));
    }
    for path in ["/favicon.svg", "/favicon.ico"] {
        let route = reader_route(path, None);
        assert!(matches!(route, Ok(ReaderRoute::Favicon(_))), "{path}");
        let route = route.unwrap_or(ReaderRoute::Home);
        assert_eq!(route.path(), path);
        assert_eq!(ReaderRoute::from_cache_key(&route.cache_key()), Some(route));
    }
    for path in [
        "/tags/Rust/rss.xml",
        "/tags/rust/rss.json",
        "/rss",
        "/blog/rss.xml",
        "/x/rss.xml",
    ] {
        assert_eq!(reader_route(path, None), Err(RouteMiss::NotFound), "{path}");
    }
}

#[test]
fn writes_reach_the_feeds_through_the_keys_they_affect() {
    let site = site_at(vec![live("a", T, &["rust"])], "https://a.grove.place", "A");
    let lists = site.list_keys();
    for key in ["feed:rss:", "feed:atom:", "feed:json:"] {
        assert!(lists.contains(&key.to_string()), "{key} in {lists:?}");
    }
    let all = site.all_keys();
    for key in ["feed:rss:", "feed:atom:rust", "icon:svg", "icon:ico"] {
        assert!(all.contains(&key.to_string()), "{key} in {all:?}");
    }
}

#[test]
fn every_page_head_links_the_feeds_and_the_icon_and_tag_pages_their_own() {
    let site = site_at(
        vec![live("a", T, &["café"])],
        "https://a.grove.place",
        "A & B",
    );
    let home = site.render(&ReaderRoute::Home).html;
    assert!(home.contains(r#"<link rel="alternate" type="application/rss+xml" title="A &amp; B (RSS)" href="/rss.xml">"#), "{home}");
    assert!(
        home.contains(r#"type="application/atom+xml""#) && home.contains(r#"href="/atom.xml""#)
    );
    assert!(
        home.contains(r#"type="application/feed+json""#) && home.contains(r#"href="/feed.json""#)
    );
    assert!(home.contains(r#"<link rel="icon" type="image/svg+xml" href="/favicon.svg">"#));
    assert!(
        !home.contains("/tags/caf%C3%A9/rss.xml"),
        "no tag feed on the home page's head"
    );
    let tag = site
        .render(&ReaderRoute::Tag {
            tag: "café".into(),
            page: 1,
        })
        .html;
    assert!(tag.contains(r#"href="/tags/caf%C3%A9/atom.xml""#), "{tag}");
    assert!(tag.contains("A &amp; B · #café (JSON Feed)"), "{tag}");
    let post = site.render(&ReaderRoute::Post("a".into())).html;
    assert!(post.contains(r#"href="/rss.xml""#) && post.contains(r#"href="/favicon.svg""#));
}

#[test]
fn the_favicon_is_the_initial_on_the_accent_colour() {
    let mut site = site_at(vec![], "https://a.grove.place", "  ünder <the> tree");
    site.info.settings.primary_color = crate::theme::Color::parse("#ffee00");
    let icon = site.render(&ReaderRoute::Favicon(favicon::IconPath::Svg));
    assert_eq!(
        (icon.status, icon.format),
        (200, crate::reader_headers::Format::Svg)
    );
    assert!(
        icon.html
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{}",
        icon.html
    );
    assert!(
        icon.html.contains("fill=\"#ffee00\""),
        "the owner's accent: {}",
        icon.html
    );
    assert!(icon.html.contains(">Ü</text>"), "{}", icon.html);
    assert!(
        icon.html.contains("fill=\"#111111\""),
        "dark ink on a light accent"
    );
    let ico = site.render(&ReaderRoute::Favicon(favicon::IconPath::Ico));
    assert_eq!(ico.html, icon.html);
    assert_eq!(favicon::initial("<&>"), "G");
    assert_eq!(favicon::initial("42 things"), "4");
    let theme_accent = site_with(vec![], vec![]);
    let midnight = favicon::blog_icon(&theme_accent.info.settings);
    assert!(
        midnight.contains("fill=\"#7aa2f7\"") && midnight.contains(">T</text>"),
        "{midnight}"
    );
    let platform = favicon::platform_icon();
    assert!(
        platform.contains(">G</text>") && platform.contains("#ffffff"),
        "{platform}"
    );
}

#[test]
fn a_feed_is_rendered_once_per_content_and_reuses_post_html() {
    let site = site_at(vec![live("a", T, &[])], "https://a.grove.place", "A");
    let route = ReaderRoute::Feed {
        kind: FeedKind::Atom,
        tag: None,
    };
    let (one, two) = (site.render(&route), site.render(&route));
    assert_eq!(
        one.etag, two.etag,
        "the same content gives the same validator"
    );
    let mut edited = live("a", T, &[]);
    edited.markdown = "Changed.".into();
    let changed = site_at(vec![edited], "https://a.grove.place", "A").render(&route);
    assert_ne!(changed.etag, one.etag);
    assert!(changed.html.contains("Changed."));
}
