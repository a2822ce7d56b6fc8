//! The export, end to end against `wrangler dev`: the owner downloads the
//! blog as a zip (`GET /admin/api/export`), which unzips with a real
//! reader (the `zip` crate) to every post and page as Markdown with YAML
//! front matter (read back with a YAML parser), `settings.json`, the
//! README and the media files byte for byte; the JSON document stays at
//! `?format=json`; only the owner gets either; the page `/admin/export`
//! says what the file holds. `large` measures a 1,000-post blog with
//! about 100 MB of media on its own platform.

// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

mod large;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

pub use grove_tests::media::png;
use grove_tests::owner::Owner;
use grove_tests::Grove;
use reqwest::Method;
use serde_json::{json, Value};

pub fn grove() -> Grove {
    Grove::from_env()
}

/// Uploads `bytes` as `name` with alt text; answers the file's path.
pub async fn upload(g: &Grove, o: &Owner, name: &str, bytes: Vec<u8>) -> String {
    let r = g
        .send(
            g.request(
                Method::POST,
                &o.host(g),
                &format!("/admin/api/media?filename={name}&alt=Picture%20{name}"),
            )
            .header("cookie", format!("grove_session={}", o.session))
            .header("x-csrf-token", &o.csrf)
            .header("content-type", "image/png")
            .body(bytes),
        )
        .await;
    assert!(matches!(r.status, 200 | 201), "upload {name}: {}", r.body);
    r.json()["url"].as_str().unwrap().to_string()
}

/// A download, read whole as bytes.
pub struct Download {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// `GET path` on `o`'s blog with `session` (none: anonymous).
pub async fn download(g: &Grove, o: &Owner, session: Option<&str>, path: &str) -> Download {
    let mut req = g.request(Method::GET, &o.host(g), path);
    if let Some(s) = session {
        req = req.header("cookie", format!("grove_session={s}"));
    }
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("the whole body").to_vec();
    Download {
        status,
        headers,
        bytes,
    }
}

/// Every file of a zip, by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)
            .expect("each entry reads (CRC checked)");
        files.insert(f.name().expect("a UTF-8 name").to_string(), bytes);
    }
    files
}

/// A Markdown file's YAML front matter (as JSON) and its body.
pub fn front_matter(text: &[u8]) -> (Value, String) {
    let text = std::str::from_utf8(text).unwrap();
    let rest = text.strip_prefix("---\n").expect("opens with ---");
    let (yaml, body) = rest.split_once("\n---\n").expect("closed by ---");
    let fields: Value = serde_norway::from_str(yaml).expect("valid YAML");
    (fields, body.strip_prefix('\n').unwrap_or(body).to_string())
}

async fn api(g: &Grove, o: &Owner, method: Method, path: &str, body: Value) -> Value {
    let r = o.api(g, method, path, Some(body)).await;
    assert!(matches!(r.status, 200 | 201), "{path}: {}", r.body);
    r.json()
}

