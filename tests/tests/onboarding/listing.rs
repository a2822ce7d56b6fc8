//! Which blogs the home page lists: those that published something and
//! whose owner allows it (the `listed` setting, on by default). The home
//! lists the 12 oldest such blogs and every suite adds blogs, so this
//! test's blogs are dated to the start of time in D1 to be among them.

use std::time::{Duration, Instant};

use grove_tests::owner::Owner;
use grove_tests::Grove;
use reqwest::Method;
use serde_json::json;

use crate::grove;

/// Waits until the home page lists (or not) each of `blogs` as expected:
/// at once in practice (the write's isolate forgets its list), and at
/// most after the list's 60 s in any isolate.
async fn home_lists(g: &Grove, blogs: &[(&Owner, bool)]) {
    let start = Instant::now();
    loop {
        let home = g.get(&g.base_domain, "/").await.body;
        let wrong: Vec<String> = blogs
            .iter()
            .filter(|(o, listed)| {
                home.contains(&format!("href=\"{}/\"", g.tenant_origin(&o.subdomain))) != *listed
            })
            .map(|(o, listed)| {
                format!(
                    "{} should{} be listed",
                    o.subdomain,
                    if *listed { "" } else { " not" }
                )
            })
            .collect();
        if wrong.is_empty() {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(65),
            "after 65 s: {wrong:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn publish(g: &Grove, owner: &Owner, title: &str) {
    let r = owner
        .api(
            g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": title, "markdown": "Hello.", "status": "published"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

#[tokio::test]
async fn the_home_lists_blogs_that_published_and_allow_it() {
    let g = grove();
    let listed = g.sign_up("listed").await;
    let empty = g.sign_up("empty").await;
    let private = g.sign_up("private").await;
    g.sql(&format!(
        "UPDATE tenants SET created_at = 1 WHERE id IN ('{}', '{}', '{}')",
        listed.tenant_id, empty.tenant_id, private.tenant_id
    ));
    let draft = empty
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Not yet", "markdown": "x", "status": "draft"})),
        )
        .await;
    assert_eq!(draft.status, 201);
    publish(&g, &listed, "Out there").await;
    publish(&g, &private, "Out there too").await;
    home_lists(&g, &[(&listed, true), (&empty, false), (&private, true)]).await;

    // The settings form's checkbox: off, then the home no longer lists it.
    let settings = private.page(&g, "/admin/settings").await;
    assert!(settings
        .body
        .contains("id=\"listed\" name=\"listed\" value=\"on\" checked"));
    let r = private
        .form(
            &g,
            "/admin/settings",
            &[
                ("site_title", "Private"),
                ("theme", "paper"),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    home_lists(&g, &[(&listed, true), (&private, false)]).await;
    let api = private
        .api(&g, Method::GET, "/admin/api/settings", None)
        .await;
    assert_eq!(api.json()["listed"], false);
    // The blog itself is as public as before.
    let blog = g.send(g.request(Method::GET, &private.host(&g), "/")).await;
    assert_eq!(blog.status, 200);

    // And back on, through the API.
    let r = private
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"listed": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["listed"], true);
    home_lists(&g, &[(&private, true)]).await;
}
