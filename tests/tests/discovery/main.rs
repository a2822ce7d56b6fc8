//! Discovery end to end, against the real runtime: the sitemap lists
//! exactly what readers can see and follows every publish; robots.txt and
//! `noindex` follow the owner's setting; posts carry OpenGraph, Twitter and
//! JSON-LD; a renamed post's old address answers 301 (and the editor says
//! so); `/blog?tag=X` answers 301 to `/tags/X`. Sitemaps and redirects
//! are answered without reading D1 once hot (`x-grove-d1-queries`).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use quick_xml::events::Event;
use quick_xml::Reader;
use reqwest::Method;
use serde_json::{json, Value};

/// GET `path` on a blog's host (sent to loopback with its Host header).
async fn get(g: &Grove, host: &str, path: &str) -> Reply {
    g.send(g.request(Method::GET, host, path)).await
}

/// GET `path` again with the validator a reader kept.
async fn revalidate(g: &Grove, host: &str, path: &str, etag: &str) -> Reply {
    g.send(
        g.request(Method::GET, host, path)
            .header("if-none-match", etag),
    )
    .await
}

async fn create(g: &Grove, o: &Owner, body: Value) -> String {
    let created = o.api(g, Method::POST, "/admin/api/posts", Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()["id"].as_str().unwrap().to_string()
}

/// The text of every `<loc>` of a sitemap, read with an XML parser (which
/// also proves the document well-formed).
fn locs(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut text: Option<String> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == "loc" => text = Some(String::new()),
            Event::Text(t) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(&t.into_inner());
                }
            }
            Event::End(e) if e.name().as_ref() == "loc" => out.extend(text.take()),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn the_sitemap_lists_exactly_what_readers_see_and_follows_a_publish() {
    let g = Grove::from_env();
    let o = g.sign_up("sitemap").await;
    let host = o.host(&g);
    let origin = g.origin(&host);
    create(
        &g,
        &o,
        json!({"title": "Morning Fog", "markdown": "Grey.", "status": "published", "tags": ["weather"]}),
    )
    .await;
    create(
        &g,
        &o,
        json!({"title": "Secret Draft", "markdown": "Not yet.", "status": "draft", "tags": ["hidden"]}),
    )
    .await;
    let page = o
        .api(
            &g,
            Method::POST,
            "/admin/api/pages",
            Some(json!({"title": "Colophon", "markdown": "Set in Charter."})),
        )
        .await;
    assert_eq!(page.status, 201, "{}", page.body);

    let first = get(&g, &host, "/sitemap.xml").await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        first.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    let mut listed = locs(&first.body);
    listed.sort();
    let mut expected: Vec<String> = [
        "/",
        "/blog",
        "/blog/morning-fog",
        "/colophon",
        "/tags/weather",
    ]
    .iter()
    .map(|p| format!("{origin}{p}"))
    .collect();
    expected.sort();
    assert_eq!(listed, expected, "published posts, pages and tags only");
    assert!(first.body.contains("<lastmod>"));

    // Kept at the edge, validated, and no D1 once hot.
    let again = get(&g, &host, "/sitemap.xml").await;
    assert_eq!(again.header("x-grove-edge"), Some("hit"));
    assert_eq!(again.d1_queries(), 0);
    let etag = again.header("etag").unwrap().to_string();
    let unchanged = revalidate(&g, &host, "/sitemap.xml", &etag).await;
    assert_eq!(unchanged.status, 304);

    // A publish changes it at once.
    create(
        &g,
        &o,
        json!({"title": "Evening Rain", "markdown": "Wet.", "status": "published"}),
    )
    .await;
    let after = revalidate(&g, &host, "/sitemap.xml", &etag).await;
    assert_eq!(after.status, 200, "purged by the publish");
    assert!(locs(&after.body).contains(&format!("{origin}/blog/evening-rain")));
}

#[tokio::test]
async fn robots_and_noindex_follow_the_owners_setting() {
    let g = Grove::from_env();
    let o = g.sign_up("robots").await;
    let host = o.host(&g);
    create(
        &g,
        &o,
        json!({"title": "Hello", "markdown": "Hi.", "status": "published"}),
    )
    .await;
    let robots = get(&g, &host, "/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert_eq!(
        robots.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(robots.body.lines().any(|l| l == "Allow: /"));
    let sitemap_line = format!("Sitemap: {}/sitemap.xml", g.origin(&host));
    assert!(
        robots.body.lines().any(|l| l == sitemap_line),
        "{}",
        robots.body
    );
    let home = get(&g, &host, "/").await;
    assert!(!home.body.contains("name=\"robots\""));

    let settings = o.page(&g, "/admin/settings").await;
    assert!(settings
        .body
        .contains("name=\"discourage_search\" value=\"on\" aria-describedby"));
    let on = o
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"discourage_search": true})),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.body);
    assert_eq!(on.json()["discourage_search"], true);

    let robots = get(&g, &host, "/robots.txt").await;
    assert!(robots.body.lines().any(|l| l == "Disallow: /"));
    assert!(!robots.body.contains("Allow: /\n"));
    for path in ["/", "/blog", "/blog/hello"] {
        let page = get(&g, &host, path).await;
        assert!(
            page.body
                .contains("<meta name=\"robots\" content=\"noindex\">"),
            "{path}"
        );
    }
    let bad = o
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"discourage_search": "yes"})),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.json()["error"], "bad_request");
}