#[tokio::test]
async fn the_zip_holds_every_post_page_setting_and_file_as_the_blog_has_them() {
    let g = grove();
    let o = g.sign_up("zipper").await;
    let small = png(1, 600);
    // Larger than a chunk of R2's stream: copied in many pieces.
    let large = png(2, 3_000_000);
    let small_path = upload(&g, &o, "dot.png", small.clone()).await;
    let large_path = upload(&g, &o, "wide.png", large.clone()).await;
    let published = api(
        &g,
        &o,
        Method::POST,
        "/admin/api/posts",
        json!({
            "title": "Hello: a first post #1",
            "markdown": format!("Words.\n\n![Picture]({small_path})\n"),
            "status": "published",
            "tags": ["travel", "café"],
        }),
    )
    .await;
    api(
        &g,
        &o,
        Method::POST,
        "/admin/api/posts",
        json!({ "title": "Not yet", "markdown": "---\nnot front matter\n---\n", "status": "draft" }),
    )
    .await;
    api(
        &g,
        &o,
        Method::POST,
        "/admin/api/pages",
        json!({ "title": "About", "markdown": "Us." }),
    )
    .await;
    api(
        &g,
        &o,
        Method::PUT,
        "/admin/api/settings",
        json!({ "site_description": "Kept in a zip" }),
    )
    .await;

    let started = std::time::Instant::now();
    let zip = download(&g, &o, Some(&o.session), "/admin/api/export").await;
    assert_eq!(zip.status, 200, "{}", zip.text());
    eprintln!(
        "export of a small blog with 3 MB of media: {} bytes in {:?}",
        zip.bytes.len(),
        started.elapsed()
    );
    assert_eq!(zip.header("content-type"), "application/zip");
    assert!(
        zip.header("content-disposition")
            .starts_with(&format!("attachment; filename=\"grove-{}-", o.subdomain))
            && zip.header("content-disposition").ends_with(".zip\""),
        "{}",
        zip.header("content-disposition")
    );
    assert_eq!(zip.header("cache-control"), "no-store");
    let files = unzip(&zip.bytes);

    // The JSON document is what the blog holds: the zip must say the same.
    let doc = download(&g, &o, Some(&o.session), "/admin/api/export?format=json").await;
    assert_eq!(doc.status, 200);
    let doc: Value = serde_json::from_slice(&doc.bytes).unwrap();
    let posts = doc["posts"].as_array().unwrap();
    let pages = doc["pages"].as_array().unwrap();
    let mut expected: Vec<String> = vec!["README.md".into(), "settings.json".into()];
    expected.extend(
        posts
            .iter()
            .map(|p| format!("posts/{}.md", p["slug"].as_str().unwrap())),
    );
    expected.extend(
        pages
            .iter()
            .map(|p| format!("pages/{}.md", p["slug"].as_str().unwrap())),
    );
    expected.push(format!("media{}", &small_path["/media".len()..]));
    expected.push(format!("media{}", &large_path["/media".len()..]));
    expected.sort();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected);

    for p in posts {
        let (fields, body) =
            front_matter(&files[&format!("posts/{}.md", p["slug"].as_str().unwrap())]);
        assert_eq!(fields["title"], p["title"]);
        assert_eq!(fields["slug"], p["slug"]);
        assert_eq!(fields["status"], p["status"]);
        assert_eq!(
            body,
            p["markdown"].as_str().unwrap(),
            "the Markdown as written"
        );
        let tags = fields.get("tags").cloned().unwrap_or(json!([]));
        assert_eq!(tags, p["tags"]);
        assert!(fields["updated"].as_str().unwrap().ends_with('Z'));
        assert_eq!(fields.get("date").is_some(), p["status"] == "published");
    }
    let (hello, _) =
        front_matter(&files[&format!("posts/{}.md", published["slug"].as_str().unwrap())]);
    assert_eq!(hello["title"], "Hello: a first post #1");
    assert_eq!(hello["tags"], json!(["travel", "café"]));
    let (about, body) = front_matter(&files["pages/about.md"]);
    assert_eq!(
        (about["title"].as_str(), about["nav"].as_bool()),
        (Some("About"), Some(true))
    );
    assert_eq!(body, "Us.");

    assert_eq!(
        files[&format!("media{}", &small_path["/media".len()..])],
        small,
        "byte for byte"
    );
    assert_eq!(
        files[&format!("media{}", &large_path["/media".len()..])],
        large,
        "byte for byte"
    );
    let settings: Value = serde_json::from_slice(&files["settings.json"]).unwrap();
    assert_eq!(settings["format"], "grove-export");
    assert_eq!(settings["settings"]["site_description"], "Kept in a zip");
    assert_eq!(settings["blog"]["subdomain"], o.subdomain.as_str());
    let listed: Vec<&str> = settings["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&small_path.as_str()) && listed.contains(&large_path.as_str()));
    let readme = String::from_utf8(files["README.md"].clone()).unwrap();
    assert!(readme.contains("posts/{slug}.md"));
}

