//! The platform's home: the way in for everyone, the way to the admin for
//! a signed-in owner, `/signup` and `/signin` sent to the auth host, and
//! the way back after signing out.

use grove_tests::owner::percent_encoded;
use reqwest::Method;

use crate::grove;

#[tokio::test]
async fn the_home_offers_start_a_blog_and_sign_in() {
    let g = grove();
    let r = g.get(&g.base_domain, "/").await;
    assert_eq!(r.status, 200);
    let auth = g.origin(&g.auth_host());
    assert!(
        r.body.contains(&format!(
            "<a class=\"button\" href=\"{auth}/signup\">Start a blog</a>"
        )),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains(&format!("<a href=\"{auth}/signin\">Sign in</a>")));
    assert!(!r.body.contains("admin"));
    assert_eq!(r.header("cache-control"), Some("private, no-cache"));
}

#[tokio::test]
async fn a_signed_in_owner_sees_the_way_to_their_admin() {
    let g = grove();
    let owner = g.sign_up("homeward").await;
    let r = g
        .send(
            g.request(Method::GET, &g.base_domain, "/")
                .header("cookie", format!("grove_session={}", owner.session)),
        )
        .await;
    assert_eq!(r.status, 200);
    let blog = g.tenant_origin(&owner.subdomain);
    assert!(
        r.body
            .contains(&format!("<a class=\"button\" href=\"{blog}/admin\">")),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!("Blog {}", owner.subdomain)),
        "names the blog"
    );
    assert!(!r.body.contains("Start a blog"));
    // A cookie that is no live session is anyone.
    let stale = g
        .send(
            g.request(Method::GET, &g.base_domain, "/")
                .header("cookie", format!("grove_session={}", "A".repeat(43))),
        )
        .await;
    assert!(stale.body.contains("Start a blog"));
}

#[tokio::test]
async fn signup_and_signin_on_the_apex_go_to_the_auth_host() {
    let g = grove();
    let auth = g.origin(&g.auth_host());
    for path in [
        "/signup",
        "/signin",
        "/signin?return_to=http%3A%2F%2Fx%2F&y=1",
    ] {
        let r = g.get(&g.base_domain, path).await;
        assert_eq!(r.status, 301, "{path}");
        assert_eq!(
            r.header("location"),
            Some(format!("{auth}{path}").as_str()),
            "{path}"
        );
    }
    // Only those two paths: anything else on the apex is still no blog.
    let r = g.get(&g.base_domain, "/signups").await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn signing_out_offers_the_way_back_and_signing_in_again() {
    let g = grove();
    let owner = g.sign_up("goodbye").await;
    let blog = format!("{}/", g.tenant_origin(&owner.subdomain));
    // The admin's sign-out form names the blog.
    let admin = owner.page(&g, "/admin").await;
    assert!(admin.body.contains(&format!(
        "<input type=\"hidden\" name=\"return_to\" value=\"{blog}\">"
    )));
    let out = g
        .send(
            g.request(Method::POST, &g.auth_host(), "/signout")
                .header("cookie", format!("grove_session={}", owner.session))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!(
                    "csrf={}&return_to={}",
                    owner.csrf,
                    percent_encoded(&blog)
                )),
        )
        .await;
    assert_eq!(out.status, 200);
    assert!(out.body.contains("You are signed out."));
    let host = owner.host(&g);
    assert!(
        out.body
            .contains(&format!("<a href=\"{blog}\">Back to {host}:{}</a>", g.port)),
        "{}",
        out.body
    );
    let again = format!(
        "/signin?return_to={}",
        percent_encoded(&format!("{blog}admin"))
    );
    assert!(
        out.body
            .contains(&format!("<a href=\"{again}\">Sign in again</a>")),
        "{}",
        out.body
    );

    // A return address off the platform is not offered.
    let elsewhere = g
        .send(
            g.request(Method::POST, &g.auth_host(), "/signout")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!(
                    "return_to={}",
                    percent_encoded("https://evil.example/")
                )),
        )
        .await;
    assert_eq!(elsewhere.status, 200);
    assert!(!elsewhere.body.contains("evil.example"));
    assert!(elsewhere
        .body
        .contains("<a href=\"/signin\">Sign in again</a>"));
}
