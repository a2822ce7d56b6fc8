//! A state-changing request without this session's CSRF token is refused
//! and changes nothing.

use reqwest::Method;
use serde_json::json;

use crate::grove;

#[tokio::test]
async fn requests_without_the_sessions_csrf_token_are_refused() {
    let g = grove();
    let o = g.sign_up("csrf").await;
    let second = g.sign_in(&o.email, &o.password, &o.subdomain).await;
    let host = o.host(&g);
    let cookie = format!("grove_session={}", o.session);
    let body = json!({"title": "Forged"}).to_string();

    for token in [None, Some("0".repeat(64)), Some(second.csrf.clone())] {
        let mut req = g
            .request(Method::POST, &host, "/admin/api/posts")
            .header("cookie", &cookie)
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(t) = &token {
            req = req.header("x-csrf-token", t);
        }
        let r = g.send(req).await;
        assert_eq!(r.status, 403, "API with token {token:?}");
        assert_eq!(r.json()["error"], "csrf");
    }
    // Forms: no field, and another session's token.
    for fields in [
        "title=Forged&action=publish".to_string(),
        format!("title=Forged&action=publish&csrf={}", second.csrf),
    ] {
        let r = g
            .send(
                g.request(Method::POST, &host, "/admin/posts")
                    .header("cookie", &cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(fields),
            )
            .await;
        assert_eq!(r.status, 403);
    }
    // Sign-out too needs the token.
    let r = g
        .send(
            g.request(Method::POST, &g.auth_host(), "/signout")
                .header("cookie", &cookie)
                .body("csrf=nope"),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        o.api(&g, Method::GET, "/admin/api/me", None).await.status,
        200,
        "still signed in"
    );

    let posts = o
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json();
    assert_eq!(
        posts.as_array().map(Vec::len),
        Some(0),
        "nothing was created"
    );
    // With the token, the same request works.
    assert_eq!(
        o.api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Real"}))
        )
        .await
        .status,
        201
    );
}

#[tokio::test]
async fn sign_in_forms_need_their_double_submit_cookie() {
    let g = grove();
    let user = &grove_tests::seed::demo().users[0];
    let body = format!(
        "email={}&password={}&csrf=abcdefabcdefabcdefabcdefabcdefab",
        user.email, user.password
    );
    let r = g
        .send(
            g.request(Method::POST, &g.auth_host(), "/signin")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.cookie("grove_session").is_none());
}