#[tokio::test]
async fn the_json_stays_at_format_json_and_another_format_is_refused() {
    let g = grove();
    let o = g.sign_up("jsoner").await;
    let doc = download(&g, &o, Some(&o.session), "/admin/api/export?format=json").await;
    assert_eq!(doc.status, 200);
    assert!(doc.header("content-type").starts_with("application/json"));
    assert!(doc.header("content-disposition").ends_with(".json\""));
    let v: Value = serde_json::from_slice(&doc.bytes).unwrap();
    assert_eq!(v["format"], "grove-export");
    let zip = download(&g, &o, Some(&o.session), "/admin/api/export?format=zip").await;
    assert_eq!(
        (zip.status, zip.header("content-type")),
        (200, "application/zip")
    );
    let bad = download(&g, &o, Some(&o.session), "/admin/api/export?format=xml").await;
    assert_eq!(bad.status, 400, "{}", bad.text());
    let problem: Value = serde_json::from_slice(&bad.bytes).unwrap();
    assert_eq!(problem["field"], "format");
    assert!(problem["message"].as_str().unwrap().contains("format=json"));
}

#[tokio::test]
async fn only_the_owner_exports_and_only_their_own_blog() {
    let g = grove();
    let owner = g.sign_up("keeper").await;
    let other = g.sign_up("snoop").await;
    api(
        &g,
        &owner,
        Method::POST,
        "/admin/api/posts",
        json!({ "title": "Secret draft", "markdown": "Mine.", "status": "draft" }),
    )
    .await;
    api(
        &g,
        &other,
        Method::POST,
        "/admin/api/posts",
        json!({ "title": "Snoop's own", "markdown": "Theirs.", "status": "published" }),
    )
    .await;
    for path in ["/admin/api/export", "/admin/api/export?format=json"] {
        let anonymous = download(&g, &owner, None, path).await;
        assert_eq!(anonymous.status, 401, "{path}");
        let snoop = download(&g, &owner, Some(&other.session), path).await;
        assert_eq!(snoop.status, 403, "{path}");
        assert!(!snoop.text().contains("Secret draft"));
    }
    let theirs = unzip(
        &download(&g, &other, Some(&other.session), "/admin/api/export")
            .await
            .bytes,
    );
    assert!(theirs.keys().all(|k| !k.contains("secret-draft")));
    let mine = unzip(
        &download(&g, &owner, Some(&owner.session), "/admin/api/export")
            .await
            .bytes,
    );
    assert!(mine.contains_key("posts/secret-draft.md"));
    assert!(mine.keys().all(|k| !k.contains("snoop")));
}

#[tokio::test]
async fn the_export_page_says_what_the_file_holds_and_links_the_download() {
    let g = grove();
    let o = g.sign_up("pager").await;
    api(
        &g,
        &o,
        Method::POST,
        "/admin/api/posts",
        json!({ "title": "One", "markdown": "1", "status": "published" }),
    )
    .await;
    upload(&g, &o, "a.png", png(3, 100)).await;
    let page = o.page(&g, "/admin/export").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h1>Export</h1>"));
    assert!(
        page.body.contains("1 post, each a Markdown file"),
        "{}",
        page.body
    );
    assert!(page.body.contains("1 media file ("));
    assert!(page.body.contains("action=\"/admin/api/export\""));
    assert!(page.body.contains("href=\"/admin/api/export?format=json\""));
    let dashboard = o.page(&g, "/admin").await;
    assert!(
        dashboard.body.contains("href=\"/admin/export\""),
        "in the navigation"
    );
    let anonymous = g
        .send(g.request(Method::GET, &o.host(&g), "/admin/export"))
        .await;
    assert_eq!(anonymous.status, 303, "to sign-in");
}
