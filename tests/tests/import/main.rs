//! Import, end to end against `wrangler dev`: a file read by the router,
//! previewed by the blog's actor (nothing written), then applied as one
//! write (posts rendered, listed, searchable at once); the same file
//! twice writes nothing; hostile files are refused whole with a 4xx and
//! leave nothing; the form flow works without JavaScript; and Grove's
//! own export imported into an empty blog gives identical posts. Each
//! test signs up its own blogs.

// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

use std::io::Write;

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;
use serde_json::Value;

const WXR: &str = include_str!("../../../shared/tests/fixtures/import/wordpress.xml");
const GHOST: &str = include_str!("../../../shared/tests/fixtures/import/ghost.json");

fn grove() -> Grove {
    Grove::from_env()
}

/// A zip of `(name, bytes)`, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        out.start_file(*name, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Two posts and a page, as Grove's export writes them.
fn export_zip() -> Vec<u8> {
    zip_of(&[
        (
            "posts/first-light.md",
            b"---\ntitle: 'First light: a start'\nslug: first-light\ndate: 2025-04-01T08:00:00Z\nupdated: 2025-04-02T09:00:00Z\ntags:\n- dawn\n- notes\nstatus: published\n---\n\nThe sun came up over the *hill*.\n",
        ),
        (
            "posts/unfinished.md",
            b"---\ntitle: Unfinished\nslug: unfinished\nupdated: 2025-04-03T09:00:00Z\nstatus: draft\n---\n\nStill writing.\n",
        ),
        (
            "pages/colophon.md",
            b"---\ntitle: Colophon\nslug: colophon\nupdated: 2025-04-03T09:00:00Z\nnav: true\nnav_order: 4\n---\n\nMade with care.\n",
        ),
        ("media/0123456789abcdef0123456789abcdef.png", b"\x89PNG\r\n"),
        ("settings.json", b"{\"site_title\":\"Elsewhere\"}"),
        ("README.md", b"# A Grove export"),
    ])
}

/// `POST /admin/api/import` with `bytes` as the body.
async fn import(g: &Grove, o: &Owner, query: &str, bytes: Vec<u8>) -> Reply {
    let req = g
        .request(
            Method::POST,
            &o.host(g),
            &format!("/admin/api/import?{query}"),
        )
        .header("cookie", format!("grove_session={}", o.session))
        .header("x-csrf-token", &o.csrf)
        .body(bytes);
    g.send(req).await
}

