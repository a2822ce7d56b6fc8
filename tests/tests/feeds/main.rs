//! Feeds and the favicon against the real runtime: the feeds list exactly
//! the published posts (read back by a real feed reader), a publish purges
//! them at the edge, they carry their types and validators (ETag, 304),
//! and hot reads make no D1 query. The favicon answers on every host.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::json;

const FEEDS: [(&str, &str); 3] = [
    ("/rss.xml", "application/rss+xml"),
    ("/atom.xml", "application/atom+xml"),
    ("/feed.json", "application/feed+json"),
];

fn d1(reply: &Reply) -> u64 {
    reply
        .header("x-grove-d1-queries")
        .and_then(|v| v.parse().ok())
        .expect("the D1 counter header (DEV_METRICS)")
}

async fn get(g: &Grove, host: &str, path: &str) -> Reply {
    g.send(g.request(Method::GET, host, path)).await
}

fn parse(reply: &Reply) -> feed_rs::model::Feed {
    feed_rs::parser::parse(reply.body.as_bytes())
        .unwrap_or_else(|e| panic!("not a feed ({e}): {}", reply.body))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect()
}

async fn create(g: &Grove, o: &Owner, body: serde_json::Value) -> String {
    let created = o.api(g, Method::POST, "/admin/api/posts", Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_feeds_list_exactly_the_published_posts_with_absolute_links() {
    let g = Grove::from_env();
    let o = g.sign_up("feedlist").await;
    let host = o.host(&g);
    let origin = g.tenant_origin(&o.subdomain);
    create(
        &g,
        &o,
        json!({"title": "Ferns", "status": "published", "tags": ["garden"],
        "markdown": "See ![a fern](/media/0123456789abcdef.png) and [the about page](/about)."}),
    )
    .await;
    create(
        &g,
        &o,
        json!({"title": "Tides", "status": "published", "markdown": "Low tide."}),
    )
    .await;
    create(
        &g,
        &o,
        json!({"title": "Secret Draft", "status": "draft", "markdown": "Not yet."}),
    )
    .await;
    create(
        &g,
        &o,
        json!({"title": "Next Year", "status": "scheduled",
        "publish_at": 4_102_444_800_000_i64, "markdown": "Later."}),
    )
    .await;

    for (path, kind) in FEEDS {
        let r = get(&g, &host, path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert!(
            r.header("content-type")
                .unwrap_or_default()
                .starts_with(kind),
            "{path}: {:?}",
            r.headers
        );
        let feed = parse(&r);
        let mut got = titles(&feed);
        got.sort();
        assert_eq!(
            got,
            ["Ferns", "Tides"],
            "{path}: exactly the published posts"
        );
        let ferns = feed
            .entries
            .iter()
            .find(|e| e.title.as_ref().is_some_and(|t| t.content == "Ferns"))
            .unwrap();
        assert_eq!(
            ferns.links[0].href,
            format!("{origin}/blog/ferns"),
            "{path}"
        );
        assert!(
            ferns.id.starts_with("urn:uuid:") && !ferns.id.contains("ferns"),
            "{path}"
        );
        let html = ferns
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(
            html.contains(&format!("src=\"{origin}/media/0123456789abcdef.png\"")),
            "{path}: {html}"
        );
        assert!(
            html.contains(&format!("href=\"{origin}/about\"")),
            "{path}: {html}"
        );
        let terms: Vec<&str> = ferns.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["garden"], "{path}");
    }
    for (path, _) in FEEDS {
        let tagged = get(&g, &host, &format!("/tags/garden{path}")).await;
        assert_eq!(tagged.status, 200, "{path}");
        assert_eq!(
            titles(&parse(&tagged)),
            ["Ferns"],
            "{path}: only the tag's posts"
        );
        assert_eq!(
            get(&g, &host, &format!("/tags/nobody{path}")).await.status,
            404
        );
    }
    let home = get(&g, &host, "/").await;
    assert!(home
        .body
        .contains(r#"<link rel="alternate" type="application/rss+xml""#));
    assert!(
        home.body.contains(r#"href="/atom.xml""#) && home.body.contains(r#"href="/feed.json""#)
    );
    assert!(home
        .body
        .contains(r#"<link rel="icon" type="image/svg+xml" href="/favicon.svg">"#));
    let tag_page = get(&g, &host, "/tags/garden").await;
    assert!(tag_page.body.contains(r#"href="/tags/garden/rss.xml""#));
}

#[tokio::test]
async fn feeds_are_edge_pages_with_validators_and_a_publish_purges_them() {
    let g = Grove::from_env();
    let o = g.sign_up("feedpurge").await;
    let host = o.host(&g);
    create(
        &g,
        &o,
        json!({"title": "First", "status": "published", "markdown": "One."}),
    )
    .await;
    let draft = create(
        &g,
        &o,
        json!({"title": "Second", "status": "draft", "markdown": "Two."}),
    )
    .await;

    let mut etags = Vec::new();
    for (path, _) in FEEDS {
        let first = get(&g, &host, path).await;
        assert_eq!(first.status, 200, "{path}");
        let again = get(&g, &host, path).await;
        assert_eq!(again.header("x-grove-edge"), Some("hit"), "{path}");
        assert_eq!(d1(&again), 0, "{path}: a hot feed reads no D1");
        let etag = again.header("etag").expect("an ETag").to_string();
        assert!(again.header("last-modified").is_some(), "{path}");
        let not_modified = g
            .send(
                g.request(Method::GET, &host, path)
                    .header("if-none-match", &etag),
            )
            .await;
        assert_eq!(not_modified.status, 304, "{path}");
        assert!(not_modified.body.is_empty());
        etags.push(etag);
    }

    let publish =
        json!({"title": "Second", "status": "published", "markdown": "Two.", "version": 1});
    let r = o
        .api(
            &g,
            Method::PUT,
            &format!("/admin/api/posts/{draft}"),
            Some(publish),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for ((path, _), old) in FEEDS.iter().zip(&etags) {
        let r = get(&g, &host, path).await;
        assert_eq!(r.status, 200, "{path}");
        let mut got = titles(&parse(&r));
        got.sort();
        assert_eq!(
            got,
            ["First", "Second"],
            "{path}: the publish shows at once"
        );
        assert_ne!(r.header("etag"), Some(old.as_str()), "{path}");
        let stale = g
            .send(
                g.request(Method::GET, &host, path)
                    .header("if-none-match", old),
            )
            .await;
        assert_eq!(
            stale.status, 200,
            "{path}: the old validator no longer matches"
        );
    }

    let settings = json!({"site_title": "Renamed Feeds"});
    let r = o
        .api(&g, Method::PUT, "/admin/api/settings", Some(settings))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for (path, _) in FEEDS {
        let feed = parse(&get(&g, &host, path).await);
        assert_eq!(
            feed.title.map(|t| t.content),
            Some("Renamed Feeds".to_string()),
            "{path}: a title change shows"
        );
    }
}

#[tokio::test]
async fn the_favicon_answers_on_blog_and_platform_hosts() {
    let g = Grove::from_env();
    let o = g.sign_up("feedicon").await;
    let host = o.host(&g);
    let settings = json!({"site_title": "Quiet Harbour", "primary_color": "#1d4ed8"});
    let r = o
        .api(&g, Method::PUT, "/admin/api/settings", Some(settings))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for path in ["/favicon.svg", "/favicon.ico"] {
        let r = get(&g, &host, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some("image/svg+xml"), "{path}");
        assert!(
            r.body.contains(">Q</text>") && r.body.contains("#1d4ed8"),
            "{path}: {}",
            r.body
        );
        let again = get(&g, &host, path).await;
        assert_eq!(again.header("x-grove-edge"), Some("hit"), "{path}");
        assert_eq!(d1(&again), 0, "{path}");
    }
    let apex = g.base_domain.clone();
    let auth = format!("auth.{}", g.base_domain);
    for h in [apex.as_str(), auth.as_str()] {
        let r = get(&g, h, "/favicon.ico").await;
        assert_eq!(r.status, 200, "{h}");
        assert_eq!(r.header("content-type"), Some("image/svg+xml"), "{h}");
        assert!(r.body.contains(">G</text>"), "{h}: the platform's icon");
    }
}
