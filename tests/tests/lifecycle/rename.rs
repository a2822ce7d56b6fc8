//! Renaming a blog: the content stays, the old name 301-redirects (reader
//! pages and the admin, path and query kept) and is held: no sign-up or
//! other blog may take it, the blog itself may take it back. The session
//! keeps working, and canonical links name the new host at once.

use grove_tests::owner::unique;
use reqwest::Method;
use serde_json::json;

use crate::{grove, page_on, publish, read};

#[tokio::test]
async fn a_rename_redirects_the_old_name_and_holds_it_for_the_blog() {
    let g = grove();
    let o = g.sign_up("ren").await;
    let old = o.subdomain.clone();
    let old_host = o.host(&g);
    publish(&g, &o, "Hello Rename").await;
    // Readers had the old name (the host map and the edge know it).
    let before = read(&g, &old_host, "/blog/hello-rename").await;
    assert_eq!(before.status, 200);

    let new = unique("moved");
    let new_host = format!("{new}.{}", g.base_domain);
    let renamed = o
        .form(&g, "/admin/settings/address", &[("subdomain", &new)])
        .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert_eq!(
        renamed.header("location").map(str::to_string),
        Some(format!(
            "{}/admin/settings/address?notice=renamed",
            g.tenant_origin(&new)
        ))
    );

    // Still signed in on the new host: the cookie is the platform's.
    let settled = page_on(&g, &o, &new_host, "/admin/settings/address?notice=renamed").await;
    assert_eq!(settled.status, 200, "{}", settled.body);
    assert!(settled.body.contains("Renamed."));
    let me = page_on(&g, &o, &new_host, "/admin/api/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["tenant_id"], o.tenant_id, "the same blog");

    // The content is where it was, with canonical links on the new host.
    let post = read(&g, &new_host, "/blog/hello-rename").await;
    assert_eq!(post.status, 200);
    let canonical = format!(
        "<link rel=\"canonical\" href=\"{}/blog/hello-rename\">",
        g.tenant_origin(&new)
    );
    assert!(post.body.contains(&canonical), "{}", post.body);

    // The old name redirects, path and query kept: reader pages and admin.
    let moved = read(&g, &old_host, "/blog/hello-rename?ref=a%20b&x=1").await;
    assert_eq!(moved.status, 301);
    assert_eq!(
        moved.header("location").map(str::to_string),
        Some(format!(
            "{}/blog/hello-rename?ref=a%20b&x=1",
            g.tenant_origin(&new)
        ))
    );
    let admin = page_on(&g, &o, &old_host, "/admin/settings?tab=1").await;
    assert_eq!(admin.status, 301);
    assert_eq!(
        admin.header("location").map(str::to_string),
        Some(format!("{}/admin/settings?tab=1", g.tenant_origin(&new)))
    );

    // Nobody else may take the old name: not a sign-up...
    let signup = g
        .post_auth_form(
            "/signup",
            &[
                ("email", &format!("{}@example.test", unique("thief"))),
                ("password", "correct horse battery"),
                ("subdomain", &old),
                ("site_title", "Thief"),
            ],
        )
        .await;
    assert_ne!(signup.status, 303, "{}", signup.body);
    assert!(signup.cookie("grove_session").is_none());
    // ...nor another blog's rename.
    let other = g.sign_up("rival").await;
    let taken = other
        .form(&g, "/admin/settings/address", &[("subdomain", &old)])
        .await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    assert!(taken.body.contains("held for it for 30 days"));
    assert!(
        taken.body.contains(&format!("value=\"{old}\"")),
        "what was typed stays"
    );
    let api = other
        .api(
            &g,
            Method::PUT,
            "/admin/api/address",
            Some(json!({ "subdomain": new })),
        )
        .await;
    assert_eq!(api.status, 409);
    assert_eq!(
        (api.json()["error"].as_str(), api.json()["field"].as_str()),
        (Some("taken"), Some("subdomain"))
    );
    for (name, code) in [
        ("admin", "reserved"),
        ("x", "invalid"),
        (other.subdomain.as_str(), "unchanged"),
    ] {
        let r = other
            .api(
                &g,
                Method::PUT,
                "/admin/api/address",
                Some(json!({ "subdomain": name })),
            )
            .await;
        assert_eq!(r.json()["error"], code, "{name}: {}", r.body);
        assert_eq!(r.status, 422, "{name}");
    }
    assert_eq!(
        read(&g, &other.host(&g), "/").await.status,
        200,
        "the rival is untouched"
    );

    // The blog itself may take its old name back; the new one then redirects.
    let back = g
        .send(
            g.request(Method::PUT, &new_host, "/admin/api/address")
                .header("cookie", format!("grove_session={}", o.session))
                .header("x-csrf-token", &o.csrf)
                .header("content-type", "application/json")
                .body(json!({ "subdomain": old }).to_string()),
        )
        .await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert_eq!(back.json()["previous"], new.as_str());
    assert_eq!(read(&g, &old_host, "/blog/hello-rename").await.status, 200);
    let again = read(&g, &new_host, "/?q=1").await;
    assert_eq!(again.status, 301);
    assert_eq!(
        again.header("location").map(str::to_string),
        Some(format!("{}/?q=1", g.tenant_origin(&old)))
    );
}

#[tokio::test]
async fn a_name_that_is_no_blog_is_no_blog_and_stays_cheap() {
    let g = grove();
    let host = format!("{}.{}", unique("nobody"), g.base_domain);
    let first = read(&g, &host, "/").await;
    assert_eq!(first.status, 404);
    assert!(first.body.contains("No blog here"));
    // The lookup and the redirect check are one statement, memoised: the
    // next request reads no D1 at all.
    let second = read(&g, &host, "/about").await;
    assert_eq!(second.status, 404);
    assert_eq!(
        second.header("x-grove-d1-queries"),
        Some("0"),
        "{:?}",
        second.headers
    );
}
