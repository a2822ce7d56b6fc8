//! Bad uploads get a clear error and store nothing: no row in D1, no
//! object in R2 (both read through the ops API's media view).

use crate::{grove, ops_media, png, upload_form, upload_raw};

#[tokio::test]
async fn wrong_types_and_oversize_files_store_nothing() {
    let g = grove();
    let o = g.sign_up("mediabad").await;

    let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec();
    let r = upload_raw(&g, &o, html, "cat.png", "").await;
    assert_eq!(r.status, 415, "{}", r.body);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("cat.png is text/html"),
        "{}",
        r.body
    );

    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    let r = upload_raw(&g, &o, svg, "logo.svg", "").await;
    assert_eq!(r.status, 415, "{}", r.body);

    // Over the free plan's 5 MB a file.
    let big = png(100, 100, 4, 5_100_000);
    let r = upload_raw(&g, &o, big.clone(), "big.png", "").await;
    assert_eq!(r.status, 413, "{}", r.body);
    let message = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("the free plan allows 5 MB per file"),
        "{message}"
    );
    // The form says the same, in a page.
    let r = upload_form(&g, &o, &[("big.png", &big)], "").await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("5 MB per file"));

    let r = upload_raw(&g, &o, Vec::new(), "empty.png", "").await;
    assert_eq!(r.status, 400, "{}", r.body);

    let media = ops_media(&g, &o.tenant_id).await;
    assert_eq!(media["books"]["bytes"], 0, "{media}");
    assert_eq!(media["r2"]["objects"], 0, "{media}");
}

#[tokio::test]
async fn concurrent_uploads_never_pass_the_quota() {
    let g = grove();
    let o = g.sign_up("mediaquota").await;
    // 24 different files of 4.5 MB against the free plan's 100 MB: 22 fit.
    let size = png(50, 50, 0, 4_500_000 - 33).len() as u64;
    assert_eq!(size, 4_500_000);
    let uploads = (0..24u32).map(|i| {
        let g = &g;
        let o = &o;
        async move {
            upload_raw(
                g,
                o,
                png(50, 50, 100 + i, 4_500_000 - 33),
                &format!("f{i}.png"),
                "",
            )
            .await
        }
    });
    let replies = futures::future::join_all(uploads).await;
    let stored = replies.iter().filter(|r| r.status == 201).count();
    let refused: Vec<_> = replies.iter().filter(|r| r.status == 413).collect();
    assert_eq!(
        stored + refused.len(),
        24,
        "{:?}",
        replies
            .iter()
            .map(|r| (r.status, &r.body))
            .collect::<Vec<_>>()
    );
    assert_eq!(stored, 22);
    assert!(refused[0].body.contains("100 MB"), "{}", refused[0].body);
    let media = ops_media(&g, &o.tenant_id).await;
    assert_eq!(media["books"]["bytes"], 22 * size, "{media}");
    assert!(media["books"]["bytes"].as_u64().unwrap() <= 100_000_000);
    assert_eq!(media["books"]["pending"], 0);
    assert_eq!(media["r2"]["objects"], 22, "no orphan objects: {media}");
}

#[tokio::test]
async fn uploads_spend_the_media_uploads_limit() {
    let g = grove();
    let o = g.sign_up("medialimit").await;
    let set = g
        .ops(
            reqwest::Method::PUT,
            &format!("/tenants/{}/limits", o.tenant_id),
            Some(serde_json::json!({"media_uploads": {"max": 2, "window_secs": 86400}})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    for i in 0..2 {
        let r = upload_raw(&g, &o, png(4, 4, 200 + i, 100), "ok.png", "").await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = upload_raw(&g, &o, png(4, 4, 210, 100), "third.png", "").await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some(), "says when to try again");
    let media = ops_media(&g, &o.tenant_id).await;
    assert_eq!(
        (
            media["books"]["files"].as_u64(),
            media["r2"]["objects"].as_u64()
        ),
        (Some(2), Some(2))
    );
}
