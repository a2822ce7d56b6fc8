//! Tag pages are reader pages like any other: edge-cached under their
//! canonical (percent-encoded) path, served with no D1 read, and purged by
//! every write that changes which posts carry the tag.

use super::{d1, get};
use grove_tests::Grove;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_retagged_post_leaves_its_old_tag_page_and_joins_the_new_one_at_the_edge() {
    let g = Grove::from_env();
    let o = g.sign_up("tagged").await;
    let host = o.host(&g);
    let body = json!({"title": "First Frost", "markdown": "Cold.", "status": "published",
        "tags": ["seasons", "Café"]});
    let created = o
        .api(&g, Method::POST, "/admin/api/posts", Some(body))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let post = get(&g, &host, "/blog/first-frost", None).await;
    assert!(
        post.body.contains("href=\"/tags/caf%C3%A9\""),
        "the post links its tags"
    );
    for path in ["/tags/seasons", "/tags/caf%C3%A9"] {
        let first = get(&g, &host, path, None).await;
        assert_eq!(first.status, 200, "{path}");
        assert!(first.body.contains("First Frost"), "{path}");
        let again = get(&g, &host, path, None).await;
        assert_eq!(again.header("x-grove-edge"), Some("hit"), "{path}");
        assert_eq!(d1(&again), 0, "{path}");
    }

    let edit = json!({"title": "First Frost", "markdown": "Cold.", "status": "published",
        "tags": ["winter"], "version": 1});
    let updated = o
        .api(
            &g,
            Method::PUT,
            &format!("/admin/api/posts/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    for path in ["/tags/seasons", "/tags/caf%C3%A9"] {
        let r = get(&g, &host, path, None).await;
        assert_eq!(r.status, 404, "{path}: no post carries it now");
        assert!(!r.body.contains("First Frost"), "{path}");
    }
    let winter = get(&g, &host, "/tags/winter", None).await;
    assert_eq!(winter.status, 200);
    assert!(winter.body.contains("First Frost"));
}

#[tokio::test]
async fn tag_paths_that_name_no_tag_are_404_and_bad_pages_are_400() {
    let g = Grove::from_env();
    let o = g.sign_up("tagpaths").await;
    let host = o.host(&g);
    let body = json!({"title": "One", "markdown": "x", "status": "published", "tags": ["rust"]});
    assert_eq!(
        o.api(&g, Method::POST, "/admin/api/posts", Some(body))
            .await
            .status,
        201
    );
    for path in [
        "/tags/Rust",
        "/tags/%3Cscript%3E",
        "/tags/a%2Fb",
        "/tags/%FF",
        "/tags/go",
    ] {
        let r = get(&g, &host, path, None).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("<script>"), "{path}");
    }
    let r = get(&g, &host, "/tags/rust?page=abc", None).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("page must be a whole number"));
    assert_eq!(get(&g, &host, "/tags/rust?page=2", None).await.status, 404);
}
