//! The owner's library: the form (several files at once), alt text, the
//! Markdown to paste, images in posts, usage, and deletion with and
//! without posts that use the file.

use reqwest::Method;
use serde_json::json;

use crate::{fetch, grove, ops_media, png, upload_form, upload_raw};

#[tokio::test]
async fn the_form_takes_several_files_and_the_library_lists_them() {
    let g = grove();
    let o = g.sign_up("mediaform").await;
    let a = png(300, 200, 10, 2_000);
    let b = png(30, 20, 11, 2_000);
    let r = upload_form(&g, &o, &[("a.png", &a), ("b.png", &b)], "").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = o.page(&g, "/admin/media").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("a.png") && page.body.contains("b.png"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("width=\"300\" height=\"200\""),
        "thumbnails carry their size"
    );
    assert!(page.body.contains("loading=\"lazy\""));
    assert!(
        page.body.contains("Write its alt text"),
        "no Markdown before alt text"
    );

    let list = o
        .api(&g, Method::GET, "/admin/api/media", None)
        .await
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(list["usage"]["bytes"], (a.len() + b.len()) as u64);
    assert_eq!(list["usage"]["max_total_bytes"], 100_000_000u64);
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    assert!(list["items"][0]["markdown"].is_null());

    let set = o
        .form(
            &g,
            &format!("/admin/media/{id}/alt"),
            &[("alt", "A small <b>chart</b>")],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let item = o
        .api(&g, Method::GET, &format!("/admin/api/media/{id}"), None)
        .await
        .json();
    assert_eq!(item["alt"], "A small <b>chart</b>");
    let md = item["markdown"].as_str().unwrap().to_string();
    assert!(md.starts_with("![A small <b>chart</b>](/media/"), "{md}");
    let page = o.page(&g, "/admin/media").await.body;
    assert!(page.contains("A small &lt;b&gt;chart&lt;/b&gt;") && !page.contains("<b>chart"));

    let dash = o.page(&g, "/admin").await.body;
    assert!(
        dash.contains("href=\"/admin/media\""),
        "the admin links to the library"
    );
}

#[tokio::test]
async fn a_post_with_an_image_renders_it_and_deleting_it_asks_first() {
    let g = grove();
    let o = g.sign_up("mediapost").await;
    let host = o.host(&g);
    let up = upload_raw(&g, &o, png(64, 48, 20, 3_000), "sky.png", "A grey sky").await;
    assert_eq!(up.status, 201, "{}", up.body);
    let item = up.json();
    let (id, url) = (
        item["id"].as_str().unwrap().to_string(),
        item["url"].as_str().unwrap().to_string(),
    );
    let md = format!(
        "Before the rain.\n\n{}\n",
        item["markdown"].as_str().unwrap()
    );
    let post = o
        .api(
            &g,
            Method::POST,
            "/admin/api/posts",
            Some(json!({"title": "Grey Sky", "markdown": md, "status": "published"})),
        )
        .await;
    assert_eq!(post.status, 201, "{}", post.body);
    let page = g
        .send(g.request(Method::GET, &host, "/blog/grey-sky"))
        .await;
    assert!(
        page.body
            .contains(&format!("<img src=\"{url}\" alt=\"A grey sky\"")),
        "{}",
        page.body
    );

    // In use: the API refuses without force and names the post.
    let r = o
        .api(&g, Method::DELETE, &format!("/admin/api/media/{id}"), None)
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["used_by"], json!(["Grey Sky"]));
    assert_eq!(fetch(&g, &host, &url, &[]).await.0, 200, "still there");
    // The form's question names it too.
    let ask = o.page(&g, &format!("/admin/media/{id}/delete")).await;
    assert!(ask.body.contains("Grey Sky") && ask.body.contains("Delete it anyway"));
    let r = o
        .form(
            &g,
            &format!("/admin/media/{id}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 409, "not forced: asked again");

    let r = o
        .api(
            &g,
            Method::DELETE,
            &format!("/admin/api/media/{id}?force=true"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        fetch(&g, &host, &url, &[]).await.0,
        404,
        "gone from R2 and the edge"
    );
    let media = ops_media(&g, &o.tenant_id).await;
    assert_eq!(
        (
            media["books"]["files"].as_u64(),
            media["r2"]["objects"].as_u64()
        ),
        (Some(0), Some(0))
    );

    // A file no post uses is deleted after the plain question.
    let up = upload_raw(&g, &o, png(5, 5, 21, 100), "dot.png", "").await;
    let id = up.json()["id"].as_str().unwrap().to_string();
    let r = o
        .form(
            &g,
            &format!("/admin/media/{id}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(ops_media(&g, &o.tenant_id).await["r2"]["objects"], 0);
}

#[tokio::test]
async fn another_owner_cannot_touch_the_library() {
    let g = grove();
    let a = g.sign_up("medialiba").await;
    let b = g.sign_up("medialibb").await;
    let up = upload_raw(&g, &a, png(5, 5, 30, 100), "mine.png", "").await;
    let id = up.json()["id"].as_str().unwrap().to_string();
    // b, signed in, on a's host.
    let host = a.host(&g);
    for (method, path) in [
        (Method::GET, "/admin/api/media".to_string()),
        (Method::DELETE, format!("/admin/api/media/{id}?force=true")),
    ] {
        let r = b.api_on(&g, &host, method, &path, None).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
    }
    let r = crate::upload_raw(&g, &b, png(5, 5, 31, 100), "theirs.png", "").await;
    assert_eq!(r.status, 201, "b uploads to b's own blog");
    assert_eq!(ops_media(&g, &a.tenant_id).await["books"]["files"], 1);
    // b's id is not a's file.
    let theirs = r.json()["id"].as_str().unwrap().to_string();
    let r = a
        .api(&g, Method::GET, &format!("/admin/api/media/{theirs}"), None)
        .await;
    assert_eq!(r.status, 404);
}
