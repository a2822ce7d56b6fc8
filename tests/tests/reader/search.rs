//! Search on a blog, against the real runtime: the index follows every
//! write at once, drafts are never found, one blog never finds another's
//! posts, and no input gives a 5xx or unescaped markup.

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::{json, Value};

use super::grove;

async fn search(g: &Grove, host: &str, q: &str) -> Reply {
    let q: String = url_escape(q);
    g.send(g.request(Method::GET, host, &format!("/search.json?q={q}")))
        .await
}

fn url_escape(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn titles(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|h| h["title"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn post(g: &Grove, o: &Owner, title: &str, markdown: &str, status: &str) -> Value {
    let body = json!({"title": title, "markdown": markdown, "status": status, "tags": ["notes"]});
    let created = o.api(g, Method::POST, "/admin/api/posts", Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()
}

#[tokio::test]
async fn the_index_follows_publish_edit_unpublish_and_delete_at_once() {
    let g = grove();
    let o = g.sign_up("finder").await;
    let host = o.host(&g);
    let p = post(
        &g,
        &o,
        "Gardens in Winter",
        "Frost on the kale and a robin.",
        "published",
    )
    .await;
    post(
        &g,
        &o,
        "Secret Draft",
        "The kale plan nobody may read.",
        "draft",
    )
    .await;

    assert_eq!(
        titles(&search(&g, &host, "kale").await),
        vec!["Gardens in Winter"]
    );
    assert_eq!(
        titles(&search(&g, &host, "garde").await),
        vec!["Gardens in Winter"],
        "prefix"
    );
    assert_eq!(
        titles(&search(&g, &host, "garden").await),
        vec!["Gardens in Winter"],
        "stemming"
    );
    assert_eq!(
        titles(&search(&g, &host, "ROBIN").await),
        vec!["Gardens in Winter"],
        "case"
    );
    assert!(
        titles(&search(&g, &host, "nobody").await).is_empty(),
        "drafts are never found"
    );

    let id = p["id"].as_str().unwrap_or_default();
    let edit = json!({"title": "Gardens in Winter", "markdown": "Snow on the leeks.",
        "status": "published", "version": p["version"]});
    let edited = o
        .api(
            &g,
            Method::PUT,
            &format!("/admin/api/posts/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert!(
        titles(&search(&g, &host, "robin").await).is_empty(),
        "old words are gone"
    );
    assert_eq!(
        titles(&search(&g, &host, "leeks").await),
        vec!["Gardens in Winter"]
    );

    let version = edited.json()["version"].clone();
    let unpublish = json!({"title": "Gardens in Winter", "markdown": "Snow on the leeks.",
        "status": "draft", "version": version});
    let r = o
        .api(
            &g,
            Method::PUT,
            &format!("/admin/api/posts/{id}"),
            Some(unpublish),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        titles(&search(&g, &host, "leeks").await).is_empty(),
        "unpublished: gone"
    );

    let other = post(&g, &o, "Onions", "Onions keep well.", "published").await;
    assert_eq!(titles(&search(&g, &host, "onions").await), vec!["Onions"]);
    let oid = other["id"].as_str().unwrap_or_default();
    let deleted = o
        .api(&g, Method::DELETE, &format!("/admin/api/posts/{oid}"), None)
        .await;
    assert!(deleted.status < 300, "{}", deleted.body);
    assert!(
        titles(&search(&g, &host, "onions").await).is_empty(),
        "deleted: gone"
    );
}

#[tokio::test]
async fn a_title_match_outranks_a_body_match_and_the_page_is_themed_and_escaped() {
    let g = grove();
    let o = g.sign_up("ranker").await;
    let host = o.host(&g);
    post(
        &g,
        &o,
        "Notes",
        "Something about beetroot, in passing.",
        "published",
    )
    .await;
    post(&g, &o, "Beetroot", "A short one.", "published").await;
    assert_eq!(
        titles(&search(&g, &host, "beetroot").await),
        vec!["Beetroot", "Notes"]
    );

    let page = g
        .send(g.request(Method::GET, &host, "/search?q=beetroot+%3Cscript%3E"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("--accent:"), "in the blog's theme");
    assert!(!page.body.contains("<script>"), "the query is escaped");
    let found = g
        .send(g.request(Method::GET, &host, "/search?q=passing"))
        .await;
    assert!(
        found.body.contains("<mark>passing</mark>"),
        "{}",
        found.body
    );
    assert!(found.body.contains("1 result"));
    // A title match is marked in the title.
    let titled = g
        .send(g.request(Method::GET, &host, "/search?q=beetroot"))
        .await;
    assert!(
        titled.body.contains("<mark>Beetroot</mark></a>"),
        "{}",
        titled.body
    );
    let none = g
        .send(g.request(Method::GET, &host, "/search?q=zzzzqqq"))
        .await;
    assert!(none.body.contains("Nothing matches"));
}

#[tokio::test]
async fn one_blog_never_finds_anothers_posts() {
    let g = grove();
    let a = g.sign_up("searcha").await;
    let b = g.sign_up("searchb").await;
    post(
        &g,
        &a,
        "Aardvark Diary",
        "Only on blog A: xylophone.",
        "published",
    )
    .await;
    assert_eq!(
        titles(&search(&g, &a.host(&g), "xylophone").await),
        vec!["Aardvark Diary"]
    );
    assert!(titles(&search(&g, &b.host(&g), "xylophone").await).is_empty());
}

#[tokio::test]
async fn hostile_queries_get_a_page_never_a_5xx() {
    let g = grove();
    let host = format!("autumn.{}", g.base_domain);
    let hostile = [
        "\"",
        "\"unbalanced",
        "NEAR(a b)",
        "NEAR(",
        "title:secret",
        "{title}:x",
        "^a",
        "a*",
        "*",
        "a OR b",
        "NOT a",
        "((((",
        "'; DROP TABLE posts; --",
        "1 OR 1=1",
        "\u{1}\u{7f}",
        "🌱",
        "日本語",
        "<script>alert(1)</script>",
        "-",
        "- -beans",
        "a:b",
        "%",
        "\\",
        "",
    ];
    for q in hostile {
        for path in ["/search", "/search.json"] {
            let r = g
                .send(g.request(Method::GET, &host, &format!("{path}?q={}", url_escape(q))))
                .await;
            assert_eq!(r.status, 200, "{path} {q:?}: {}", r.body);
            assert!(!r.body.contains("<script>alert"), "{path} {q:?}");
        }
    }
    let long = "a".repeat(201);
    let r = g
        .send(g.request(Method::GET, &host, &format!("/search?q={long}")))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("at most 200 characters"));
    let seeded = titles(&search(&g, &host, "chutney").await);
    assert_eq!(
        seeded.first().map(String::as_str),
        Some("Green Tomato Chutney"),
        "the demo seed is searchable, the title match first: {seeded:?}"
    );
}

#[tokio::test]
async fn the_owners_filter_finds_drafts_too_and_readers_never_do() {
    let g = grove();
    let o = g.sign_up("filterer").await;
    post(
        &g,
        &o,
        "Parsnip Soup",
        "Roast the parsnips first.",
        "published",
    )
    .await;
    post(&g, &o, "Parsnip Cake", "A draft about parsnips.", "draft").await;
    post(&g, &o, "Leek Tart", "Nothing about roots.", "published").await;

    let filtered = o.page(&g, "/admin?q=parsnip").await;
    assert_eq!(filtered.status, 200, "{}", filtered.body);
    assert!(
        filtered.body.contains("2 posts match “parsnip”."),
        "{}",
        filtered.body
    );
    assert!(filtered.body.contains("Parsnip Cake") && filtered.body.contains("Parsnip Soup"));
    assert!(
        !filtered.body.contains("Leek Tart"),
        "only the matches are listed"
    );
    assert_eq!(
        titles(&search(&g, &o.host(&g), "parsnip").await),
        vec!["Parsnip Soup"],
        "readers never find the draft"
    );
    let none = o.page(&g, "/admin?q=%22NEAR(%22").await;
    assert_eq!(none.status, 200);
    assert!(none.body.contains("No post matches"));
}

#[tokio::test]
async fn accents_and_other_scripts_are_found_as_readers_type_them() {
    let g = grove();
    let o = g.sign_up("accents").await;
    let host = o.host(&g);
    post(
        &g,
        &o,
        "Crème Brûlée",
        "Caramelised sugar on custard.",
        "published",
    )
    .await;
    let body = json!({"title": "日本の庭", "slug": "japanese-garden", "markdown": "苔と石の庭。",
        "status": "published"});
    let created = o
        .api(&g, Method::POST, "/admin/api/posts", Some(body))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        titles(&search(&g, &host, "creme brulee").await),
        vec!["Crème Brûlée"]
    );
    assert_eq!(
        titles(&search(&g, &host, "CRÈME").await),
        vec!["Crème Brûlée"]
    );
    assert_eq!(
        titles(&search(&g, &host, "caramelise").await),
        vec!["Crème Brûlée"],
        "stem"
    );
    assert_eq!(
        titles(&search(&g, &host, "日本の庭").await),
        vec!["日本の庭"]
    );
}
