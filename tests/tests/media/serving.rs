//! Files as readers get them: byte-exact, immutable, validators, HEAD,
//! ranges, from every host of the blog and no other.

use reqwest::Method;

use crate::{fetch, grove, png, upload_raw};

#[tokio::test]
async fn an_upload_reads_back_byte_exact_with_validators_and_ranges() {
    let g = grove();
    let o = g.sign_up("mediaserve").await;
    let host = o.host(&g);
    let bytes = png(640, 480, 1, 200_000);
    let up = upload_raw(&g, &o, bytes.clone(), "kite.png", "A red kite").await;
    assert_eq!(up.status, 201, "{}", up.body);
    let item = up.json();
    let url = item["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/media/") && url.ends_with(".png"), "{url}");
    assert_eq!(
        (item["width"].as_u64(), item["height"].as_u64()),
        (Some(640), Some(480))
    );
    assert_eq!(item["type"], "image/png");
    assert_eq!(item["markdown"], format!("![A red kite]({url})"));

    let (status, h, body) = fetch(&g, &host, &url, &[]).await;
    assert_eq!(status, 200);
    assert!(
        body == bytes,
        "byte-exact ({} vs {} bytes)",
        body.len(),
        bytes.len()
    );
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let etag = h["etag"].to_str().unwrap().to_string();
    assert_eq!(etag, format!("\"{}\"", item["id"].as_str().unwrap()));

    // Again (now from the edge cache), then revalidated.
    let (status, _, again) = fetch(&g, &host, &url, &[]).await;
    assert_eq!((status, again == bytes), (200, true));
    let (status, _, empty) = fetch(&g, &host, &url, &[("if-none-match", &etag)]).await;
    assert_eq!((status, empty.len()), (304, 0));

    let head = g.send(g.request(Method::HEAD, &host, &url)).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "");
    assert_eq!(head.header("etag"), Some(etag.as_str()));

    let (status, h, part) = fetch(&g, &host, &url, &[("range", "bytes=100-199")]).await;
    assert_eq!(status, 206);
    assert_eq!(part, bytes[100..200].to_vec());
    assert_eq!(h["content-range"], format!("bytes 100-199/{}", bytes.len()));
    let (status, _, tail) = fetch(&g, &host, &url, &[("range", "bytes=-10")]).await;
    assert_eq!((status, tail), (206, bytes[bytes.len() - 10..].to_vec()));
    let (status, h, _) = fetch(&g, &host, &url, &[("range", "bytes=99999999-")]).await;
    assert_eq!(status, 416);
    assert_eq!(h["content-range"], format!("bytes */{}", bytes.len()));
}

#[tokio::test]
async fn another_blogs_host_never_serves_the_file() {
    let g = grove();
    let a = g.sign_up("mediaowna").await;
    let b = g.sign_up("mediaownb").await;
    let up = upload_raw(&g, &a, png(8, 8, 2, 1_000), "a.png", "").await;
    assert_eq!(up.status, 201, "{}", up.body);
    let url = up.json()["url"].as_str().unwrap().to_string();
    assert_eq!(fetch(&g, &a.host(&g), &url, &[]).await.0, 200);
    let (status, _, body) = fetch(&g, &b.host(&g), &url, &[]).await;
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&body));
    // Nor any path that is not exactly a media id and type.
    for path in [
        url.replace(".png", ".html"),
        url.replace("/media/", "/media/../"),
        "/media/".to_string(),
        format!("{url}/x"),
    ] {
        assert_eq!(fetch(&g, &a.host(&g), &path, &[]).await.0, 404, "{path}");
    }
}

#[tokio::test]
async fn the_same_bytes_are_stored_once() {
    let g = grove();
    let o = g.sign_up("mediadedupe").await;
    let bytes = png(10, 10, 3, 5_000);
    let first = upload_raw(&g, &o, bytes.clone(), "one.png", "").await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = upload_raw(&g, &o, bytes, "two.png", "").await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(first.json()["url"], second.json()["url"]);
    let media = crate::ops_media(&g, &o.tenant_id).await;
    assert_eq!(media["books"]["files"], 1);
    assert_eq!(media["r2"]["objects"], 1);
}

#[tokio::test]
async fn a_demo_blogs_image_answers_on_its_verified_domain_only() {
    let g = grove();
    let autumn = grove_tests::seed::tenant("autumn");
    let sub = format!("autumn.{}", g.base_domain);
    let page = g
        .send(g.request(Method::GET, &sub, "/blog/hello-autumn"))
        .await;
    let start = page
        .body
        .find("<img src=\"/media/")
        .expect("the seeded image")
        + 10;
    let path = &page.body[start..start + page.body[start..].find('"').unwrap()];
    let verified = &autumn
        .domains
        .iter()
        .find(|d| d.verified == 1)
        .unwrap()
        .host;
    let (status, h, body) = fetch(&g, verified, path, &[]).await;
    assert_eq!(
        (status, h["content-type"].to_str().unwrap()),
        (200, "image/png")
    );
    assert_eq!(
        fetch(&g, &sub, path, &[]).await.2,
        body,
        "the same file on both hosts"
    );
    // An unverified domain serves nothing, and another demo blog's host neither.
    let meadow = grove_tests::seed::tenant("meadow");
    let unverified = &meadow
        .domains
        .iter()
        .find(|d| d.verified == 0)
        .unwrap()
        .host;
    assert_eq!(fetch(&g, unverified, path, &[]).await.0, 404);
    let other = format!("meadow.{}", g.base_domain);
    assert_eq!(fetch(&g, &other, path, &[]).await.0, 404);
}