/// A multipart form of text `fields` and, if given, one `file`.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "grove-import-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    }
    if let Some((filename, bytes)) = file {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn form(g: &Grove, o: &Owner, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Reply {
    let (content_type, body) = multipart(fields, file);
    let req = g
        .request(Method::POST, &o.host(g), "/admin/import")
        .header("cookie", format!("grove_session={}", o.session))
        .header("content-type", content_type)
        .body(body);
    g.send(req).await
}

/// An anonymous GET of `path` on `host`, as a reader.
async fn read(g: &Grove, host: &str, path: &str) -> Reply {
    g.send(g.request(Method::GET, host, path)).await
}

async fn posts(g: &Grove, o: &Owner) -> Vec<Value> {
    let r = o.api(g, Method::GET, "/admin/api/posts", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_array().cloned().unwrap_or_default()
}

/// The value of the hidden input `name` in a page (HTML-unescaped).
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the hidden field") + marker.len();
    let end = start + html[start..].find('"').expect("its end");
    html[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn a_zip_is_previewed_then_imported_once_and_readers_see_it_at_once() {
    let g = grove();
    let o = g.sign_up("imp").await;
    let host = o.host(&g);

    let preview = import(&g, &o, "mode=preview", export_zip()).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let report = preview.json();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["format"], "grove_zip");
    assert_eq!(report["counts"]["create"], 3);
    assert_eq!(report["message"], "Ready to import: 3 new items.");
    assert!(report["notes"]
        .to_string()
        .contains("1 media file in media/ was not imported"));
    assert!(posts(&g, &o).await.is_empty(), "a preview writes nothing");
    assert_eq!(read(&g, &host, "/blog/first-light").await.status, 404);

    let applied = import(&g, &o, "mode=apply", export_zip()).await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    assert_eq!(applied.json()["imported"], true);
    let listed = posts(&g, &o).await;
    assert_eq!(listed.len(), 2);
    let first = listed.iter().find(|p| p["slug"] == "first-light").unwrap();
    assert_eq!(first["title"], "First light: a start");
    assert_eq!(first["status"], "published");
    assert_eq!(first["tags"], serde_json::json!(["dawn", "notes"]));
    assert_eq!(first["published_at"], 1_743_494_400_000_i64);
    assert_eq!(first["markdown"], "The sun came up over the *hill*.\n");

    // Readers: the post, the list, the tag page and the search, at once.
    let page = read(&g, &host, "/blog/first-light").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("First light: a start"));
    assert!(read(&g, &host, "/blog")
        .await
        .body
        .contains("First light: a start"));
    assert!(read(&g, &host, "/tags/dawn")
        .await
        .body
        .contains("First light: a start"));
    assert!(read(&g, &host, "/search?q=hill")
        .await
        .body
        .contains("First light"));
    assert_eq!(
        read(&g, &host, "/blog/unfinished").await.status,
        404,
        "a draft stays a draft"
    );
    assert!(read(&g, &host, "/colophon")
        .await
        .body
        .contains("Made with care."));
    let history = o
        .api(
            &g,
            Method::GET,
            &format!("/admin/api/posts/{}/history", first["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(
        history.json().as_array().map(Vec::len),
        Some(1),
        "{}",
        history.body
    );

    // The same file again: nothing new.
    let again = import(&g, &o, "mode=apply", export_zip()).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["imported"], false);
    assert_eq!(again.json()["counts"]["unchanged"], 3);
    assert_eq!(posts(&g, &o).await.len(), 2);
}

#[tokio::test]
async fn hostile_files_are_refused_whole_and_leave_nothing() {
    let g = grove();
    let o = g.sign_up("imh").await;
    let climbing = zip_of(&[
        ("posts/fine.md", b"---\ntitle: Fine\n---\nBody\n"),
        ("../evil.md", b"---\ntitle: Evil\n---\n"),
    ]);
    let zeros = vec![0u8; 20 * 1024 * 1024];
    let bomb = zip_of(&[("posts/zeros.md", &zeros)]);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "not a zip",
            b"PK\x03\x04 and then nothing".to_vec(),
            422,
            "bad_zip",
        ),
        ("a bomb", bomb, 413, "zip_bomb"),
        ("an entry climbing out", climbing, 422, "unsafe_name"),
        (
            "bad front matter",
            b"---\ntitle: [oops\n---\nBody".to_vec(),
            422,
            "front_matter",
        ),
        ("not XML", b"<rss><channel></item>".to_vec(), 422, "bad_xml"),
    ];
    for (what, bytes, status, code) in cases {
        for mode in ["preview", "apply"] {
            let r = import(&g, &o, &format!("mode={mode}"), bytes.clone()).await;
            assert_eq!(r.status, status, "{what} ({mode}): {}", r.body);
            let body = r.json();
            assert_eq!(
                (body["error"].as_str(), body["field"].as_str()),
                (Some(code), Some("file")),
                "{what}"
            );
            assert!(!body["message"].as_str().unwrap_or_default().is_empty());
        }
    }
    // Without the CSRF token: refused before anything is read.
    let no_token = g
        .send(
            g.request(Method::POST, &o.host(&g), "/admin/api/import?mode=apply")
                .header("cookie", format!("grove_session={}", o.session))
                .body(export_zip()),
        )
        .await;
    assert_eq!(no_token.status, 403);
    // Someone else's session: refused.
    let other = g.sign_up("imo").await;
    let foreign = g
        .send(
            g.request(Method::POST, &o.host(&g), "/admin/api/import?mode=apply")
                .header("cookie", format!("grove_session={}", other.session))
                .header("x-csrf-token", &other.csrf)
                .body(export_zip()),
        )
        .await;
    assert_eq!(foreign.status, 403);
    assert!(posts(&g, &o).await.is_empty());
}

#[tokio::test]
async fn wordpress_and_ghost_exports_import_with_scripts_removed_and_said() {
    let g = grove();
    let o = g.sign_up("imw").await;
    let host = o.host(&g);
    let preview = import(
        &g,
        &o,
        "mode=preview&filename=wordpress.xml",
        WXR.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let report = preview.json();
    assert_eq!(report["format"], "wxr");
    let seeds = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["slug"] == "seed-catalogue-notes")
        .unwrap()
        .clone();
    assert!(
        seeds["notes"].to_string().contains("removed on import"),
        "{seeds}"
    );
    let applied = import(&g, &o, "mode=apply", WXR.as_bytes().to_vec()).await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    let hello = read(&g, &host, "/blog/hello-from-the-garden").await;
    assert_eq!(hello.status, 200);
    assert!(hello.body.contains("The first shoots are up."));
    let stored = posts(&g, &o).await;
    let seeds = stored
        .iter()
        .find(|p| p["slug"] == "seed-catalogue-notes")
        .unwrap();
    assert!(!seeds["markdown"].as_str().unwrap().contains("<script"));
    assert_eq!(seeds["status"], "draft");

    let ghost = import(&g, &o, "mode=apply", GHOST.as_bytes().to_vec()).await;
    assert_eq!(ghost.status, 200, "{}", ghost.body);
    assert_eq!(ghost.json()["counts"]["create"], 3);
    let home = read(&g, &host, "/blog/coming-home").await;
    assert!(home.body.contains("We came home by train"));
    assert!(!home.body.contains("<iframe"));
}

#[tokio::test]
async fn the_form_previews_then_imports_without_javascript() {
    let g = grove();
    let o = g.sign_up("imf").await;
    let page = o.page(&g, "/admin/import").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Preview the import"));

    let refused = form(
        &g,
        &o,
        &[("csrf", &o.csrf), ("mode", "preview")],
        Some(("x.zip", b"PK nothing")),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("not a readable zip archive"),
        "{}",
        refused.body
    );

    let preview = form(
        &g,
        &o,
        &[
            ("csrf", &o.csrf),
            ("mode", "preview"),
            ("on_conflict", "skip"),
        ],
        Some(("export.zip", &export_zip())),
    )
    .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("Ready to import: 3 new items."));
    assert!(posts(&g, &o).await.is_empty());

    let bundle = hidden(&preview.body, "bundle");
    let done = form(
        &g,
        &o,
        &[
            ("csrf", &o.csrf),
            ("mode", "apply"),
            ("on_conflict", "skip"),
            ("bundle", &bundle),
        ],
        None,
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("Imported: 3 new items."),
        "{}",
        done.body
    );
    assert_eq!(posts(&g, &o).await.len(), 2);

    let no_token = form(&g, &o, &[("mode", "apply"), ("bundle", &bundle)], None).await;
    assert_eq!(no_token.status, 403);
}

