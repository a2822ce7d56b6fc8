//! A scheduled post goes live at its time through the actor's alarm, with
//! no reader request to trigger it, and the cached lists are refreshed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use serde_json::json;

use crate::{grove, read};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[tokio::test]
async fn a_scheduled_post_appears_within_two_seconds_of_its_time() {
    let g = grove();
    let o = g.sign_up("sched").await;
    let host = o.host(&g);
    let at = now_ms() + 3_000;
    let r = o
        .api(&g, Method::POST, "/admin/api/posts", Some(json!({"title": "On The Hour", "markdown": "Right on time.", "status": "scheduled", "publish_at": at})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["status"], "scheduled");
    // Before its time: not visible, and the home page is now cached without it.
    assert_eq!(read(&g, &host, "/blog/on-the-hour").await.status, 404);
    assert!(!read(&g, &host, "/").await.body.contains("On The Hour"));

    // No request of any kind until 1.5 s after the scheduled time.
    let wait = at + 1_500 - now_ms();
    tokio::time::sleep(Duration::from_millis(wait.max(0) as u64)).await;
    let page = read(&g, &host, "/blog/on-the-hour").await;
    assert_eq!(page.status, 200, "visible within 1.5 s of its time");
    assert!(
        read(&g, &host, "/")
            .await
            .body
            .contains("/blog/on-the-hour"),
        "the home page list was refreshed"
    );
    let post = o
        .api(&g, Method::GET, "/admin/api/posts", None)
        .await
        .json();
    assert_eq!(post[0]["status"], "published");
    assert_eq!(
        post[0]["published_at"], at,
        "it went live at its scheduled time"
    );
}
