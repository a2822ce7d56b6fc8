//! Every owner write, through the API and the forms, is visible to an
//! anonymous reader on the very next request.

use reqwest::Method;
use serde_json::json;

use crate::{grove, read};

#[tokio::test]
async fn a_post_through_the_api_create_edit_publish_unpublish_delete() {
    let g = grove();
    let o = g.sign_up("apiposts").await;
    let host = o.host(&g);

    let created = o
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "First Light", "markdown": "Draft *text*", "tags": ["Dawn"]})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let post = created.json();
    let id = post["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        (
            post["slug"].as_str(),
            post["status"].as_str(),
            post["version"].as_i64()
        ),
        (Some("first-light"), Some("draft"), Some(1))
    );
    assert_eq!(
        read(&g, &host, "/blog/first-light").await.status,
        404,
        "a draft is not public"
    );

    let published = o
        .api(&g, Method::PUT, &format!("/admin/api/posts/{id}"), Some(json!({"title": "First Light", "markdown": "Now *public*", "status": "published", "version": 1})))
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    assert_eq!(published.json()["version"], 2);
    let page = read(&g, &host, "/blog/first-light").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Now <em>public</em>"));
    assert!(
        read(&g, &host, "/")
            .await
            .body
            .contains("/blog/first-light"),
        "home lists it"
    );
    assert!(
        read(&g, &host, "/blog")
            .await
            .body
            .contains("/blog/first-light"),
        "blog lists it"
    );

    let edited = o
        .api(&g, Method::PUT, &format!("/admin/api/posts/{id}"), Some(json!({"title": "First Light", "markdown": "Edited once", "status": "published", "version": 2})))
        .await;
    assert_eq!(edited.status, 200);
    assert!(read(&g, &host, "/blog/first-light")
        .await
        .body
        .contains("Edited once"));

    let unpublished = o
        .api(&g, Method::PUT, &format!("/admin/api/posts/{id}"), Some(json!({"title": "First Light", "markdown": "Edited once", "status": "draft", "version": 3})))
        .await;
    assert_eq!(unpublished.status, 200);
    assert_eq!(read(&g, &host, "/blog/first-light").await.status, 404);
    assert!(!read(&g, &host, "/")
        .await
        .body
        .contains("/blog/first-light"));

    let deleted = o
        .api(
            &g,
            Method::DELETE,
            &format!("/admin/api/posts/{id}?version=4"),
            None,
        )
        .await;
    assert_eq!(deleted.status, 200);
    assert_eq!(
        o.api(&g, Method::GET, &format!("/admin/api/posts/{id}"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_page_through_the_api_appears_in_the_navigation_in_order() {
    let g = grove();
    let o = g.sign_up("apipages").await;
    let host = o.host(&g);
    let b = o
        .api(
            &g,
            Method::POST,
            "/admin/api/pages",
            Some(json!({"title": "Contact", "markdown": "Write to me.", "nav_order": 2})),
        )
        .await;
    assert_eq!(b.status, 201, "{}", b.body);
    let a = o
        .api(
            &g,
            Method::POST,
            "/admin/api/pages",
            Some(json!({"title": "About", "markdown": "Who I am.", "nav_order": 1})),
        )
        .await;
    assert_eq!(a.status, 201);
    let home = read(&g, &host, "/").await.body;
    let (about, contact) = (
        home.find("href=\"/about\"").unwrap_or(usize::MAX),
        home.find("href=\"/contact\"").unwrap_or(0),
    );
    assert!(about < contact, "nav order");
    assert!(read(&g, &host, "/about").await.body.contains("Who I am."));

    let id = a.json()["id"].as_str().unwrap_or_default().to_string();
    let hidden = o
        .api(&g, Method::PUT, &format!("/admin/api/pages/{id}"), Some(json!({"title": "About", "markdown": "Changed.", "show_in_nav": false, "nav_order": 1, "version": 1})))
        .await;
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    assert!(
        !read(&g, &host, "/").await.body.contains("href=\"/about\""),
        "out of the navigation"
    );
    assert!(read(&g, &host, "/about").await.body.contains("Changed."));
    assert_eq!(
        o.api(&g, Method::DELETE, &format!("/admin/api/pages/{id}"), None)
            .await
            .status,
        200
    );
    assert_eq!(read(&g, &host, "/about").await.status, 404);
}

#[tokio::test]
async fn the_forms_create_preview_publish_and_delete_a_post() {
    let g = grove();
    let o = g.sign_up("forms").await;
    let host = o.host(&g);
    let new_form = o.page(&g, "/admin/posts/new").await;
    assert_eq!(new_form.status, 200);
    assert!(new_form.body.contains("name=\"markdown\""));

    let preview = o
        .form(
            &g,
            "/admin/posts",
            &[
                ("title", "Hand Made"),
                ("markdown", "# Heading\n\n<script>x</script>ok"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(
        preview.body.contains("<h1 id=\"heading\">"),
        "the preview renders Markdown"
    );
    assert!(!preview.body.contains("<script>x"), "and sanitises it");
    assert!(
        preview.body.contains("<body class=\"theme-"),
        "in the blog's theme"
    );
    assert_eq!(
        read(&g, &host, "/blog/hand-made").await.status,
        404,
        "a preview saves nothing"
    );

    let created = o
        .form(
            &g,
            "/admin/posts",
            &[
                ("title", "Hand Made"),
                ("markdown", "Made by hand."),
                ("tags", "craft"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.header("location").unwrap_or_default().to_string();
    assert!(
        location.starts_with("/admin/posts/") && location.ends_with("?notice=published"),
        "{location}"
    );
    assert!(read(&g, &host, "/blog/hand-made")
        .await
        .body
        .contains("Made by hand."));

    let path = location.split('?').next().unwrap_or_default().to_string();
    let editor = o.page(&g, &location).await;
    assert!(editor.body.contains("Made by hand.") && editor.body.contains("Published."));
    let unpublish = o
        .form(
            &g,
            &path,
            &[
                ("title", "Hand Made"),
                ("markdown", "Made by hand."),
                ("version", "1"),
                ("action", "draft"),
            ],
        )
        .await;
    assert_eq!(unpublish.status, 303);
    assert_eq!(read(&g, &host, "/blog/hand-made").await.status, 404);

    let asked = o
        .form(&g, &format!("{path}/delete"), &[("version", "2")])
        .await;
    assert_eq!(asked.status, 200, "asks first");
    assert_eq!(o.page(&g, &path).await.status, 200);
    let delete = o
        .form(
            &g,
            &format!("{path}/delete"),
            &[("version", "2"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(delete.status, 303);
    assert_eq!(o.page(&g, &path).await.status, 404);
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_and_says_why_next_to_the_field() {
    let g = grove();
    let o = g.sign_up("formerr").await;
    let typed = "Everything I wrote <b>stays</b>";
    let r = o
        .form(
            &g,
            "/admin/posts",
            &[
                ("title", "  "),
                ("markdown", typed),
                ("slug", "Bad Slug!"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Everything I wrote &lt;b&gt;stays&lt;/b&gt;"),
        "the body typed is kept (escaped)"
    );
    assert!(r.body.contains("id=\"title-error\"") && r.body.contains("id=\"slug-error\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    let settings = o
        .form(
            &g,
            "/admin/settings",
            &[
                ("site_title", "Mine"),
                ("theme", "neon"),
                ("primary_color", "red"),
                ("font_family", ""),
            ],
        )
        .await;
    assert_eq!(settings.status, 422);
    assert!(
        settings.body.contains("id=\"theme-error\"")
            && settings.body.contains("id=\"primary_color-error\"")
    );
    assert!(
        settings.body.contains("value=\"red\""),
        "the colour typed is kept"
    );
}

#[tokio::test]
async fn settings_change_the_theme_readers_see() {
    let g = grove();
    let o = g.sign_up("settings").await;
    let r = o
        .api(&g, Method::PUT, "/admin/api/settings", Some(json!({"site_title": "Night Owl", "theme": "midnight", "primary_color": "#FF0066", "font_family": "mono"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["primary_color"], "#ff0066");
    let home = read(&g, &o.host(&g), "/").await.body;
    assert!(home.contains("<title>Night Owl</title>"));
    assert!(
        home.contains("--accent:#ff0066")
            && home.contains("theme-midnight")
            && home.contains("monospace")
    );
}

#[tokio::test]
async fn a_faint_accent_is_refused_with_the_nearest_colour_that_passes() {
    let g = grove();
    let o = g.sign_up("faint").await;
    let r = o
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"theme": "paper", "primary_color": "#fff"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "primary_color");
    let message = r.json()["message"].as_str().unwrap_or_default().to_string();
    assert!(
        message.contains("1.06:1") && message.contains("#727272"),
        "{message}"
    );
    // The colour alone is checked against the theme saved before it.
    let r = o
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"theme": "midnight"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = o
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"primary_color": "#000080"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("#6b6bff")));
    let home = read(&g, &o.host(&g), "/").await.body;
    assert!(home.contains("theme-midnight") && !home.contains("--accent:#000080"));
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
    let g = grove();
    let o = g.sign_up("badinput").await;
    let cases = [
        (json!({"title": ""}), 422, "title"),
        (json!({"title": "x", "slug": "Not A Slug"}), 422, "slug"),
        (json!({"title": "x", "owner_id": "me"}), 400, ""),
        (
            json!({"title": "x", "status": "scheduled"}),
            422,
            "publish_at",
        ),
        (
            json!({"title": "x", "markdown": "a".repeat(1024 * 1024 + 1)}),
            413,
            "",
        ),
    ];
    for (body, status, field) in cases {
        let r = o
            .api(&g, Method::POST, "/admin/api/posts", Some(body))
            .await;
        assert_eq!(r.status, status, "{}", r.body);
        let e = r.json();
        assert!(e["error"].is_string() && e["message"].as_str().is_some_and(|m| !m.is_empty()));
        if !field.is_empty() {
            assert_eq!(e["field"], field);
        }
    }
    let not_json = g
        .send(
            g.request(Method::POST, &o.host(&g), "/admin/api/posts")
                .header("cookie", format!("grove_session={}", o.session))
                .header("x-csrf-token", &o.csrf)
                .body("{not json"),
        )
        .await;
    assert_eq!(not_json.status, 400);
    let posts = o
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json();
    assert_eq!(
        posts.as_array().map(Vec::len),
        Some(0),
        "nothing was created"
    );
}