/// The owner's export of their blog, as downloaded (`query`: `""` for
/// the zip, `"?format=json"` for the JSON document).
async fn export_of(g: &Grove, o: &Owner, query: &str) -> Vec<u8> {
    let resp = g
        .request(
            Method::GET,
            &o.host(g),
            &format!("/admin/api/export{query}"),
        )
        .header("cookie", format!("grove_session={}", o.session))
        .send()
        .await
        .expect("request sent");
    assert_eq!(resp.status().as_u16(), 200);
    resp.bytes().await.expect("the whole export").to_vec()
}

async fn pages(g: &Grove, o: &Owner) -> Vec<Value> {
    let r = o.api(g, Method::GET, "/admin/api/pages", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn grove_s_own_export_imported_into_an_empty_blog_gives_identical_posts() {
    let g = grove();
    let from = g.sign_up("imx").await;
    for (title, status, markdown) in [
        ("Alpha: one", "published", "Text of alpha\n\n- a list"),
        ("Beta", "draft", "---\nA body that starts with a rule.\n"),
        ("Gamma # three", "published", "Gamma's *text*, 'quoted'."),
    ] {
        let r = from
            .api(
                &g,
                Method::POST,
                "/admin/api/posts",
                Some(serde_json::json!({"title": title, "markdown": markdown, "status": status, "tags": ["one", "two"]})),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = from
        .api(
            &g,
            Method::POST,
            "/admin/api/pages",
            Some(serde_json::json!({"title": "About: us", "markdown": "Who we are."})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let post_key = |p: &Value| {
        (
            p["slug"].to_string(),
            p["title"].to_string(),
            p["markdown"].to_string(),
            p["status"].to_string(),
            p["tags"].to_string(),
            p["published_at"].to_string(),
            p["updated_at"].to_string(),
        )
    };
    let page_key = |p: &Value| {
        (
            p["slug"].to_string(),
            p["title"].to_string(),
            p["markdown"].to_string(),
            p["show_in_nav"].to_string(),
            p["nav_order"].to_string(),
        )
    };
    let mut want_posts: Vec<_> = posts(&g, &from).await.iter().map(post_key).collect();
    let mut want_pages: Vec<_> = pages(&g, &from).await.iter().map(page_key).collect();
    want_posts.sort();
    want_pages.sort();
    assert_eq!((want_posts.len(), want_pages.len()), (3, 1));

    // The zip (the export as owners download it) and the JSON document
    // each give an empty blog the same posts and pages.
    for (query, name) in [("", "imz"), ("?format=json", "imy")] {
        let export = export_of(&g, &from, query).await;
        let to = g.sign_up(name).await;
        let r = import(&g, &to, "mode=apply", export.clone()).await;
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        let mut got_posts: Vec<_> = posts(&g, &to).await.iter().map(post_key).collect();
        let mut got_pages: Vec<_> = pages(&g, &to).await.iter().map(page_key).collect();
        got_posts.sort();
        got_pages.sort();
        assert_eq!(got_posts, want_posts, "{query}");
        assert_eq!(got_pages, want_pages, "{query}");
        // And a second import of the same file creates nothing new.
        let again = import(&g, &to, "mode=apply", export).await;
        assert_eq!(again.status, 200, "{query}: {}", again.body);
        assert_eq!(posts(&g, &to).await.len(), 3, "{query}");
        assert_eq!(pages(&g, &to).await.len(), 1, "{query}");
    }
}

#[tokio::test]
async fn a_thousand_post_file_imports_in_one_request_and_readers_see_it() {
    let g = grove();
    let o = g.sign_up("imk").await;
    let up = g
        .ops(
            Method::PUT,
            &format!("/tenants/{}/plan", o.tenant_id),
            Some(serde_json::json!({"plan": "paid"})),
        )
        .await;
    assert_eq!(up.status, 200, "{}", up.body);
    let files: Vec<(String, Vec<u8>)> = (0..1000)
        .map(|i| {
            let body = format!("Paragraph one of imported post {i}.\n\nSome *words* to read.\n");
            (
                format!("posts/bulk-{i:04}.md"),
                format!("---\ntitle: Bulk post {i}\nslug: bulk-{i:04}\ndate: 2024-01-01T00:{:02}:{:02}Z\ntags:\n- bulk\nstatus: published\n---\n\n{body}", i / 60 % 60, i % 60).into_bytes(),
            )
        })
        .collect();
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let zip = zip_of(&entries);
    let preview = import(&g, &o, "mode=preview", zip.clone()).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(posts(&g, &o).await.len(), 0, "a preview writes nothing");
    let applied = import(&g, &o, "mode=apply", zip.clone()).await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    assert_eq!(posts(&g, &o).await.len(), 1000);
    let host = o.host(&g);
    let last = read(&g, &host, "/blog/bulk-0999").await;
    assert_eq!(last.status, 200);
    assert!(last.body.contains("imported post 999"), "{}", last.body);
    let tag = read(&g, &host, "/tags/bulk").await;
    assert!(
        tag.body.contains("Bulk post 999"),
        "newest first on the tag page"
    );
    let again = import(&g, &o, "mode=apply", zip).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        posts(&g, &o).await.len(),
        1000,
        "nothing new the second time"
    );
}