#[tokio::test]
async fn a_post_tells_link_previews_and_search_engines_what_it_is() {
    let g = Grove::from_env();
    let o = g.sign_up("ogmeta").await;
    let host = o.host(&g);
    let origin = g.origin(&host);
    create(
        &g,
        &o,
        json!({"title": "Leaves </script> & light", "slug": "leaves-and-light", "status": "published", "tags": ["autumn"],
            "markdown": "The first paragraph says what it is about.\n\n![Maple](/media/0123456789abcdef.png)"}),
    )
    .await;
    let post = get(&g, &host, "/blog/leaves-and-light").await;
    assert_eq!(post.status, 200, "{}", post.body);
    let b = &post.body;
    assert!(b.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(
        b.contains("<meta property=\"og:title\" content=\"Leaves &lt;/script&gt; &amp; light\">")
    );
    assert!(b.contains(
        "<meta property=\"og:description\" content=\"The first paragraph says what it is about.\">"
    ));
    assert!(b.contains(&format!(
        "<meta property=\"og:image\" content=\"{origin}/media/0123456789abcdef.png\">"
    )));
    assert!(b.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let open = "<script type=\"application/ld+json\">";
    let start = b.find(open).expect("JSON-LD") + open.len();
    let end = start + b[start..].find("</script>").unwrap();
    let ld: Value = serde_json::from_str(&b[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "Leaves </script> & light");
    assert_eq!(ld["url"], format!("{origin}/blog/leaves-and-light"));
    assert!(post
        .header("content-security-policy")
        .is_some_and(|csp| !csp.contains("script-src")));
}

#[tokio::test]
async fn a_renamed_post_keeps_its_old_address_as_a_301() {
    let g = Grove::from_env();
    let o = g.sign_up("oldslug").await;
    let host = o.host(&g);
    let id = create(
        &g,
        &o,
        json!({"title": "Moving Day", "markdown": "Boxes.", "status": "published"}),
    )
    .await;
    assert_eq!(get(&g, &host, "/blog/moving-day").await.status, 200);

    // Renamed through the editor's form: the editor says so.
    let editor = o.page(&g, &format!("/admin/posts/{id}")).await;
    let saved = o
        .form(
            &g,
            &format!("/admin/posts/{id}"),
            &[
                ("title", "Moving Day"),
                ("slug", "moved-in"),
                ("markdown", "Boxes."),
                ("tags", ""),
                ("publish_at", ""),
                ("version", "1"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.header("location").unwrap().to_string();
    assert!(location.ends_with("notice=moved"), "{location}");
    assert!(editor.body.contains("Moving Day"));
    let path = location
        .find("/admin/")
        .map_or(location.as_str(), |i| &location[i..]);
    let after = o.page(&g, path).await;
    assert!(after
        .body
        .contains("Updated. The old address now redirects here."));
    assert!(after
        .body
        .contains("<code>/blog/moving-day</code> now redirects here."));

    for _ in 0..2 {
        let old = get(&g, &host, "/blog/moving-day").await;
        assert_eq!(old.status, 301, "{}", old.body);
        assert_eq!(old.header("location"), Some("/blog/moved-in"));
        assert_eq!(old.d1_queries(), 0, "answered from the actor's memory");
    }
    let new = get(&g, &host, "/blog/moved-in").await;
    assert_eq!(new.status, 200);

    // A new post taking the old slug wins over the redirect.
    create(
        &g,
        &o,
        json!({"title": "Moving Day", "slug": "moving-day", "markdown": "A new story.", "status": "published"}),
    )
    .await;
    let taken = get(&g, &host, "/blog/moving-day").await;
    assert_eq!(taken.status, 200);
    assert!(taken.body.contains("A new story."));
}

#[tokio::test]
async fn blog_with_a_tag_query_answers_301_to_the_tag_page() {
    let g = Grove::from_env();
    let o = g.sign_up("tagalias").await;
    let host = o.host(&g);
    create(
        &g,
        &o,
        json!({"title": "Frost", "markdown": "Cold.", "status": "published", "tags": ["winter", "café"]}),
    )
    .await;
    for (path, to) in [
        ("/blog?tag=winter", "/tags/winter"),
        ("/blog?tag=Caf%C3%A9", "/tags/caf%C3%A9"),
        ("/blog?tag=winter&page=2", "/tags/winter?page=2"),
    ] {
        let r = get(&g, &host, path).await;
        assert_eq!(r.status, 301, "{path}: {}", r.body);
        assert_eq!(r.header("location"), Some(to), "{path}");
        assert_eq!(r.d1_queries(), 0, "{path}");
    }
    let r = get(&g, &host, "/tags/caf%C3%A9").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Frost"));
}
