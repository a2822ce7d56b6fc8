//! The isolation matrix: the owner of blog A, with A's valid session, tries
//! every admin operation on blog B (on B's host, and by naming B's ids on
//! A's host); so does an anonymous visitor. All are refused; B is unchanged.

use grove_tests::owner::Owner;
use grove_tests::Grove;
use reqwest::Method;
use serde_json::{json, Value};

use crate::{grove, read};

/// B's whole state, as B's owner sees it.
async fn snapshot(g: &Grove, b: &Owner) -> (Value, Value, Value) {
    (
        b.api(g, Method::GET, "/admin/api/posts", None).await.json(),
        b.api(g, Method::GET, "/admin/api/pages", None).await.json(),
        b.api(g, Method::GET, "/admin/api/settings", None)
            .await
            .json(),
    )
}

fn api_matrix(post: &str, page: &str) -> Vec<(Method, String, Option<Value>)> {
    let post_body =
        json!({"title": "Hijacked", "markdown": "pwned", "status": "published", "version": 1});
    let page_body = json!({"title": "Hijacked", "markdown": "pwned", "version": 1});
    vec![
        (Method::GET, "/admin/api/posts".into(), None),
        (
            Method::POST,
            "/admin/api/posts".into(),
            Some(json!({"title": "Hijacked", "status": "published"})),
        ),
        (Method::GET, format!("/admin/api/posts/{post}"), None),
        (
            Method::PUT,
            format!("/admin/api/posts/{post}"),
            Some(post_body),
        ),
        (
            Method::GET,
            format!("/admin/api/posts/{post}/history"),
            None,
        ),
        (Method::DELETE, format!("/admin/api/posts/{post}"), None),
        (Method::GET, "/admin/api/pages".into(), None),
        (
            Method::POST,
            "/admin/api/pages".into(),
            Some(json!({"title": "Hijacked"})),
        ),
        (Method::GET, format!("/admin/api/pages/{page}"), None),
        (
            Method::PUT,
            format!("/admin/api/pages/{page}"),
            Some(page_body),
        ),
        (Method::DELETE, format!("/admin/api/pages/{page}"), None),
        (Method::GET, "/admin/api/settings".into(), None),
        (
            Method::PUT,
            "/admin/api/settings".into(),
            Some(json!({"site_title": "Hijacked"})),
        ),
    ]
}

fn form_matrix(post: &str, page: &str) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let edit = vec![
        ("title", "Hijacked"),
        ("markdown", "pwned"),
        ("version", "1"),
        ("action", "publish"),
    ];
    vec![
        ("/admin/posts".into(), edit.clone()),
        (format!("/admin/posts/{post}"), edit.clone()),
        (
            format!("/admin/posts/{post}/delete"),
            vec![("version", "1"), ("confirm", "yes")],
        ),
        (
            format!("/admin/posts/{post}/preview"),
            vec![("title", "Peek"), ("markdown", "x"), ("action", "preview")],
        ),
        (
            "/admin/pages".into(),
            vec![("title", "Hijacked"), ("markdown", "pwned")],
        ),
        (
            format!("/admin/pages/{page}"),
            vec![
                ("title", "Hijacked"),
                ("markdown", "pwned"),
                ("version", "1"),
            ],
        ),
        (
            format!("/admin/pages/{page}/delete"),
            vec![("version", "1"), ("confirm", "yes")],
        ),
        (
            "/admin/settings".into(),
            vec![("site_title", "Hijacked"), ("theme", "midnight")],
        ),
    ]
}

#[tokio::test]
async fn another_owner_and_anonymous_visitors_can_neither_read_drafts_nor_change_anything() {
    let g = grove();
    let a = g.sign_up("isoa").await;
    let b = g.sign_up("isob").await;
    let post = b
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "B Secret Draft", "markdown": "B-DRAFT-TEXT"})),
        )
        .await
        .json();
    let page = b
        .api(
            &g,
            Method::POST,
            "/admin/api/pages",
            Some(json!({"title": "B Page", "markdown": "B page"})),
        )
        .await
        .json();
    let (post_id, page_id) = (
        post["id"].as_str().unwrap_or_default().to_string(),
        page["id"].as_str().unwrap_or_default().to_string(),
    );
    let before = snapshot(&g, &b).await;
    let b_host = b.host(&g);
    let a_host = a.host(&g);

    for (method, path, body) in api_matrix(&post_id, &page_id) {
        // A's session on B's host: forbidden.
        let r = a
            .api_on(&g, &b_host, method.clone(), &path, body.clone())
            .await;
        assert_eq!(r.status, 403, "A on B's host: {method} {path}: {}", r.body);
        assert!(!r.body.contains("B-DRAFT-TEXT"));
        // A's session on A's host naming B's ids: not found (A's actor knows nothing of them).
        if path.contains(&post_id) || path.contains(&page_id) {
            let r = a
                .api_on(&g, &a_host, method.clone(), &path, body.clone())
                .await;
            assert_eq!(
                r.status, 404,
                "B's ids on A's host: {method} {path}: {}",
                r.body
            );
            assert!(!r.body.contains("B-DRAFT-TEXT"));
        }
        // Anonymous: no session at all.
        let mut req = g.request(method.clone(), &b_host, &path);
        if let Some(body) = &body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let r = g.send(req).await;
        assert_eq!(r.status, 401, "anonymous: {method} {path}");
    }

    for (path, fields) in form_matrix(&post_id, &page_id) {
        let r = a.form_on(&g, &b_host, &path, &fields).await;
        assert_eq!(r.status, 403, "A's form on B's host: {path}");
        if path.contains(&post_id) || path.contains(&page_id) {
            let r = a.form_on(&g, &a_host, &path, &fields).await;
            assert_eq!(r.status, 404, "B's ids in A's forms: {path}");
        }
        let anon = g
            .send(
                g.request(Method::POST, &b_host, &path)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("title=Hijacked"),
            )
            .await;
        assert_eq!(anon.status, 303, "anonymous form: {path}");
    }
    for path in [
        "/admin",
        &format!("/admin/posts/{post_id}"),
        &format!("/admin/pages/{page_id}"),
        "/admin/settings",
    ] {
        let r = g
            .send(
                g.request(Method::GET, &b_host, path)
                    .header("cookie", format!("grove_session={}", a.session)),
            )
            .await;
        assert_eq!(r.status, 403, "A reads B's admin page {path}");
        assert!(!r.body.contains("B-DRAFT-TEXT") && !r.body.contains("B Secret Draft"));
    }

    assert_eq!(snapshot(&g, &b).await, before, "B is unchanged");
    assert_eq!(
        read(&g, &b_host, "/blog/b-secret-draft").await.status,
        404,
        "B's draft is still private"
    );
    let a_posts = a
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json();
    assert_eq!(
        a_posts.as_array().map(Vec::len),
        Some(0),
        "nothing landed on A either"
    );
}

#[tokio::test]
async fn a_demo_owner_cannot_touch_the_other_demo_blog() {
    let g = grove();
    let users = &grove_tests::seed::demo().users;
    let autumn = g
        .sign_in(&users[0].email, &users[0].password, "autumn")
        .await;
    let meadow_host = format!("meadow.{}", g.base_domain);
    let r = autumn
        .api_on(&g, &meadow_host, Method::GET, "/admin/api/posts", None)
        .await;
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("SECRET-MEADOW-DRAFT"));
}
