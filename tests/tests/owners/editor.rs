//! The editor as a writer uses it, through the router: the themed preview
//! in a tab of its own, the admin script and the CSP that allows it (on
//! admin pages only), the delete confirmation, notices, and scheduling in
//! the writer's time zone.

use reqwest::Method;
use serde_json::json;

use crate::{grove, read};

#[tokio::test]
async fn preview_is_the_post_in_the_blogs_theme_and_only_the_owners() {
    let g = grove();
    let o = g.sign_up("preview").await;
    let settings = o
        .api(
            &g,
            Method::PUT,
            "/admin/api/settings",
            Some(json!({"theme": "midnight"})),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.body);
    let editor = o.page(&g, "/admin/posts/new").await;
    assert!(
        editor
            .body
            .contains("formaction=\"/admin/preview\" formtarget=\"_blank\""),
        "Preview opens in a new tab; the form stays"
    );
    let fields = [
        ("title", "Seen First"),
        ("markdown", "Some **bold** words.\n\n<script>x</script>"),
        ("tags", "early"),
        ("action", "preview"),
    ];
    let preview = o.form(&g, "/admin/preview", &fields).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("<h1>Seen First</h1>"));
    assert!(preview.body.contains("<strong>bold</strong>"));
    assert!(
        preview.body.contains("<body class=\"theme-midnight\">"),
        "the blog's theme"
    );
    assert!(
        !preview.body.contains("<script>x"),
        "sanitised as readers get it"
    );
    assert!(!preview.body.contains("admin-header"));
    assert!(preview.body.contains("Preview: not saved, not published."));
    assert_eq!(preview.header("cache-control"), Some("no-store"));
    assert_eq!(
        read(&g, &o.host(&g), "/blog/seen-first").await.status,
        404,
        "a preview saves nothing"
    );

    // Another owner, on this blog's host or on their own, never sees this
    // blog's preview.
    let other = g.sign_up("previewx").await;
    let r = other
        .form_on(&g, &o.host(&g), "/admin/preview", &fields)
        .await;
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("Seen First") && !r.body.contains("<body class=\"theme-"));
    let theirs = other.form(&g, "/admin/preview", &fields).await;
    assert_eq!(theirs.status, 200);
    assert!(
        theirs.body.contains("<body class=\"theme-")
            && !theirs.body.contains("class=\"theme-midnight\""),
        "their own blog's theme"
    );
}

#[tokio::test]
async fn the_admin_script_is_served_from_the_blogs_host_and_only_admin_pages_allow_it() {
    let g = grove();
    let o = g.sign_up("script").await;
    let host = o.host(&g);
    let script = read(&g, &host, "/admin/static/admin.js").await;
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(script.header("x-content-type-options"), Some("nosniff"));
    assert!(script.body.contains("beforeunload"));

    let editor = o.page(&g, "/admin/posts/new").await;
    assert!(editor
        .body
        .contains("<script src=\"/admin/static/admin.js\" defer></script>"));
    let csp = editor
        .header("content-security-policy")
        .unwrap_or_default()
        .to_string();
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    let expected = format!(
        "script-src {}/admin/static/admin.js",
        g.tenant_origin(&o.subdomain)
    );
    assert!(csp.ends_with(&expected), "{csp}");
    assert_eq!(csp.matches("script-src").count(), 1);

    let reader = read(&g, &host, "/").await;
    let reader_csp = reader.header("content-security-policy").unwrap_or_default();
    assert!(!reader_csp.contains("script-src"), "{reader_csp}");
    assert!(!reader.body.contains("<script"));
}

#[tokio::test]
async fn delete_asks_first_and_publishing_links_to_the_post() {
    let g = grove();
    let o = g.sign_up("confirm").await;
    let created = o
        .form(
            &g,
            "/admin/posts",
            &[
                ("title", "Keep Me"),
                ("markdown", "x"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    let location = created.header("location").unwrap_or_default().to_string();
    let path = location.split('?').next().unwrap_or_default().to_string();
    let editor = o.page(&g, &location).await;
    let view = format!(
        "Published. <a href=\"{}/blog/keep-me\">View post</a>",
        g.tenant_origin(&o.subdomain)
    );
    assert!(editor.body.contains(&view), "{}", editor.body);

    let updated = o
        .form(
            &g,
            &path,
            &[
                ("title", "Keep Me"),
                ("slug", "keep-me"),
                ("markdown", "y"),
                ("version", "1"),
                ("action", "publish"),
            ],
        )
        .await;
    assert!(updated
        .header("location")
        .is_some_and(|l| l.ends_with("?notice=updated")));
    let editor = o
        .page(&g, updated.header("location").unwrap_or_default())
        .await;
    assert!(editor.body.contains("Updated. <a href="));

    let asked = o
        .form(&g, &format!("{path}/delete"), &[("version", "2")])
        .await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains("<h1>Delete this post?</h1>"));
    assert_eq!(read(&g, &o.host(&g), "/blog/keep-me").await.status, 200);
    let done = o
        .form(
            &g,
            &format!("{path}/delete"),
            &[("version", "2"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(read(&g, &o.host(&g), "/blog/keep-me").await.status, 404);
}

#[tokio::test]
async fn scheduling_is_in_the_writers_time_zone_and_stored_as_utc() {
    let g = grove();
    let o = g.sign_up("zone").await;
    let saved = o
        .form(
            &g,
            "/admin/settings",
            &[
                ("site_title", "Zoned"),
                ("theme", "paper"),
                ("primary_color", ""),
                ("font_family", ""),
                ("time_zone", "America/New_York"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let api = o.api(&g, Method::GET, "/admin/api/settings", None).await;
    assert_eq!(api.json()["time_zone"], "America/New_York", "{}", api.body);

    let no_date = o
        .form(
            &g,
            "/admin/posts",
            &[
                ("title", "Later"),
                ("action", "schedule"),
                ("publish_at", ""),
            ],
        )
        .await;
    assert_eq!(no_date.status, 422);
    assert!(no_date
        .body
        .contains("Pick a date and time for the post to go live."));
    assert!(!no_date.body.contains("must be in the future"));

    // 9:30 in New York on 10 January 2030 (UTC-5) is 14:30 UTC.
    let r = o
        .form(
            &g,
            "/admin/posts",
            &[
                ("title", "Later"),
                ("action", "schedule"),
                ("publish_at", "2030-01-10T09:30"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r
        .header("location")
        .and_then(|l| l.strip_prefix("/admin/posts/"))
        .and_then(|l| l.split('?').next())
        .unwrap_or_default()
        .to_string();
    let post = o
        .api(&g, Method::GET, &format!("/admin/api/posts/{id}"), None)
        .await
        .json();
    assert_eq!(post["status"], "scheduled");
    assert_eq!(post["published_at"].as_i64(), Some(1_894_285_800_000));
    let editor = o.page(&g, &format!("/admin/posts/{id}")).await;
    assert!(editor.body.contains("value=\"2030-01-10T09:30\""));
    assert!(editor.body.contains(">America/New_York</span>"));
}
