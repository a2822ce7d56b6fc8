//! Sign up, sign in, sign out; revoked sessions; where sign-in returns to.

use grove_tests::seed;
use reqwest::Method;

use crate::grove;

#[tokio::test]
async fn sign_up_creates_a_blog_and_signs_the_owner_in() {
    let g = grove();
    let owner = g.sign_up("signup").await;
    let admin = owner.page(&g, "/admin").await;
    assert_eq!(admin.status, 200);
    assert!(
        admin.body.contains(&owner.email),
        "the admin shows who is signed in"
    );
    let home = crate::read(&g, &owner.host(&g), "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains(&format!("Blog {}", owner.subdomain)));
}

#[tokio::test]
async fn sign_up_refuses_bad_or_taken_input_and_keeps_what_was_typed() {
    let g = grove();
    let bad = g
        .post_auth_form(
            "/signup",
            &[
                ("email", "not-an-email"),
                ("password", "short"),
                ("subdomain", "admin"),
                ("site_title", "Mine"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("value=\"not-an-email\""),
        "the email typed is kept"
    );
    assert!(
        !bad.body.contains("value=\"short\""),
        "a password is never echoed"
    );
    for field in ["email-error", "password-error", "subdomain-error"] {
        assert!(
            bad.body.contains(&format!("id=\"{field}\"")),
            "{field} shown next to its field"
        );
    }
    let autumn = &seed::demo().users[0];
    let taken = g
        .post_auth_form(
            "/signup",
            &[
                ("email", &autumn.email),
                ("password", "long enough password"),
                ("subdomain", "autumn"),
                ("site_title", "x"),
            ],
        )
        .await;
    assert_eq!(taken.status, 409);
    assert!(
        taken.body.contains("id=\"email-error\"") && taken.body.contains("id=\"subdomain-error\"")
    );
}

#[tokio::test]
async fn sign_in_with_the_demo_owner_returns_to_where_they_started() {
    let g = grove();
    let user = &seed::demo().users[0];
    let start = format!("http://autumn.{}:{}/admin/settings", g.base_domain, g.port);
    let reply = g
        .sign_in_reply(&user.email, &user.password, Some(&start))
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some(start.as_str()));
    let cookie = reply.header("set-cookie").unwrap_or_default().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        cookie.contains(&format!("Domain=.{}", g.base_domain)),
        "one sign-in covers the blog host: {cookie}"
    );
    // A return address off the platform is ignored.
    let evil = g
        .sign_in_reply(&user.email, &user.password, Some("https://evil.example/"))
        .await;
    assert_eq!(evil.status, 303);
    assert_eq!(
        evil.header("location"),
        Some(format!("http://autumn.{}:{}/admin", g.base_domain, g.port).as_str())
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_a_session() {
    let g = grove();
    let user = &seed::demo().users[0];
    for (email, password) in [
        (user.email.as_str(), "wrong password!!"),
        ("nobody@example.test", "whatever password"),
    ] {
        let reply = g.sign_in_reply(email, password, None).await;
        assert_eq!(reply.status, 401, "{email}");
        assert!(reply.cookie("grove_session").is_none());
        assert!(reply.body.contains("do not match"));
    }
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_the_api_says_401() {
    let g = grove();
    let host = format!("autumn.{}", g.base_domain);
    let page = g
        .send(g.request(Method::GET, &host, "/admin/posts/new"))
        .await;
    assert_eq!(page.status, 303);
    let location = page.header("location").unwrap_or_default();
    assert!(
        location.starts_with(&format!(
            "http://auth.{}:{}/signin?return_to=",
            g.base_domain, g.port
        )),
        "{location}"
    );
    let api = g
        .send(g.request(Method::GET, &host, "/admin/api/posts"))
        .await;
    assert_eq!(api.status, 401);
    assert_eq!(api.json()["error"], "unauthenticated");
}

#[tokio::test]
async fn sign_out_revokes_the_session_everywhere() {
    let g = grove();
    let owner = g.sign_up("signout").await;
    let other_session = g
        .sign_in(&owner.email, &owner.password, &owner.subdomain)
        .await;
    let out = g
        .send(
            g.request(Method::POST, &g.auth_host(), "/signout")
                .header("cookie", format!("grove_session={}", owner.session))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("csrf={}", owner.csrf)),
        )
        .await;
    assert_eq!(out.status, 200);
    assert_eq!(
        out.cookie("grove_session").as_deref(),
        Some(""),
        "the cookie is cleared"
    );
    // The old token, replayed, no longer works: the session was deleted server-side.
    let replay = owner.api(&g, Method::GET, "/admin/api/posts", None).await;
    assert_eq!(replay.status, 401);
    // Another session of the same user is unaffected.
    assert_eq!(
        other_session
            .api(&g, Method::GET, "/admin/api/posts", None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_admin_of_a_custom_domain_is_served_on_the_subdomain() {
    let g = grove();
    let r = g
        .send(g.request(Method::GET, "autumn.test", "/admin"))
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some(format!("http://autumn.{}:{}/admin", g.base_domain, g.port).as_str())
    );
}
